// The fast form of argument conversion: a row's kinds compiled, once, into
// a shift and a sign per register, so that widening six registers is
// straight-line arithmetic with no loop and no switch. Sig.convert remains
// the reference (and handles rows that join or drop registers); the
// dispatcher uses a widening whenever the row has one.

package syscall

// widening is how each of the six registers of one table row becomes its
// argument: shift left by sh, then back right by sh, arithmetically where
// signed is all ones. sh 32 keeps an int or unsigned int, 48 an unsigned
// short, 0 the whole register. Only the row's n registers are converted;
// the rest of Args.V stays zero. Shifts are masked below 64 so that each is
// one instruction: Go must guard a shift that might reach 64, and those
// guards made a first version of apply 140 instructions long.
type widening struct {
	sh     [MaxArgs]uint8
	signed [MaxArgs]uint64
	n      uint8
	ok     bool // false: the row joins or drops registers; use convert
}

// compile builds s's widening for one ABI (compat: the i386 rules of
// Sig.convert, where every register is first cut to 32 bits).
func (s *Sig) compile(compat bool) widening {
	var w widening
	if s.n > MaxArgs {
		return w
	}
	for i := 0; i < int(s.n); i++ {
		var sh uint8
		signed := false
		switch s.kinds[i] {
		case Fd, Int:
			sh, signed = 32, true
		case Uint:
			sh = 32
		case Mode, U16:
			sh = 48
		case Long:
			if compat {
				sh, signed = 32, true
			}
		case Ulong, Size, Ptr, Str, Loff, U64:
			if compat {
				sh = 32
			}
		default: // Lo, Hi, Ignored and anything unknown
			return w
		}
		w.sh[i] = sh
		if signed {
			w.signed[i] = ^uint64(0)
		}
	}
	w.n, w.ok = s.n, true
	return w
}

// widen is one register's conversion; it compiles to shifts and masks.
func widen(r uint64, sh uint8, signed uint64) uint64 {
	x := r << (sh & 63)
	return uint64(int64(x)>>(sh&63))&signed | x>>(sh&63)&^signed
}

// apply converts the row's registers in v, in place, and clears the slots
// past them (Args.V[N:] are zero). One switch, each case straight-line
// code: under emulation every loop iteration and every extra branch is
// another translated block.
func (w *widening) apply(v *[MaxArgs]uint64) {
	switch w.n {
	case 0:
		*v = [MaxArgs]uint64{}
	case 1:
		v[0] = widen(v[0], w.sh[0], w.signed[0])
		*(*[5]uint64)(v[1:]) = [5]uint64{}
	case 2:
		v[0] = widen(v[0], w.sh[0], w.signed[0])
		v[1] = widen(v[1], w.sh[1], w.signed[1])
		*(*[4]uint64)(v[2:]) = [4]uint64{}
	case 3:
		v[0] = widen(v[0], w.sh[0], w.signed[0])
		v[1] = widen(v[1], w.sh[1], w.signed[1])
		v[2] = widen(v[2], w.sh[2], w.signed[2])
		*(*[3]uint64)(v[3:]) = [3]uint64{}
	case 4:
		v[0] = widen(v[0], w.sh[0], w.signed[0])
		v[1] = widen(v[1], w.sh[1], w.signed[1])
		v[2] = widen(v[2], w.sh[2], w.signed[2])
		v[3] = widen(v[3], w.sh[3], w.signed[3])
		v[4], v[5] = 0, 0
	case 5:
		v[0] = widen(v[0], w.sh[0], w.signed[0])
		v[1] = widen(v[1], w.sh[1], w.signed[1])
		v[2] = widen(v[2], w.sh[2], w.signed[2])
		v[3] = widen(v[3], w.sh[3], w.signed[3])
		v[4] = widen(v[4], w.sh[4], w.signed[4])
		v[5] = 0
	case 6:
		v[0] = widen(v[0], w.sh[0], w.signed[0])
		v[1] = widen(v[1], w.sh[1], w.signed[1])
		v[2] = widen(v[2], w.sh[2], w.signed[2])
		v[3] = widen(v[3], w.sh[3], w.signed[3])
		v[4] = widen(v[4], w.sh[4], w.signed[4])
		v[5] = widen(v[5], w.sh[5], w.signed[5])
	}
}
