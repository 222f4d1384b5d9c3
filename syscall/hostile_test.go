package syscall

import (
	"math/rand/v2"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// allHandlers registers one recorder under every entry point of every
// table, so every row that has one is dispatched.
func allHandlers(r *recorder) Handlers[Context] {
	h := Handlers[Context]{}
	for a := ABI(0); a < numABIs; a++ {
		for _, sc := range tableOf(a) {
			if sc.Func != "" {
				h[sc.Func] = r.handle
			}
		}
	}
	return h
}

// Random register contents at SYSCALL and int $0x80 (fixed seed): nothing
// panics, and the result is either the handler's or -ENOSYS with no
// handler run. Converted arguments obey their kinds.
func TestRandomRegistersNeverPanic(t *testing.T) {
	r := &recorder{ret: 1}
	for _, x32 := range []bool{false, true} {
		d := newDispatcher(t, x32, allHandlers(r))
		rng := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < 100_000; i++ {
			var regs [MaxArgs]uint64
			for j := range regs {
				regs[j] = rng.Uint64()
			}
			rax := rng.Uint64()
			switch i % 4 {
			case 0: // a small number, to hit real rows
				rax = rax&^0xffff_ffff | rax%600
			case 1:
				rax = rax&^0xffff_ffff | X32SyscallBit | rax%600
			}
			via := Entry(i % 2)
			before := r.calls
			got := dispatchRegs(d, &task{1}, via, rax, &regs)
			a, nr, ok := d.Decode(via, rax)
			if !ok || d.Handler(a, nr) == nil {
				require.Equal(t, abi.ENOSYS.Neg(), got)
				require.Equal(t, before, r.calls)
				continue
			}
			require.Equal(t, uint64(1), got)
			require.Equal(t, before+1, r.calls)
			if a == I386 {
				sig := tableOf(a)[nr].Args
				kinds, n := sig.outKinds()
				for j := 0; j < n; j++ {
					v := r.last.V[j]
					switch kinds[j] {
					case Ptr, Str, Size, Ulong, Uint:
						require.LessOrEqual(t, v, uint64(0xffff_ffff), "i386 %s arg %d", tableOf(a)[nr].Name, j)
					case Int, Fd:
						require.Equal(t, uint64(int64(int32(v))), v)
					}
				}
			}
		}
	}
}

func FuzzDispatch(f *testing.F) {
	f.Add(uint8(0), uint64(39), uint64(0), uint64(0))
	f.Add(uint8(1), uint64(180), uint64(0xffff_ffff), uint64(1))
	f.Add(uint8(0), uint64(X32SyscallBit|512), uint64(1), uint64(2))
	f.Add(uint8(0), ^uint64(0), uint64(3), uint64(4))
	r := &recorder{}
	d, err := NewDispatcher(Config[Context]{Handlers: allHandlers(r), X32: true})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, via uint8, rax, a, b uint64) {
		dispatchRegs(d, &task{1}, Entry(via%3), rax, &[MaxArgs]uint64{a, b, a ^ b, a + b, a - b, b - a})
	})
}
