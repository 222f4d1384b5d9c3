package bench

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A log in QEMU 7.2's format: blocks are translated once ("IN:"), then
// every run is a "Trace" line. The marker block starts at 0x401000; the
// kernel's blocks at 0xffffffff80001000 (3 instructions, 2 touching
// memory) and 0xffffffff80002000 (2, 1); a timer interrupt adds a block
// to one iteration.
const tcgLog = `----------------
IN: 
0x00401000:  b8 6e 00 00 00           movl     $0x6e, %eax
0x00401005:  0f 05                    syscall  

Trace 0: 0x7f0000000100 [00000000/0000000000401000/00000040/ff000200] 
----------------
IN: 
0xffffffff80001000:  48 89 07                 movq     %rax, (%rdi)
0xffffffff80001003:  48 8d 47 08              leaq     8(%rdi), %rax
0xffffffff80001007:  55                       pushq    %rbp

Trace 0: 0x7f0000000200 [00000000/ffffffff80001000/00000040/ff000200] 
----------------
IN: 
0xffffffff80002000:  48 31 c0                 xorq     %rax, %rax
0xffffffff80002003:  c3                       retq     

Trace 0: 0x7f0000000300 [00000000/ffffffff80002000/00000040/ff000200] 
Trace 0: 0x7f0000000100 [00000000/0000000000401000/00000040/ff000200] 
Trace 0: 0x7f0000000200 [00000000/ffffffff80001000/00000040/ff000200] 
Trace 0: 0x7f0000000300 [00000000/ffffffff80002000/00000040/ff000200] 
Trace 0: 0x7f0000000300 [00000000/ffffffff80002000/00000040/ff000200] 
Trace 0: 0x7f0000000100 [00000000/0000000000401000/00000040/ff000200] 
Trace 0: 0x7f0000000200 [00000000/ffffffff80001000/00000040/ff000200] 
Trace 0: 0x7f0000000300 [00000000/ffffffff80002000/00000040/ff000200] 
Trace 0: 0x7f0000000100 [00000000/0000000000401000/00000040/ff000200] 
Trace 0: 0x7f0000000200 [00000000/ffffffff80001000/00000040/ff000200] 
`

func TestParseTCGLog(t *testing.T) {
	p, err := ParseTCGLog(strings.NewReader(tcgLog), 0x401000)
	require.NoError(t, err)
	require.Equal(t, TCGBlock{Insns: 2, Mem: 0}, p.Blocks[0x401000])
	require.Equal(t, TCGBlock{Insns: 3, Mem: 2}, p.Blocks[0xffffffff80001000], "movq to memory and pushq; leaq is not an access")
	require.Equal(t, TCGBlock{Insns: 2, Mem: 1}, p.Blocks[0xffffffff80002000], "retq pops")

	// Four visits to the marker: three complete iterations; the runs
	// after the last visit are no iteration.
	require.Len(t, p.Iterations, 3)
	require.Equal(t, []uint64{0x401000, 0xffffffff80001000, 0xffffffff80002000}, p.Iterations[0])
	require.Equal(t, 7, p.Length(p.Iterations[0]))
	require.Equal(t, 9, p.Length(p.Iterations[1]), "the iteration with an extra block")
	require.Equal(t, p.Iterations[0], p.Typical(), "the most common length, not the longest")
}

func TestTCGReport(t *testing.T) {
	p, err := ParseTCGLog(strings.NewReader(tcgLog), 0x401000)
	require.NoError(t, err)
	syms := &Symbols{addr: []uint64{0x401000, 0xffffffff80001000, 0xffffffff80002000},
		name: []string{"marker", "github.com/ringo-os/ringo/kernel.save", "runtime.ret"}}
	costs := p.Costs(p.Typical(), syms)
	require.Equal(t, []FuncCost{
		{Name: "github.com/ringo-os/ringo/kernel.save", Insns: 3, Mem: 2, Block: 1},
		{Name: "marker", Insns: 2, Mem: 0, Block: 1},
		{Name: "runtime.ret", Insns: 2, Mem: 1, Block: 1},
	}, costs)
	var out bytes.Buffer
	require.NoError(t, WriteTCGReport(&out, p, syms, 10))
	require.Contains(t, out.String(), "3 iterations (0 with an interrupt left out); typical: 7 guest instructions, 3 memory operands, 3 blocks (shortest 7, longest 9)")
	require.Contains(t, out.String(), "kernel.save\n", "the module path is dropped")

	empty, err := ParseTCGLog(strings.NewReader(tcgLog), 0x999)
	require.NoError(t, err)
	require.Error(t, WriteTCGReport(&out, empty, syms, 10), "a marker that never ran")
}

// LoadSymbols on a real ELF file: a small C program (go test links its
// own binary without a symbol table).
func TestLoadSymbols(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc to build an ELF with symbols")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "p.c")
	require.NoError(t, os.WriteFile(src, []byte("int marker(int x) { return x + 1; }\nint main(void) { return marker(0); }\n"), 0o644))
	bin := filepath.Join(dir, "p")
	out, err := exec.Command(gcc, "-O0", "-o", bin, src).CombinedOutput()
	require.NoError(t, err, "%s", out)
	syms, err := LoadSymbols(bin)
	require.NoError(t, err)
	m := syms.Address("marker")
	require.NotZero(t, m)
	require.Equal(t, "marker", syms.Name(m))
	require.Equal(t, "marker", syms.Name(m+1), "inside the function")
	require.NotEqual(t, "marker", syms.Name(m-1))
	require.Zero(t, syms.Address("no such function"))
	require.Equal(t, "0x10", syms.Name(0x10), "below every symbol")
}

// When the timer lands in most iterations (as it does under the logging),
// the typical iteration is the most common one among those it missed.
func TestTypicalLeavesInterruptedIterationsOut(t *testing.T) {
	const marker, work, irq = 0x401000, 0xffffffff80001000, 0xffffffff80009000
	p := &TCGProfile{
		Blocks: map[uint64]TCGBlock{marker: {Insns: 2}, work: {Insns: 10}, irq: {Insns: 50}},
		Iterations: [][]uint64{
			{marker, work, irq}, {marker, work, irq}, {marker, work, irq},
			{marker, work}, {marker, work, work},
		},
	}
	syms := &Symbols{addr: []uint64{marker, work, irq}, name: []string{"marker", "kernel.work", InterruptEntry}}
	require.Equal(t, 62, p.Length(p.Typical()), "all iterations: the interrupted length is the most common")
	it, skipped := p.TypicalWithout(InterruptEntry, syms)
	require.Equal(t, 12, p.Length(it))
	require.Equal(t, 3, skipped)

	p.Iterations = p.Iterations[:3] // every iteration interrupted: use them all
	it, skipped = p.TypicalWithout(InterruptEntry, syms)
	require.Equal(t, 62, p.Length(it))
	require.Zero(t, skipped)
}
