package boot

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
	"golang.org/x/arch/x86/x86asm"
)

// entryBytes returns entry32's code up to and including its RETF, read from
// this test binary (the same assembly the kernel links).
func entryBytes(t *testing.T) []byte {
	code := unsafe.Slice((*byte)(unsafe.Add(nil, entry32Addr)), 512)
	for pc := 0; pc < len(code); {
		inst, err := x86asm.Decode(code[pc:], 32)
		require.NoError(t, err, "entry32 does not decode in 32-bit mode at +%d", pc)
		pc += inst.Len
		if inst.Op == x86asm.LRET {
			return code[:pc]
		}
	}
	t.Fatal("no RETF in the first 512 bytes of entry32")
	return nil
}

// TestEntry32IsValid32BitCode decodes the 32-bit entry in 32-bit mode and
// checks that it is what it means to be: no REX prefixes (in 32-bit mode
// they are the one-byte INC/DEC), the long-mode switch in the right order,
// and identical instruction boundaries in 32- and 64-bit decoding.
func TestEntry32IsValid32BitCode(t *testing.T) {
	code := entryBytes(t)
	var ops []x86asm.Op
	var cr []string
	for pc := 0; pc < len(code); {
		inst, err := x86asm.Decode(code[pc:], 32)
		require.NoError(t, err)
		require.False(t, code[pc] >= 0x40 && code[pc] <= 0x4f,
			"+%d: %v: byte %#x is a REX prefix in 64-bit mode, INC/DEC in 32-bit mode", pc, inst, code[pc])
		i64, err := x86asm.Decode(code[pc:], 64)
		require.NoError(t, err)
		require.Equal(t, inst.Len, i64.Len, "+%d: %v has a different length in 64-bit mode", pc, inst)
		ops = append(ops, inst.Op)
		if inst.Op == x86asm.MOV {
			for _, a := range inst.Args {
				if r, ok := a.(x86asm.Reg); ok && r >= x86asm.CR0 && r <= x86asm.CR15 {
					cr = append(cr, x86asm.IntelSyntax(inst, 0, nil))
				}
			}
		}
		pc += inst.Len
	}
	require.Equal(t, x86asm.CLI, ops[0], "interrupts off first")
	// The order of the long-mode switch (Intel SDM Vol. 3A §10.8.5):
	// PAE in CR4, CR3, EFER.LME (WRMSR), then CR0.PG.
	require.Equal(t, []string{"mov eax, cr4", "mov cr4, eax", "mov cr3, ebx", "mov eax, cr0", "mov cr0, eax"}, cr)
	idx := func(op x86asm.Op) int {
		for i, o := range ops {
			if o == op {
				return i
			}
		}
		return -1
	}
	require.Less(t, idx(x86asm.WRMSR), idx(x86asm.LGDT))
	require.Equal(t, x86asm.LRET, ops[len(ops)-1], "ends with the far return into 64-bit code")
	require.Equal(t, 2, countOp(ops, x86asm.CALL), "two CALL/POP pairs find physical addresses")
}

func countOp(ops []x86asm.Op, op x86asm.Op) int {
	n := 0
	for _, o := range ops {
		if o == op {
			n++
		}
	}
	return n
}
