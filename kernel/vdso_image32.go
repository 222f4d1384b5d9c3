package kernel

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/mm"
)

// The i386 vDSO: the same two pages for 32-bit programs, with
// __kernel_vsyscall (AT_SYSINFO, what glibc calls through %gs:0x10: in
// one of two flavours, below) and the clock: __vdso_clock_gettime64 (the time64
// call glibc 2.36 and musl 1.2 try first) and __vdso_clock_gettime (32-bit
// timespec). i386 has no RIP-relative addressing, so the code finds the
// vvar page with CALL/POP; the 64x64-bit multiply is done in 32-bit
// halves. Assembled with GNU as --32 (vvar at 0, code at 0x1400):
//
//	__kernel_vsyscall: int $0x80; ret
//	clock_gettime64:   push ebx/esi/edi/ebp; ebx = clock, edi = ts
//		clocks other than 0,1,4,5,6,7 -> int $0x80 with eax = 403
//		call cgt_ns; div 1e9; ts = {sec (64-bit), nsec (64-bit)}; eax = 0
//	clock_gettime:     the same with a 32-bit timespec, fallback eax = 265
//	cgt_ns:            call 2f; 2: pop ebp; rdtsc; delta = tsc - vvar.tsc0
//		ns = (delta * vvar.mult) >> 32, from four 32x32 products;
//		CLOCK_REALTIME(_COARSE) adds vvar.wall; returns ns in edx:eax
//	__kernel_sigreturn:    popl %eax; movl $119, %eax; int $0x80
//	__kernel_rt_sigreturn: movl $173, %eax; int $0x80
//	(the signal return trampolines: glibc i386 leaves sa_restorer unset
//	when there is a vDSO, and the kernel points pretcode here)
//	__kernel_vsyscall, SYSCALL flavour (compat_syscall.go):
//		push ecx; push ebp; mov ebp, ecx; syscall
//		int $0x80       (a restarted call re-enters here)
//		landing: pop ebp; pop ecx; ret
//
// The plain "int $0x80; ret" at offset 0 serves every CPU; the SYSCALL
// flavour is __kernel_vsyscall where SYSCALL works in compatibility mode
// (AMD, Hygon: Config.CompatSyscall), as Linux's vdso32 picks SYSCALL
// there with its ALTERNATIVE.
//
// vdso_test.go decodes it and checks every vvar reference.
var vdsoCode32 = [...]byte{
	0xcd, 0x80, 0xc3, 0x53, 0x56, 0x57, 0x55, 0x8b, 0x5c, 0x24, 0x14, 0x8b,
	0x7c, 0x24, 0x18, 0x83, 0xfb, 0x07, 0x77, 0x2d, 0xb9, 0xf3, 0x00, 0x00,
	0x00, 0x0f, 0xa3, 0xd9, 0x73, 0x23, 0xe8, 0x6a, 0x00, 0x00, 0x00, 0xb9,
	0x00, 0xca, 0x9a, 0x3b, 0xf7, 0xf1, 0x89, 0x07, 0xc7, 0x47, 0x04, 0x00,
	0x00, 0x00, 0x00, 0x89, 0x57, 0x08, 0xc7, 0x47, 0x0c, 0x00, 0x00, 0x00,
	0x00, 0x31, 0xc0, 0xeb, 0x09, 0xb8, 0x93, 0x01, 0x00, 0x00, 0x89, 0xf9,
	0xcd, 0x80, 0x5d, 0x5f, 0x5e, 0x5b, 0xc3, 0x53, 0x56, 0x57, 0x55, 0x8b,
	0x5c, 0x24, 0x14, 0x8b, 0x7c, 0x24, 0x18, 0x83, 0xfb, 0x07, 0x77, 0x1f,
	0xb9, 0xf3, 0x00, 0x00, 0x00, 0x0f, 0xa3, 0xd9, 0x73, 0x15, 0xe8, 0x1e,
	0x00, 0x00, 0x00, 0xb9, 0x00, 0xca, 0x9a, 0x3b, 0xf7, 0xf1, 0x89, 0x07,
	0x89, 0x57, 0x04, 0x31, 0xc0, 0xeb, 0x09, 0xb8, 0x09, 0x01, 0x00, 0x00,
	0x89, 0xf9, 0xcd, 0x80, 0x5d, 0x5f, 0x5e, 0x5b, 0xc3, 0x55, 0x56, 0x57,
	0x53, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x5d, 0x0f, 0x31, 0x2b, 0x85, 0x6a,
	0xeb, 0xff, 0xff, 0x1b, 0x95, 0x6e, 0xeb, 0xff, 0xff, 0x89, 0xc6, 0x89,
	0xd7, 0xf7, 0xa5, 0x72, 0xeb, 0xff, 0xff, 0x89, 0xd3, 0x31, 0xc9, 0x89,
	0xf0, 0xf7, 0xa5, 0x76, 0xeb, 0xff, 0xff, 0x01, 0xc3, 0x11, 0xd1, 0x89,
	0xf8, 0xf7, 0xa5, 0x72, 0xeb, 0xff, 0xff, 0x01, 0xc3, 0x11, 0xd1, 0x89,
	0xf8, 0xf7, 0xa5, 0x76, 0xeb, 0xff, 0xff, 0x01, 0xc1, 0x8b, 0x04, 0x24,
	0x85, 0xc0, 0x74, 0x05, 0x83, 0xf8, 0x05, 0x75, 0x0c, 0x03, 0x9d, 0x7a,
	0xeb, 0xff, 0xff, 0x13, 0x8d, 0x7e, 0xeb, 0xff, 0xff, 0x89, 0xd8, 0x89,
	0xca, 0x5b, 0x5f, 0x5e, 0x5d, 0xc3,
	0x58, 0xb8, 0x77, 0x00, 0x00, 0x00, 0xcd, 0x80, // __kernel_sigreturn
	0xb8, 0xad, 0x00, 0x00, 0x00, 0xcd, 0x80, // __kernel_rt_sigreturn
	0x51, 0x55, 0x89, 0xcd, 0x0f, 0x05, // __kernel_vsyscall (SYSCALL): push ecx; push ebp; mov ebp, ecx; syscall
	0xcd, 0x80, // int $0x80
	0x5d, 0x59, 0xc3, // landing: pop ebp; pop ecx; ret
}

// Offsets of the functions inside vdsoCode32.
const (
	vdso32VsyscallOff    = 0x00
	vdso32Gettime64Off   = 0x03
	vdso32GettimeOff     = 0x4f
	vdso32CgtNsOff       = 0x8d
	vdso32SigretOff      = 0xf6
	vdso32RtSigretOff    = 0xfe
	vdso32SysVsyscallOff = 0x105 // __kernel_vsyscall, SYSCALL flavour
	// Inside it: where SYSCALL returns (RCX), which is the int $0x80 a
	// restarted call goes back to, and the landing pad after it.
	vdso32SysRetOff  = vdso32SysVsyscallOff + 6
	vdso32LandingOff = vdso32SysVsyscallOff + 8
)

// vdso32Vsyscall is the offset of the __kernel_vsyscall flavour for this
// CPU: SYSCALL where it works in compatibility mode, int $0x80 elsewhere.
func vdso32Vsyscall(compatSyscall bool) uint32 { return vsyscallSym(compatSyscall).off }

// buildVDSOImage32 is buildVDSOImage for ELFCLASS32/EM_386; compatSyscall
// picks __kernel_vsyscall's flavour.
func buildVDSOImage32(compatSyscall bool) []byte {
	img := make([]byte, mm.PageSize)
	le := binary.LittleEndian
	const (
		phOff   = 0x34
		dynOff  = 0x80
		hashOff = 0xc0
		symOff  = 0xf0 // after the 9-word hash table
		strOff  = 0x160
	)
	strtab := "\x00__kernel_vsyscall\x00__vdso_clock_gettime64\x00__vdso_clock_gettime\x00__kernel_sigreturn\x00__kernel_rt_sigreturn\x00linux-gate.so.1\x00"
	copy(img[strOff:], strtab)
	nameAt := func(s string) uint32 { return strtabIndex(strtab, s) }

	copy(img, "\x7fELF")
	img[4], img[5], img[6] = 1, 1, 1 // ELFCLASS32, little endian, EV_CURRENT
	le.PutUint16(img[16:], 3)        // ET_DYN
	le.PutUint16(img[18:], 3)        // EM_386
	le.PutUint32(img[20:], 1)
	le.PutUint32(img[28:], phOff)
	le.PutUint16(img[40:], 52) // e_ehsize
	le.PutUint16(img[42:], 32) // e_phentsize
	le.PutUint16(img[44:], 2)  // e_phnum
	le.PutUint16(img[46:], 40) // e_shentsize

	ph := func(i int, typ, flags, off, size, align uint32) {
		p := img[phOff+32*i:]
		for j, v := range []uint32{typ, off, off, off, size, size, flags, align} {
			le.PutUint32(p[4*j:], v)
		}
	}
	ph(0, 1, 5, 0, mm.PageSize, mm.PageSize) // PT_LOAD, R+X
	ph(1, 2, 4, dynOff, 7*8, 4)              // PT_DYNAMIC, R

	for i, d := range [][2]uint32{
		{4, hashOff}, {5, strOff}, {6, symOff}, {10, uint32(len(strtab))}, {11, 16},
		{14, nameAt("linux-gate.so.1")}, {0, 0},
	} {
		le.PutUint32(img[dynOff+8*i:], d[0])
		le.PutUint32(img[dynOff+8*i+4:], d[1])
	}
	for i, v := range oneBucketHash(5) {
		le.PutUint32(img[hashOff+4*i:], v)
	}
	for i, s := range []vdsoSym32{
		vsyscallSym(compatSyscall),
		{"__vdso_clock_gettime64", vdso32Gettime64Off, vdso32GettimeOff - vdso32Gettime64Off},
		{"__vdso_clock_gettime", vdso32GettimeOff, vdso32CgtNsOff - vdso32GettimeOff},
		{"__kernel_sigreturn", vdso32SigretOff, vdso32RtSigretOff - vdso32SigretOff},
		{"__kernel_rt_sigreturn", vdso32RtSigretOff, vdso32SysVsyscallOff - vdso32RtSigretOff},
	} {
		p := img[symOff+16*(i+1):]
		le.PutUint32(p[0:], nameAt(s.name))
		le.PutUint32(p[4:], vdsoCodeOff+s.off)
		le.PutUint32(p[8:], s.size)
		p[12] = 1<<4 | 2        // STB_GLOBAL, STT_FUNC
		le.PutUint16(p[14:], 1) // defined
	}
	copy(img[vdsoCodeOff:], vdsoCode32[:])
	return img
}

// vdsoSym32 is one dynamic symbol of the i386 image.
type vdsoSym32 struct {
	name      string
	off, size uint32
}

// vsyscallSym is __kernel_vsyscall's symbol: the flavour in use, the one
// place that picks it.
func vsyscallSym(compatSyscall bool) vdsoSym32 {
	off, end := uint32(vdso32VsyscallOff), uint32(vdso32Gettime64Off)
	if compatSyscall {
		off, end = vdso32SysVsyscallOff, uint32(len(vdsoCode32))
	}
	return vdsoSym32{"__kernel_vsyscall", off, end - off}
}
