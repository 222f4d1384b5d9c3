package exec

// Tests against real programs built by the host's compilers: static glibc,
// musl and i386 binaries, plain and static-PIE, and a dynamic one.
// CI installs gcc-multilib and musl-tools; without a compiler the variant
// is skipped with a message naming it.

import (
	"bufio"
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// auxdumpC prints the auxv types the kernel gave it, one per line, then
// exits 3. It is also an ordinary hello-world-sized static program.
const auxdumpC = `
#include <stdio.h>
extern char **environ;
int main(int argc, char **argv) {
	char **e = environ;
	while (*e) e++;
	unsigned long *a = (unsigned long *)(e + 1);
	for (; a[0] != 0; a += 2) printf("%lu\n", a[0]);
	return 3;
}
`

type variant struct {
	name    string
	cc      string
	flags   []string
	abi     ABI
	typ     elf.Type
	dynamic bool
}

var variants = []variant{
	{"glibc64", "gcc", []string{"-static"}, ABI64, elf.ET_EXEC, false},
	{"glibc64-static-pie", "gcc", []string{"-static-pie"}, ABI64, elf.ET_DYN, false},
	{"musl64", "musl-gcc", []string{"-static"}, ABI64, elf.ET_EXEC, false},
	// Debian's musl-gcc wrapper links -static-pie with a PT_INTERP
	// (ld-musl): to Linux and to us that is a dynamic program.
	{"musl64-static-pie-wrapper", "musl-gcc", []string{"-static-pie"}, ABI64, elf.ET_DYN, true},
	{"glibc-i386", "gcc", []string{"-m32", "-static"}, ABIIA32, elf.ET_EXEC, false},
	{"glibc-i386-static-pie", "gcc", []string{"-m32", "-static-pie"}, ABIIA32, elf.ET_DYN, false},
	{"glibc64-dynamic", "gcc", nil, ABI64, elf.ET_DYN, true},
}

func variantNamed(t testing.TB, name string) variant {
	for _, v := range variants {
		if v.name == name {
			return v
		}
	}
	t.Fatalf("no variant %q", name)
	return variant{}
}

var builtPrograms struct {
	sync.Mutex
	dir   string
	paths map[string]string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtPrograms.dir != "" {
		os.RemoveAll(builtPrograms.dir)
	}
	os.Exit(code)
}

// compileVariant compiles auxdumpC once per variant and returns the
// binary's path.
func compileVariant(v variant) (string, error) {
	if _, err := exec.LookPath(v.cc); err != nil {
		return "", fmt.Errorf("%s not installed (CI installs gcc-multilib and musl-tools)", v.cc)
	}
	builtPrograms.Lock()
	defer builtPrograms.Unlock()
	if builtPrograms.paths == nil {
		dir, err := os.MkdirTemp("", "ringo-exec-test")
		if err != nil {
			return "", err
		}
		builtPrograms.dir, builtPrograms.paths = dir, map[string]string{}
		if err := os.WriteFile(filepath.Join(dir, "auxdump.c"), []byte(auxdumpC), 0o644); err != nil {
			return "", err
		}
	}
	if path, ok := builtPrograms.paths[v.name]; ok {
		return path, nil
	}
	path := filepath.Join(builtPrograms.dir, v.name)
	args := append(append([]string{}, v.flags...), "-O1", "-o", path, filepath.Join(builtPrograms.dir, "auxdump.c"))
	if out, err := exec.Command(v.cc, args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s %v (missing multilib or static libc?): %v\n%s", v.cc, args, err, out)
	}
	builtPrograms.paths[v.name] = path
	return path, nil
}

// buildVariant returns the variant's binary, or skips the test saying
// which compiler is missing.
func buildVariant(t testing.TB, v variant) []byte {
	t.Helper()
	path, err := compileVariant(v)
	if err != nil {
		t.Skipf("cannot build the %s test program: %v", v.name, err)
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// memory is a sparse simulation of the address space a Plan describes.
type memory map[uint64][]byte

func (m memory) page(addr uint64) []byte {
	p, ok := m[pageStart(addr)]
	if !ok {
		p = make([]byte, PageSize)
		m[pageStart(addr)] = p
	}
	return p
}

// apply performs the plan's mapping requests the way mm will.
func (m memory) apply(t *testing.T, pl *Plan, file []byte) {
	for _, s := range pl.Segments {
		for off := uint64(0); off < s.FileLen; off += PageSize {
			p := make([]byte, PageSize)
			if fo := s.FileOffset + off; fo < uint64(len(file)) {
				copy(p, file[fo:])
			}
			m[s.Start+off] = p
		}
		for a := s.ZeroStart; a < s.ZeroEnd; a++ {
			m.page(a)[pageOffset(a)] = 0
		}
		require.Zero(t, pageOffset(s.AnonStart))
		for a := s.AnonStart; a < s.AnonEnd; a += PageSize {
			m[a] = make([]byte, PageSize)
		}
	}
}

func (m memory) read(t *testing.T, addr, n uint64) []byte {
	out := make([]byte, 0, n)
	for i := uint64(0); i < n; i++ {
		p, ok := m[pageStart(addr+i)]
		require.True(t, ok, "address %#x is not mapped", addr+i)
		out = append(out, p[pageOffset(addr+i)])
	}
	return out
}

func TestRealStaticBinariesLoadWithLinuxLayout(t *testing.T) {
	for _, v := range variants {
		if v.dynamic {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			file := buildVariant(t, v)
			img := mustLoad(t, file, Options{IA32: true})
			ef, err := elf.NewFile(bytes.NewReader(file))
			require.NoError(t, err)

			require.Equal(t, v.abi, img.ABI)
			require.Equal(t, v.typ, img.Type)
			require.Equal(t, len(ef.Progs), img.PhNum())
			require.Equal(t, ExecStackDisableX, img.ExecStack, "toolchains emit PT_GNU_STACK RW")
			require.False(t, img.ReadImpliesExec)
			hasTLS := false
			for _, p := range ef.Progs {
				hasTLS = hasTLS || p.Type == elf.PT_TLS
			}
			require.Equal(t, hasTLS, img.TLS != nil)

			base := uint64(0)
			if img.Relocatable() {
				base = 0x7fed63889000
				if v.abi == ABIIA32 {
					base = 0xf7e00000
				}
			}
			pl, err := img.Plan(base)
			require.NoError(t, err)
			require.Equal(t, ef.Entry+pl.LoadBias, pl.Entry)

			mem := memory{}
			mem.apply(t, pl, file)
			// AT_PHDR really points at the program headers.
			phdrs := mem.read(t, pl.Phdr, uint64(img.PhNum()*v.abi.PhEnt()))
			require.Equal(t, file[img.Phoff:img.Phoff+uint64(len(phdrs))], phdrs, "AT_PHDR")
			// Every PT_LOAD: file bytes, then zeros up to p_memsz.
			for _, p := range ef.Progs {
				if p.Type != elf.PT_LOAD {
					continue
				}
				va := p.Vaddr + pl.LoadBias
				require.Equal(t, file[p.Off:p.Off+p.Filesz], mem.read(t, va, p.Filesz), "file part of %#x", p.Vaddr)
				if p.Memsz > p.Filesz && p.Flags&elf.PF_W != 0 {
					require.Equal(t, make([]byte, p.Memsz-p.Filesz), mem.read(t, va+p.Filesz, p.Memsz-p.Filesz), "bss of %#x", p.Vaddr)
				}
			}
			// The entry point is in an executable segment.
			inText := false
			for _, s := range pl.Segments {
				inText = inText || (s.FileProt&ProtExec != 0 && pl.Entry >= s.Start && pl.Entry < s.Start+s.FileLen)
			}
			require.True(t, inText, "entry %#x in an executable segment", pl.Entry)
			if v.typ == elf.ET_DYN {
				require.Equal(t, pageAlign(v.abi.ETDynBase()), pl.StartBrk)
			}

			args, err := CopyStrings("/bin/auxdump", []string{"auxdump", "a"}, []string{"HOME=/"}, 8<<20)
			require.NoError(t, err)
			st, err := BuildStack(StackParams{Args: args, Plan: pl, RlimitStack: 8 << 20, MinSigStkSz: 0xd30,
				RandomizeVASpace: 2, Rand: bytes.NewReader(bytes.Repeat([]byte{7}, 64))})
			require.NoError(t, err)
			p := parseStack(t, v.abi, st)
			require.Equal(t, pl.Phdr, auxVal(t, p.auxv, AT_PHDR))
			require.Equal(t, uint64(len(ef.Progs)), auxVal(t, p.auxv, AT_PHNUM))
			require.Equal(t, pl.Entry, auxVal(t, p.auxv, AT_ENTRY))
		})
	}
}

func TestRealDynamicBinaryIsENOEXECWithReason(t *testing.T) {
	for _, v := range variants {
		if !v.dynamic {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			_, err := load(t, buildVariant(t, v), Options{IA32: true})
			requireExecErr(t, err, abi.ENOEXEC, false, "dynamic linking is not supported yet")
		})
	}
}

func TestRealI386BinaryNeedsIA32(t *testing.T) {
	file := buildVariant(t, variantNamed(t, "glibc-i386"))
	_, err := load(t, file, Options{})
	requireExecErr(t, err, abi.ENOEXEC, false, "IA32 emulation is disabled")
}

// TestAuxvOrderMatchesTheHostKernel runs a static program on the host and
// compares the order of the auxv types it received with ours (host with a
// vDSO and rseq, like the reference 6.18 host of LINUX-SEMANTICS.md §8.4).
func TestAuxvOrderMatchesTheHostKernel(t *testing.T) {
	v := variantNamed(t, "glibc64")
	file := buildVariant(t, v)
	path := builtPrograms.paths[v.name]
	out, err := exec.Command(path).Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Skipf("cannot run the static test program on this host: %v", err)
	}
	var host []AuxType
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		n, err := strconv.ParseUint(strings.TrimSpace(sc.Text()), 10, 64)
		require.NoError(t, err)
		host = append(host, AuxType(n))
	}
	img := mustLoad(t, file, Options{})
	pl, err := img.Plan(0)
	require.NoError(t, err)
	args, err := CopyStrings("/p", []string{"p"}, nil, 8<<20)
	require.NoError(t, err)
	params := StackParams{Args: args, Plan: pl, RlimitStack: 8 << 20, Rand: bytes.NewReader(make([]byte, 16))}
	for _, typ := range host {
		switch typ {
		case AT_SYSINFO_EHDR:
			params.VDSOBase = 0x7fff0000
		case AT_RSEQ_FEATURE_SIZE:
			params.Rseq = true
		}
	}
	st, err := BuildStack(params)
	require.NoError(t, err)
	var ours []AuxType
	for _, e := range st.Auxv[:len(st.Auxv)-1] { // the program stops before AT_NULL
		ours = append(ours, e.Type)
	}
	require.Equal(t, host, ours)
}
