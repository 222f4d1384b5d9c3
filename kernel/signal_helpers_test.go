package kernel

// Helpers for the signal tests: installing actions the way glibc and
// musl do (64-bit struct sigaction with SA_RESTORER; i386 through
// rt_sigaction 174 or the compat layouts), raising signals, and reading
// frames back.

import (
	"encoding/binary"
	"testing"

	"github.com/ringo-os/ringo/arch/amd64"
	"github.com/stretchr/testify/require"
)

// Addresses in the scratch area the tests use for structures.
const (
	actAddr   = scratch + 0x20000
	oactAddr  = scratch + 0x20100
	setAddr   = scratch + 0x20200
	osetAddr  = scratch + 0x20300
	ssAddr    = scratch + 0x20400
	altStack  = scratch + 0x40000 // an alternate stack of altSize bytes
	altSize   = 0x4000
	handlerIP = 0x401100 // where "handlers" live (the scripted CPU runs nothing)
	restorer  = 0x401200
	unmapped  = 0x20000000 // nothing is mapped here
)

// sigaction64 installs an action through rt_sigaction (13).
func (u *user) sigaction64(sig int, handler, flags uint64, mask sigSet) int64 {
	u.t.Helper()
	b := make([]byte, 32)
	le := binary.LittleEndian
	le.PutUint64(b, handler)
	le.PutUint64(b[8:], flags|saRESTORER)
	le.PutUint64(b[16:], restorer)
	le.PutUint64(b[24:], uint64(mask))
	u.poke(actAddr, b)
	return u.syscall(13, uint64(sig), actAddr, 0, 8)
}

// sigaction32 installs an action through the i386 rt_sigaction (174),
// with the 20-byte compat layout.
func (u *user) sigaction32(sig int, handler, flags, restorerAddr uint64, mask sigSet) int64 {
	u.t.Helper()
	b := make([]byte, 20)
	le := binary.LittleEndian
	le.PutUint32(b, uint32(handler))
	le.PutUint32(b[4:], uint32(flags))
	le.PutUint32(b[8:], uint32(restorerAddr))
	le.PutUint64(b[12:], uint64(mask))
	u.poke(actAddr, b)
	return u.int80(174, uint64(sig), actAddr, 0, 8)
}

// queryAction reads the current action of sig (64-bit layout).
func (u *user) queryAction(sig int) sigAction {
	u.t.Helper()
	require.Equal(u.t, int64(0), u.syscall(13, uint64(sig), 0, oactAddr, 8))
	return decodeSigaction(u.peek(oactAddr, 32), false)
}

// blockedMask reads the thread's mask with rt_sigprocmask.
func (u *user) blockedMask() sigSet {
	u.t.Helper()
	require.Equal(u.t, int64(0), u.syscall(14, 0, 0, osetAddr, 8))
	return sigSet(u.u64(osetAddr))
}

// raise sends sig to the task itself with tgkill (234) and lets the
// signal step run; the CPU comes back in the handler if there is one.
func (u *user) raise(sig int) int64 {
	u.t.Helper()
	pid := uint64(u.p.pid)
	return u.syscall(234, pid, pid, uint64(sig))
}

// fault makes the CPU come back with a trap.
func (u *user) fault(info amd64.TrapInfo) { u.trap(info) }

// fillRegs gives every general register a distinct value.
func fillRegs(r *amd64.UserRegs) amd64.UserRegs {
	r.R8, r.R9, r.R10, r.R11 = 0x0808080808080808, 0x0909090909090909, 0x1010101010101010, 0x1111111111111111
	r.R12, r.R13, r.R14, r.R15 = 0x1212121212121212, 0x1313131313131313, 0x1414141414141414, 0x1515151515151515
	r.RDI, r.RSI, r.RBP, r.RBX = 0xd1d1d1d1, 0x5151515151, 0xb0b0b0b0b0, 0xb1b1b1b1b1
	r.RDX, r.RAX, r.RCX = 0xd2d2d2d2d2, 0xa0a0a0a0a0, 0xc1c1c1c1c1
	r.RFLAGS = 0x202 | 0x1 | 0x40 | 0x80 | 0x800 // CF ZF SF OF
	return *r
}

// fpuPattern is an FXSAVE image with recognisable x87 and SSE contents.
func fpuPattern() []byte {
	img := make([]byte, 512)
	for i := range img {
		img[i] = byte(i*7 + 3)
	}
	le := binary.LittleEndian
	le.PutUint16(img[fxFCW:], 0x027f)
	le.PutUint16(img[fxFSW:], 0x3800) // top = 7
	img[fxFTW] = 0x81
	le.PutUint32(img[fxMXCSR:], 0x1f80|0x6000) // round toward zero
	le.PutUint32(img[28:], 0xffff)
	clear(img[fxSWBytes:]) // sw_reserved never comes back from a frame
	return img
}

func expectSignalExit(t *testing.T, u *user, sig int) {
	t.Helper()
	require.Nil(t, u.regs, "the process must be gone")
	require.Equal(t, sig, u.p.Wait(), "killed by signal %d", sig)
}
