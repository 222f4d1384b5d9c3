package kernel

// Real static programs, built by the host's compilers, loaded with Spawn
// and stopped at their first entry to user mode: the registers and the
// initial stack are what Linux gives a new program (§8.3). Skipped when a
// compiler is missing.

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cavaliergopher/cpio"
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/stretchr/testify/require"
)

const helloC = `#include <stdio.h>
int main(void) { printf("hello, world\n"); return 3; }
`

// buildHello compiles helloC with cc and flags, or skips the test.
func buildHello(t *testing.T, cc string, flags ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath(cc); err != nil {
		t.Skipf("%s not installed", cc)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "hello.c")
	require.NoError(t, os.WriteFile(src, []byte(helloC), 0o644))
	out := filepath.Join(dir, "hello")
	args := append(append([]string{}, flags...), "-O1", "-o", out, src)
	if b, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		t.Skipf("%s %v failed (static libc or multilib missing?): %v\n%s", cc, args, err, b)
	}
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	return b
}

// initramfs packs files (name → contents, mode) into a cpio newc archive.
func initramfs(t *testing.T, files map[string][]byte, mode cpio.FileMode) []byte {
	var b bytes.Buffer
	w := cpio.NewWriter(&b)
	for name, data := range files {
		require.NoError(t, w.WriteHeader(&cpio.Header{Name: name, Mode: mode, Size: int64(len(data))}))
		_, err := w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return b.Bytes()
}

func bootWith(t *testing.T, cpu *scriptedCPU, files map[string][]byte, mode cpio.FileMode) *testKernel {
	k := newTestKernel(t, cpu, 64)
	require.NoError(t, k.vfs.UnpackInitramfs(bytes.NewReader(initramfs(t, files, mode))))
	return k
}

func TestSpawnRealStaticProgramsEntryState(t *testing.T) {
	tests := []struct {
		name  string
		cc    string
		flags []string
		ia32  bool
	}{
		{"glibc x86_64", "gcc", []string{"-static"}, false},
		{"musl x86_64", "musl-gcc", []string{"-static"}, false},
		{"glibc i386", "gcc", []string{"-m32", "-static"}, true},
		{"glibc x86_64 static-pie", "gcc", []string{"-static-pie"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bin := buildHello(t, tc.cc, tc.flags...)
			f, err := elf.NewFile(bytes.NewReader(bin))
			require.NoError(t, err)
			cpu := newScriptedCPU()
			k := bootWith(t, cpu, map[string][]byte{"bin/hello": bin}, 0o755)
			p, err := k.Spawn("/bin/hello", []string{"hello", "arg1"}, []string{"HOME=/"})
			require.NoError(t, err)
			u := &user{t: t, cpu: cpu, p: p, task: p.mainTask()}
			u.regs = <-cpu.enter
			r := u.regs
			if f.Type == elf.ET_EXEC {
				require.Equal(t, f.Entry, r.RIP, "rip = e_entry")
			}
			require.Zero(t, r.RDX, "rdx = 0 (no rtld_fini)")
			require.Zero(t, r.RSP%16, "rsp 16-byte aligned")
			require.Equal(t, uint64(0x202), r.RFLAGS)
			word := uint64(8)
			if tc.ia32 {
				require.Equal(t, uint64(amd64.UserCS32), r.CS)
				word = 4
			} else {
				require.Equal(t, uint64(amd64.UserCS64), r.CS)
			}
			require.Equal(t, uint64(amd64.UserDS), r.SS)
			rd := func(addr uint64) uint64 {
				if word == 4 {
					return uint64(u.u32(addr))
				}
				return u.u64(addr)
			}
			require.Equal(t, uint64(2), rd(r.RSP), "argc")
			argv0 := rd(r.RSP + word)
			require.Equal(t, "hello", string(u.peek(argv0, 5)))
			require.Zero(t, rd(r.RSP+3*word), "argv NULL")
			// auxv after envp: find AT_PAGESZ and AT_ENTRY.
			a := r.RSP + 4*word
			for rd(a) != 0 {
				a += word
			}
			aux := map[uint64]uint64{}
			for a += word; rd(a) != 0; a += 2 * word {
				aux[rd(a)] = rd(a + word)
			}
			require.Equal(t, uint64(4096), aux[6], "AT_PAGESZ")
			require.Equal(t, r.RIP, aux[9], "AT_ENTRY")
			require.NotZero(t, aux[25], "AT_RANDOM")
			require.Contains(t, p.MapsText(), "/bin/hello")
			require.Equal(t, "/bin/hello", p.ExePath())
			// The program's first calls, as a libc makes them, then its exit.
			call := u.syscall
			if tc.ia32 {
				call = u.int80
				require.Equal(t, int64(u.p.pid), call(258, 0), "set_tid_address")
				call(252, 3)
			} else {
				require.Greater(t, call(12, 0), int64(0), "brk(0) is the start of the heap")
				call(231, 3)
			}
			require.Equal(t, 3<<8, p.Wait())
		})
	}
}

func TestSpawnErrors(t *testing.T) {
	cpu := newScriptedCPU()
	k := bootWith(t, cpu, map[string][]byte{"bin/garbage": []byte("\x7fELF nonsense"), "bin/text": []byte("#!/bin/sh\n")}, 0o755)
	require.Zero(t, k.vfs.Mkdirat(k.vfs.NewCaller(), -100, "/dir", 0o755))
	for _, tc := range []struct {
		path string
		want abi.Errno
	}{
		{"/bin/missing", abi.ENOENT},
		{"/bin/garbage", abi.ENOEXEC},
		{"/bin/text", abi.ENOEXEC},
		{"/dir", abi.EACCES},
		{"/dev/console", abi.EACCES},
	} {
		_, err := k.Spawn(tc.path, []string{"x"}, nil)
		require.ErrorIs(t, err, tc.want, tc.path)
	}
	_, err := k.Spawn("/bin/garbage", []string{strings.Repeat("a", 200000)}, nil)
	require.ErrorIs(t, err, abi.E2BIG)
}

func TestSpawnDynamicProgramIsENOEXECWithLogLine(t *testing.T) {
	bin := buildHello(t, "gcc")
	cpu := newScriptedCPU()
	k := bootWith(t, cpu, map[string][]byte{"bin/dyn": bin}, 0o755)
	_, err := k.Spawn("/bin/dyn", []string{"dyn"}, nil)
	require.ErrorIs(t, err, abi.ENOEXEC)
	found := false
	for _, r := range k.Log().Records() {
		found = found || bytes.Contains([]byte(r.Text), []byte("dynamic linking is not supported yet"))
	}
	require.True(t, found)
}

func TestExecveReplacesTheImage(t *testing.T) {
	bin := buildHello(t, "gcc", "-static")
	f, err := elf.NewFile(bytes.NewReader(bin))
	require.NoError(t, err)
	cpu := newScriptedCPU()
	k := bootWith(t, cpu, map[string][]byte{"bin/hello": bin}, 0o755)
	p, err := k.Spawn("/bin/hello", []string{"hello"}, nil)
	require.NoError(t, err)
	u := &user{t: t, cpu: cpu, p: p, task: p.mainTask()}
	u.regs = <-cpu.enter
	sp := u.regs.RSP
	scratchAddr := sp - 4096 // inside the stack VMA
	u.str(scratchAddr, "/bin/hello")
	argv := make([]byte, 24)
	binary.LittleEndian.PutUint64(argv, scratchAddr)
	binary.LittleEndian.PutUint64(argv[8:], scratchAddr+6) // "hello"
	u.poke(scratchAddr+64, argv)
	require.Equal(t, errno(abi.ENOENT), u.syscall(59, u.str(scratchAddr+200, "/nope"), scratchAddr+64, 0))
	require.Equal(t, errno(abi.EFAULT), u.syscall(59, scratchAddr, 8, 0), "unreadable argv")
	u.regs.R11 = 77
	require.Equal(t, int64(0), u.syscall(59, scratchAddr, scratchAddr+64, 0))
	require.Equal(t, f.Entry, u.regs.RIP, "the new image starts at its entry")
	require.Zero(t, u.regs.RCX, "registers are the new image's")
	require.Zero(t, u.regs.R11)
	require.Equal(t, uint64(2), u.u64(u.regs.RSP), "argc of the new image")
	u.syscall(231, 0)
	require.Equal(t, 0, p.Wait())
}
