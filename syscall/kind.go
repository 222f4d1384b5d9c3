// Argument kinds: what C type a handler declares for each register, and how
// that type widens a register to the 64-bit value the handler receives.

package syscall

// Kind is the C type class of one syscall argument register. It decides how
// the register is widened to 64 bits, the way Linux's SYSCALL_DEFINE wrappers
// do it with __SC_CAST (64-bit callers) and __SC_COMPAT_CAST + __SC_DELOUSE
// (i386 callers) in arch/x86/include/asm/syscall_wrapper.h and
// include/linux/compat.h, and how the tracer prints it.
type Kind uint8

// The kinds. For each: the C types it stands for, then the widening for the
// 64-bit ABIs (x86_64, x32) and for i386, where every register is first
// truncated to 32 bits (§1.3 step 1: "(unsigned int)" in __SC_COMPAT_CAST).
const (
	// Fd is a file descriptor (int or unsigned int fd; unsigned long fd in
	// mmap, which fget() truncates to unsigned int): low 32 bits as int32,
	// so 0x1_0000_0003 is fd 3 and 0xffffffff is -1 (EBADF either way).
	Fd Kind = iota + 1
	// Int is int and the 32-bit signed typedefs (pid_t, clockid_t,
	// compat_long_t, ...): low 32 bits, sign-extended. The upper half of a
	// 64-bit register is garbage the handler never sees (§1.1 "arg width").
	Int
	// Uint is unsigned int, u32, uid_t, compat_ulong_t ...: low 32 bits,
	// zero-extended.
	Uint
	// Mode is umode_t (unsigned short): low 16 bits, printed in octal.
	Mode
	// U16 is old_uid_t/old_gid_t of the 16-bit ID calls: low 16 bits.
	U16
	// Long is long, off_t, ssize_t: the whole register on 64-bit ABIs; on
	// i386 the low 32 bits sign-extended, because __SC_COMPAT_CAST
	// sign-extends exactly the parameters whose type is long.
	Long
	// Ulong is unsigned long: the whole register; zero-extended on i386.
	Ulong
	// Size is size_t: as Ulong, printed as a count.
	Size
	// Ptr is a user pointer (and unsigned long addresses): as Ulong, printed
	// in hex. On i386 zero extension is compat_ptr().
	Ptr
	// Str is a user pointer to a NUL-terminated string (a path or name):
	// as Ptr; the tracer prints the string when the context can read it.
	Str
	// Loff is loff_t, a signed 64-bit file offset, in one 64-bit register.
	// It never appears in an i386 row: there it is split into Lo/Hi.
	Loff
	// U64 is __u64 in one 64-bit register (fanotify_mark's mask).
	U64
	// Lo is the low 32 bits of a 64-bit value split across two registers;
	// the next register must be its Hi. The two are joined into one
	// argument (§1.3 step 3: pread64's pos_lo in esi, pos_hi in edi).
	Lo
	// Hi is the high 32 bits of a split 64-bit value. A Hi followed by Lo
	// is joined high-first, which only _llseek does.
	Hi
	// Ignored is a register Linux reads but whose value cannot matter: the
	// pos_h of x86_64 preadv/pwritev, which pos_from_hilo() shifts out of a
	// 64-bit loff_t. It is dropped, so native and i386 preadv hand their
	// handler the same (fd, vec, vlen, pos[, flags]) list.
	Ignored
)

var kindNames = [...]string{
	Fd: "Fd", Int: "Int", Uint: "Uint", Mode: "Mode", U16: "U16", Long: "Long",
	Ulong: "Ulong", Size: "Size", Ptr: "Ptr", Str: "Str", Loff: "Loff",
	U64: "U64", Lo: "Lo", Hi: "Hi", Ignored: "Ignored",
}

// String returns the kind's Go name ("Fd").
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "Kind(" + itoa(uint64(k)) + ")"
}

// MaxArgs is the number of argument registers of every x86 syscall ABI.
const MaxArgs = 6

// Sig is the argument list of one table row: a kind per register, in
// register order, plus two properties of the call itself.
type Sig struct {
	kinds [MaxArgs]Kind
	n     uint8
	flags uint8
}

const (
	sigNoReturn    = 1 << iota // the call does not come back (exit, exit_group)
	sigReturnsAddr             // success values are addresses (mmap, brk)
)

// args0 to args6 build a Sig; table rows read like the C prototype:
// args3(Fd, Ptr, Size) for read(unsigned int fd, char *buf, size_t count).
// They are one-line constructors of constants, which the compiler inlines
// and so lays the tables out as data in the image. A variadic constructor
// made the package's init fill in every row at boot instead: 52 KB of code
// run once, which TCG had to translate first (bench/README.md, boot).
func args0() Sig                { return Sig{} }
func args1(a Kind) Sig          { return Sig{kinds: [MaxArgs]Kind{a}, n: 1} }
func args2(a, b Kind) Sig       { return Sig{kinds: [MaxArgs]Kind{a, b}, n: 2} }
func args3(a, b, c Kind) Sig    { return Sig{kinds: [MaxArgs]Kind{a, b, c}, n: 3} }
func args4(a, b, c, d Kind) Sig { return Sig{kinds: [MaxArgs]Kind{a, b, c, d}, n: 4} }
func args5(a, b, c, d, e Kind) Sig {
	return Sig{kinds: [MaxArgs]Kind{a, b, c, d, e}, n: 5}
}
func args6(a, b, c, d, e, f Kind) Sig {
	return Sig{kinds: [MaxArgs]Kind{a, b, c, d, e, f}, n: 6}
}

// noReturn marks calls that never return to the caller (the "noreturn"
// column of the .tbl file): the tracer prints "= ?" before running them.
func (s Sig) noReturn() Sig { s.flags |= sigNoReturn; return s }

// returnsAddr marks calls whose result is an address, printed in hex.
func (s Sig) returnsAddr() Sig { s.flags |= sigReturnsAddr; return s }

// Kinds returns the register kinds in order.
func (s Sig) Kinds() []Kind {
	n := min(int(s.n), MaxArgs)
	return append([]Kind(nil), s.kinds[:n]...)
}

// NoReturn reports whether the call never returns (exit, exit_group).
func (s Sig) NoReturn() bool { return s.flags&sigNoReturn != 0 }

// ReturnsAddr reports whether a successful result is an address.
func (s Sig) ReturnsAddr() bool { return s.flags&sigReturnsAddr != 0 }

// validate reports the first structural error of a row's kinds: too many
// registers, a Lo/Hi without its other half, or an unknown kind.
func (s Sig) validate() string {
	if s.n > MaxArgs {
		return "more than 6 argument registers"
	}
	for i := 0; i < int(s.n); i++ {
		switch k := s.kinds[i]; k {
		case Lo, Hi:
			want := Hi
			if k == Hi {
				want = Lo
			}
			if i+1 >= int(s.n) || s.kinds[i+1] != want {
				return k.String() + " at register " + itoa(uint64(i)) + " has no " + want.String() + " after it"
			}
			i++
		case Fd, Int, Uint, Mode, U16, Long, Ulong, Size, Ptr, Str, Loff, U64, Ignored:
		default:
			return "unknown kind " + k.String()
		}
	}
	return ""
}

// convert widens the raw registers into the handler's arguments and returns
// how many it produced. compat selects the i386 rules.
//
// Mirrors the per-parameter casts of arch/x86/include/asm/syscall_wrapper.h:
// __SC_CAST for __x64_sys_* stubs, and for __ia32_* stubs __SC_COMPAT_CAST
// (truncate to unsigned int, sign-extend only if the type is long) followed
// by the cast to the declared type. Lo/Hi pairs are what the sys_ia32_*
// wrappers of arch/x86/kernel/sys_ia32.c rebuild by hand.
func (s *Sig) convert(compat bool, regs *[MaxArgs]uint64, out *[MaxArgs]uint64) int {
	j := 0
	n := int(s.n)
	for i := 0; i < n; i++ {
		r := regs[i]
		if compat {
			r = uint64(uint32(r))
		}
		switch s.kinds[i] {
		case Fd, Int:
			out[j] = uint64(int64(int32(r)))
		case Uint:
			out[j] = uint64(uint32(r))
		case Mode, U16:
			out[j] = uint64(uint16(r))
		case Long:
			if compat {
				out[j] = uint64(int64(int32(r)))
			} else {
				out[j] = r
			}
		case Lo:
			out[j] = uint64(uint32(r)) | uint64(uint32(regs[i+1]))<<32
			i++
		case Hi:
			out[j] = uint64(uint32(r))<<32 | uint64(uint32(regs[i+1]))
			i++
		case Ignored:
			continue
		default: // Ulong, Size, Ptr, Str, Loff, U64: the register as is
			out[j] = r
		}
		j++
	}
	return j
}

// outKinds returns the kinds of the converted arguments: Lo/Hi pairs become
// one Loff, Ignored registers vanish. The tracer prints with these.
func (s *Sig) outKinds() (ks [MaxArgs]Kind, n int) {
	for i := 0; i < int(s.n) && i < MaxArgs; i++ {
		switch s.kinds[i] {
		case Lo, Hi:
			ks[n] = Loff
			i++
		case Ignored:
			continue
		default:
			ks[n] = s.kinds[i]
		}
		n++
	}
	return ks, n
}

// itoa keeps this file free of strconv for one tiny use.
func itoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}
