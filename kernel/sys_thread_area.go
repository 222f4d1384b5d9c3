package kernel

// i386 TLS: set_thread_area and get_thread_area (arch/x86/kernel/tls.c),
// LINUX-SEMANTICS §8.5. Each thread owns three GDT descriptors, slots
// 12-14 under IA32 emulation; the nucleus puts UserRegs.TLS into the GDT
// on entry to user mode whenever the GDT holds other descriptors.

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/ringo-os/ringo/syscall"
)

const (
	gdtEntryTLSMin = 12
	gdtEntryTLSMax = 14
	userDescSize   = 16
)

// userDesc is struct user_desc.
type userDesc struct {
	entry, base, limit                                               uint32
	seg32, contents, readExecOnly, limitInPages, notPresent, useable uint32
}

func decodeUserDesc(b []byte) userDesc {
	f := binary.LittleEndian.Uint32(b[12:])
	return userDesc{
		entry: binary.LittleEndian.Uint32(b), base: binary.LittleEndian.Uint32(b[4:]), limit: binary.LittleEndian.Uint32(b[8:]),
		seg32: f & 1, contents: f >> 1 & 3, readExecOnly: f >> 3 & 1, limitInPages: f >> 4 & 1,
		notPresent: f >> 5 & 1, useable: f >> 6 & 1,
	}
}

func (u userDesc) encode() []byte {
	b := make([]byte, userDescSize)
	binary.LittleEndian.PutUint32(b, u.entry)
	binary.LittleEndian.PutUint32(b[4:], u.base)
	binary.LittleEndian.PutUint32(b[8:], u.limit)
	binary.LittleEndian.PutUint32(b[12:], u.seg32|u.contents<<1|u.readExecOnly<<3|u.limitInPages<<4|u.notPresent<<5|u.useable<<6)
	return b
}

// empty is LDT_empty or LDT_zero: the descriptor clears its slot.
func (u userDesc) empty() bool {
	ldtEmpty := u.base == 0 && u.limit == 0 && u.contents == 0 && u.readExecOnly == 1 &&
		u.seg32 == 0 && u.limitInPages == 0 && u.notPresent == 1 && u.useable == 0
	ldtZero := u.base == 0 && u.limit == 0 && u.contents == 0 && u.readExecOnly == 0 &&
		u.seg32 == 0 && u.limitInPages == 0 && u.notPresent == 0 && u.useable == 0
	return ldtEmpty || ldtZero
}

// okay is tls_desc_okay: only present 32-bit data segments.
func (u userDesc) okay() bool {
	if u.empty() {
		return true
	}
	return u.seg32 == 1 && u.contents <= 1 && u.notPresent == 0
}

// descriptor is fill_ldt: the 8-byte GDT entry (S=1, DPL=3, accessed).
func (u userDesc) descriptor() uint64 {
	if u.empty() {
		return 0
	}
	typ := uint64((u.readExecOnly^1)<<1|u.contents<<2) | 1
	d := uint64(u.limit&0xffff) | uint64(u.base&0xffff)<<16 | uint64(u.base>>16&0xff)<<32
	d |= typ<<40 | 1<<44 | 3<<45 | uint64(u.notPresent^1)<<47
	d |= uint64(u.limit>>16&0xf)<<48 | uint64(u.useable)<<52 | uint64(u.seg32)<<54 | uint64(u.limitInPages)<<55
	d |= uint64(u.base>>24) << 56
	return d
}

// descToUser is fill_user_desc.
func descToUser(entry uint32, d uint64) userDesc {
	typ := uint32(d >> 40 & 0xf)
	return userDesc{
		entry: entry,
		base:  uint32(d>>16&0xffff) | uint32(d>>32&0xff)<<16 | uint32(d>>56)<<24,
		limit: uint32(d&0xffff) | uint32(d>>48&0xf)<<16,
		seg32: uint32(d >> 54 & 1), contents: typ >> 2 & 3, readExecOnly: (typ>>1&1 ^ 1),
		limitInPages: uint32(d >> 55 & 1), notPresent: uint32(d>>47&1 ^ 1), useable: uint32(d >> 52 & 1),
	}
}

// sysSetThreadArea mirrors do_set_thread_area(current, -1, u_info, 1).
func (t *Task) sysSetThreadArea(a *syscall.Args) (uint64, error) {
	addr := a.Ptr(0)
	var b [userDescSize]byte
	if err := t.copyIn(addr, b[:]); err != nil {
		return 0, err
	}
	u := decodeUserDesc(b[:])
	if !u.okay() {
		return 0, abi.EINVAL
	}
	idx := int32(u.entry)
	if idx == -1 {
		idx = -1
		for i, d := range t.regs.TLS {
			if d == 0 {
				idx = int32(gdtEntryTLSMin + i)
				break
			}
		}
		if idx == -1 {
			return 0, abi.ESRCH
		}
		if err := t.putU32(addr, uint32(idx)); err != nil {
			return 0, err
		}
	}
	if idx < gdtEntryTLSMin || idx > gdtEntryTLSMax {
		return 0, abi.EINVAL
	}
	t.regs.TLS[idx-gdtEntryTLSMin] = u.descriptor()
	// Linux reloads a segment register that holds the modified selector
	// (load_TLS, then loadsegment in do_set_thread_area), so its base
	// is the new descriptor's at once. The nucleus reloads the selector
	// on the next entry and then sets the base from UserRegs: keep that
	// base in step.
	if int32(t.regs.FS>>3) == idx {
		t.regs.FSBase = segmentBase(&t.regs, t.regs.FS)
	}
	if int32(t.regs.GS>>3) == idx {
		t.regs.GSBase = segmentBase(&t.regs, t.regs.GS)
	}
	return 0, nil
}

// segmentBase is the base that loading sel into FS or GS gives: a present
// TLS descriptor's base, else 0 (the null selector and __USER_DS have base
// 0, and the nucleus replaces any other selector by the null one).
func segmentBase(r *amd64.UserRegs, sel uint16) uint64 {
	i := int(sel >> 3)
	if sel&7 != 3 || i < gdtEntryTLSMin || i > gdtEntryTLSMax {
		return 0
	}
	u := descToUser(0, r.TLS[i-gdtEntryTLSMin])
	if u.notPresent == 1 { // also an empty slot
		return 0
	}
	return uint64(u.base)
}

// sysGetThreadArea mirrors do_get_thread_area.
func (t *Task) sysGetThreadArea(a *syscall.Args) (uint64, error) {
	addr := a.Ptr(0)
	var b [4]byte
	if err := t.copyIn(addr, b[:]); err != nil {
		return 0, err
	}
	idx := int32(binary.LittleEndian.Uint32(b[:]))
	if idx < gdtEntryTLSMin || idx > gdtEntryTLSMax {
		return 0, abi.EINVAL
	}
	u := descToUser(uint32(idx), t.regs.TLS[idx-gdtEntryTLSMin])
	return 0, t.copyOut(addr, u.encode())
}
