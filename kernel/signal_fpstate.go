package kernel

// The FPU state in signal frames (arch/x86/kernel/fpu/signal.c,
// regset.c: convert_from_fxsr, convert_to_fxsr). Ringo's CPU model is
// FXSAVE without XSAVE, so a frame carries the 512-byte FXSAVE image
// (64-bit frames point sigcontext.fpstate at it) and, for ia32 frames,
// the 112-byte i387 "fregs_state" header in front of it, with magic
// 0x0000 (X86_FXSR_MAGIC) saying the FXSAVE image follows.

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/arch/amd64"
)

// FXSAVE image offsets (Intel SDM Vol. 1 Table 10-2).
const (
	fxFCW      = 0
	fxFSW      = 2
	fxFTW      = 4 // abridged tag: one bit per register, 1 = valid
	fxFOP      = 6
	fxFIP      = 8
	fxFDP      = 16
	fxMXCSR    = amd64.FxMXCSR
	fxST       = 32  // eight 16-byte slots, 10 bytes used
	fxSWBytes  = 464 // sw_reserved: where XSAVE-aware kernels put FP_XSTATE_MAGIC1
	fxSWLength = 48
)

// putFXSAVE stores the thread's FXSAVE image in a frame. The
// software-reserved tail is zeroed: no FP_XSTATE_MAGIC1, so user space
// knows there is no extended state.
func putFXSAVE(dst []byte, fpu *amd64.FPUState) {
	copy(dst[:fxsaveSize], fpu.Image())
	clear(dst[fxSWBytes : fxSWBytes+fxSWLength])
}

// loadFXSAVE installs an FXSAVE image from a frame; an MXCSR with bits
// the CPU does not support is refused (FXRSTOR would #GP), which makes
// the sigreturn a bad frame.
func loadFXSAVE(fpu *amd64.FPUState, img []byte) bool {
	if binary.LittleEndian.Uint32(img[fxMXCSR:])&^amd64.MXCSRFeatureMask != 0 {
		return false
	}
	copy(fpu.Image(), img[:fxsaveSize])
	return true
}

// The legacy header (struct _fpstate_32 up to magic).
const (
	fr32CW      = 0
	fr32SW      = 4
	fr32Tag     = 8
	fr32IPOff   = 12
	fr32CSSel   = 16
	fr32DataOff = 20
	fr32DataSel = 24
	fr32ST      = 28 // eight 10-byte registers
	fr32Status  = 108
	fr32Magic   = 110
)

// putFregs32 mirrors convert_from_fxsr on a 64-bit kernel plus the
// status and magic words of save_fsave_header: cs and ds stand in for the
// x87 selectors, which 64-bit FXSAVE does not keep.
func putFregs32(dst []byte, img []byte, cs, ds uint16) {
	le := binary.LittleEndian
	le.PutUint32(dst[fr32CW:], uint32(le.Uint16(img[fxFCW:]))|0xffff0000)
	le.PutUint32(dst[fr32SW:], uint32(le.Uint16(img[fxFSW:]))|0xffff0000)
	le.PutUint32(dst[fr32Tag:], twdFxsrToI387(img))
	le.PutUint32(dst[fr32IPOff:], le.Uint32(img[fxFIP:]))
	le.PutUint32(dst[fr32CSSel:], uint32(cs))
	le.PutUint32(dst[fr32DataOff:], le.Uint32(img[fxFDP:]))
	le.PutUint32(dst[fr32DataSel:], uint32(ds)|0xffff0000)
	for i := 0; i < 8; i++ {
		copy(dst[fr32ST+i*10:fr32ST+i*10+10], img[fxST+i*16:])
	}
	le.PutUint16(dst[fr32Status:], le.Uint16(img[fxFSW:]))
	le.PutUint16(dst[fr32Magic:], 0) // X86_FXSR_MAGIC
}

// applyFregs32 mirrors convert_to_fxsr: on an ia32 sigreturn the legacy
// header's control, status, tag, pointers and registers override the
// FXSAVE image's.
func applyFregs32(img []byte, env []byte) {
	le := binary.LittleEndian
	le.PutUint16(img[fxFCW:], uint16(le.Uint32(env[fr32CW:])))
	le.PutUint16(img[fxFSW:], uint16(le.Uint32(env[fr32SW:])))
	img[fxFTW] = twdI387ToFxsr(le.Uint32(env[fr32Tag:]))
	le.PutUint16(img[fxFOP:], uint16(le.Uint32(env[fr32CSSel:])>>16))
	le.PutUint64(img[fxFIP:], uint64(le.Uint32(env[fr32IPOff:])))
	le.PutUint64(img[fxFDP:], uint64(le.Uint32(env[fr32DataOff:])))
	for i := 0; i < 8; i++ {
		copy(img[fxST+i*16:fxST+i*16+10], env[fr32ST+i*10:])
	}
}

// twdFxsrToI387 mirrors twd_fxsr_to_i387: the full tag word (2 bits per
// physical register: 0 valid, 1 zero, 2 special, 3 empty) rebuilt from
// the abridged tag and the register contents.
func twdFxsrToI387(img []byte) uint32 {
	le := binary.LittleEndian
	tos := (le.Uint16(img[fxFSW:]) >> 11) & 7
	ftw := img[fxFTW]
	ret := uint32(0xffff0000)
	for i := 0; i < 8; i++ {
		tag := uint32(3) // empty
		if ftw&(1<<i) != 0 {
			st := img[fxST+((i-int(tos))&7)*16:]
			exp := le.Uint16(st[8:]) & 0x7fff
			mant := le.Uint64(st[0:])
			switch {
			case exp == 0x7fff:
				tag = 2
			case exp == 0 && mant == 0:
				tag = 1
			case exp == 0:
				tag = 2
			case mant&(1<<63) != 0:
				tag = 0
			default:
				tag = 2
			}
		}
		ret |= tag << (2 * i)
	}
	return ret
}

// twdI387ToFxsr mirrors twd_i387_to_fxsr: a register is valid unless its
// two tag bits are 11 (empty).
func twdI387ToFxsr(twd uint32) byte {
	var out byte
	for i := 0; i < 8; i++ {
		if (twd>>(2*i))&3 != 3 {
			out |= 1 << i
		}
	}
	return out
}
