package bench

// Building the guest program: user/bench/bench.c, statically, once per ABI.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ABIs the benchmark program is built for, in the order a boot runs them
// (/init is the x86_64 build; it execs the i386 one).
const (
	ABI64 = "x86_64"
	ABI32 = "i386"
)

// BenchSource is the program's path relative to the repository root.
const BenchSource = "user/bench/bench.c"

// gccArgs are the exact flags of each build; -static because the initramfs
// has no dynamic loader, -O2 because the loops must not measure libc or
// compiler overhead, and -e bench_entry so that the program's first
// instruction reads the boot clock (boot_to_user, bench.c).
func gccArgs(abi, src, out string) ([]string, error) {
	switch abi {
	case ABI64:
		return []string{"-static", "-O2", "-Wall", "-Wl,-e,bench_entry", "-o", out, src}, nil
	case ABI32:
		return []string{"-m32", "-static", "-O2", "-Wall", "-Wl,-e,bench_entry", "-o", out, src}, nil
	}
	return nil, fmt.Errorf("bench: unknown ABI %q (want %s or %s)", abi, ABI64, ABI32)
}

// BuildBenchProgram compiles bench.c for abi with gcc into outDir and
// returns the binary's contents. It always recompiles (well under a
// second), so a stale binary can never be measured.
func BuildBenchProgram(root, outDir, abi string, log io.Writer) ([]byte, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	out := filepath.Join(outDir, "bench-"+abi)
	args, err := gccArgs(abi, filepath.Join(root, BenchSource), out)
	if err != nil {
		return nil, err
	}
	if err := run(log, root, "gcc", args...); err != nil {
		if abi == ABI32 {
			return nil, fmt.Errorf("%w (the i386 build needs gcc-multilib)", err)
		}
		return nil, err
	}
	return os.ReadFile(out)
}
