package kernel

// The vDSO: a tiny ELF shared object mapped into every 64-bit process, so
// that clock_gettime, gettimeofday and time read the TSC in user mode
// instead of making a system call (arch/x86/entry/vdso in Linux; glibc and
// musl look it up through AT_SYSINFO_EHDR). Two pages: the vvar page with
// the clock's parameters, then the ELF image with the code. Unversioned
// symbols are enough for both libcs: glibc accepts them when the object
// has no DT_VERSYM, musl when it has no DT_VERDEF.
//
// The clock is the nucleus's CLOCK_MONOTONIC, ((TSC - tsc0) * mult) >> 32
// ns, and CLOCK_REALTIME adds the wall time at boot, so the vDSO and the
// system calls always agree. Clock ids it does not serve (the CPU-time
// clocks, anything unknown) fall back to the real system call.

import (
	"encoding/binary"
	"strings"

	"github.com/ringo-os/ringo/mm"
)

// VDSOClock is what the vvar page holds: the TSC at CLOCK_MONOTONIC's
// zero, the ns-per-tick multiplier (<<32), and CLOCK_REALTIME at zero.
type VDSOClock struct {
	TSC0, Mult uint64
}

// vdsoCode is the machine code of the three functions, laid out for the
// image below: it starts at offset vdsoCodeOff of the ELF page and reads
// the vvar page just before that page RIP-relative. Assembled with GNU as
// from this source (vvar at 0, code at 0x1400):
//
//	clock_gettime:                  // (clockid_t edi, struct timespec *rsi)
//		cmp $7, %edi; ja 1f
//		mov $0xf3, %eax; bt %edi, %eax; jnc 1f   // clocks 0,1,4,5,6,7
//		xor %r8d, %r8d
//		test %edi, %edi; je 2f; cmp $5, %edi; jne 3f
//	2:	mov vvar+16(%rip), %r8                   // REALTIME: wall at zero
//	3:	rdtsc; shl $32, %rdx; or %rdx, %rax
//		sub vvar(%rip), %rax; mulq vvar+8(%rip); shrd $32, %rdx, %rax
//		add %r8, %rax
//		mov $1000000000, %ecx; xor %edx, %edx; div %rcx
//		mov %rax, (%rsi); mov %rdx, 8(%rsi); xor %eax, %eax; ret
//	1:	mov $228, %eax; syscall; ret             // clock_gettime(2)
//	gettimeofday:                   // (struct timeval *rdi, struct timezone *rsi)
//		test %rdi, %rdi; jz 4f
//		(the same clock read) add vvar+16(%rip), %rax
//		ns/1000 -> us; us/1000000 -> sec, usec; store both
//	4:	test %rsi, %rsi; jz 5f; movq $0, (%rsi)
//	5:	xor %eax, %eax; ret
//	time:                           // (time_t *rdi)
//		(the same clock read) add vvar+16(%rip), %rax
//		ns/1e9; store through rdi if not NULL; ret
//
// vdso_test.go decodes it with x86asm and checks the layout.
var vdsoCode = [...]byte{
	0x83, 0xff, 0x07, 0x77, 0x50, 0xb8, 0xf3, 0x00, 0x00, 0x00, 0x0f, 0xa3,
	0xf8, 0x73, 0x46, 0x45, 0x31, 0xc0, 0x85, 0xff, 0x74, 0x05, 0x83, 0xff,
	0x05, 0x75, 0x07, 0x4c, 0x8b, 0x05, 0xee, 0xeb, 0xff, 0xff, 0x0f, 0x31,
	0x48, 0xc1, 0xe2, 0x20, 0x48, 0x09, 0xd0, 0x48, 0x2b, 0x05, 0xce, 0xeb,
	0xff, 0xff, 0x48, 0xf7, 0x25, 0xcf, 0xeb, 0xff, 0xff, 0x48, 0x0f, 0xac,
	0xd0, 0x20, 0x4c, 0x01, 0xc0, 0xb9, 0x00, 0xca, 0x9a, 0x3b, 0x31, 0xd2,
	0x48, 0xf7, 0xf1, 0x48, 0x89, 0x06, 0x48, 0x89, 0x56, 0x08, 0x31, 0xc0,
	0xc3, 0xb8, 0xe4, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xc3, 0x48, 0x85, 0xff,
	0x74, 0x3e, 0x0f, 0x31, 0x48, 0xc1, 0xe2, 0x20, 0x48, 0x09, 0xd0, 0x48,
	0x2b, 0x05, 0x8e, 0xeb, 0xff, 0xff, 0x48, 0xf7, 0x25, 0x8f, 0xeb, 0xff,
	0xff, 0x48, 0x0f, 0xac, 0xd0, 0x20, 0x48, 0x03, 0x05, 0x8b, 0xeb, 0xff,
	0xff, 0xb9, 0xe8, 0x03, 0x00, 0x00, 0x31, 0xd2, 0x48, 0xf7, 0xf1, 0xb9,
	0x40, 0x42, 0x0f, 0x00, 0x31, 0xd2, 0x48, 0xf7, 0xf1, 0x48, 0x89, 0x07,
	0x48, 0x89, 0x57, 0x08, 0x48, 0x85, 0xf6, 0x74, 0x07, 0x48, 0xc7, 0x06,
	0x00, 0x00, 0x00, 0x00, 0x31, 0xc0, 0xc3, 0x0f, 0x31, 0x48, 0xc1, 0xe2,
	0x20, 0x48, 0x09, 0xd0, 0x48, 0x2b, 0x05, 0x41, 0xeb, 0xff, 0xff, 0x48,
	0xf7, 0x25, 0x42, 0xeb, 0xff, 0xff, 0x48, 0x0f, 0xac, 0xd0, 0x20, 0x48,
	0x03, 0x05, 0x3e, 0xeb, 0xff, 0xff, 0xb9, 0x00, 0xca, 0x9a, 0x3b, 0x31,
	0xd2, 0x48, 0xf7, 0xf1, 0x48, 0x85, 0xff, 0x74, 0x03, 0x48, 0x89, 0x07,
	0xc3,
}

// Offsets of the functions inside vdsoCode.
const (
	vdsoClockGettimeOff = 0x00
	vdsoGettimeofdayOff = 0x5d
	vdsoTimeOff         = 0xaf
	vdsoCodeOff         = 0x400 // where the code sits in the ELF page
)

// buildVDSOImage returns the ELF page: header, two program headers
// (PT_LOAD of the page, PT_DYNAMIC), the dynamic section, a SysV hash
// table, the symbol and string tables, and the code.
func buildVDSOImage() []byte {
	img := make([]byte, mm.PageSize)
	le := binary.LittleEndian
	const (
		phOff   = 0x40
		dynOff  = 0xb0
		hashOff = 0x120
		symOff  = 0x140
		strOff  = 0x1a0
	)
	strtab := "\x00__vdso_clock_gettime\x00__vdso_gettimeofday\x00__vdso_time\x00linux-vdso.so.1\x00"
	copy(img[strOff:], strtab)
	nameAt := func(s string) uint32 { return strtabIndex(strtab, s) }

	// ELF header (ET_DYN, x86-64, no section headers).
	copy(img, "\x7fELF")
	img[4], img[5], img[6] = 2, 1, 1 // ELFCLASS64, little endian, EV_CURRENT
	le.PutUint16(img[16:], 3)        // ET_DYN
	le.PutUint16(img[18:], 62)       // EM_X86_64
	le.PutUint32(img[20:], 1)
	le.PutUint64(img[32:], phOff)
	le.PutUint16(img[52:], 64) // e_ehsize
	le.PutUint16(img[54:], 56) // e_phentsize
	le.PutUint16(img[56:], 2)  // e_phnum
	le.PutUint16(img[58:], 64) // e_shentsize

	ph := func(i int, typ, flags uint32, off, size uint64, align uint64) {
		p := img[phOff+56*i:]
		le.PutUint32(p[0:], typ)
		le.PutUint32(p[4:], flags)
		le.PutUint64(p[8:], off)   // p_offset
		le.PutUint64(p[16:], off)  // p_vaddr (linked at 0)
		le.PutUint64(p[24:], off)  // p_paddr
		le.PutUint64(p[32:], size) // p_filesz
		le.PutUint64(p[40:], size) // p_memsz
		le.PutUint64(p[48:], align)
	}
	ph(0, 1, 5, 0, mm.PageSize, mm.PageSize) // PT_LOAD, R+X
	ph(1, 2, 4, dynOff, 7*16, 8)             // PT_DYNAMIC, R

	dyn := [][2]uint64{
		{4, hashOff},                            // DT_HASH
		{5, strOff},                             // DT_STRTAB
		{6, symOff},                             // DT_SYMTAB
		{10, uint64(len(strtab))},               // DT_STRSZ
		{11, 24},                                // DT_SYMENT
		{14, uint64(nameAt("linux-vdso.so.1"))}, // DT_SONAME
		{0, 0},                                  // DT_NULL
	}
	for i, d := range dyn {
		le.PutUint64(img[dynOff+16*i:], d[0])
		le.PutUint64(img[dynOff+16*i+8:], d[1])
	}

	for i, v := range oneBucketHash(3) {
		le.PutUint32(img[hashOff+4*i:], v)
	}

	syms := []struct {
		name      string
		off, size uint64
	}{
		{"__vdso_clock_gettime", vdsoClockGettimeOff, vdsoGettimeofdayOff - vdsoClockGettimeOff},
		{"__vdso_gettimeofday", vdsoGettimeofdayOff, vdsoTimeOff - vdsoGettimeofdayOff},
		{"__vdso_time", vdsoTimeOff, uint64(len(vdsoCode)) - vdsoTimeOff},
	}
	for i, s := range syms {
		p := img[symOff+24*(i+1):]
		le.PutUint32(p[0:], nameAt(s.name))
		p[4] = 1<<4 | 2        // STB_GLOBAL, STT_FUNC
		le.PutUint16(p[6:], 1) // any defined section: SHN_UNDEF would hide it
		le.PutUint64(p[8:], vdsoCodeOff+s.off)
		le.PutUint64(p[16:], s.size)
	}
	copy(img[vdsoCodeOff:], vdsoCode[:])
	return img
}

// oneBucketHash is a SysV ELF hash table (DT_HASH) for symbols 1..n (0 is
// the null symbol) with a single bucket chaining them all: nbucket = 1,
// nchain = n+1, bucket[0] = 1, chain[i] = i+1, chain[n] = 0. A lookup
// walks every symbol whatever its hash, which for a handful of symbols
// is what a real table would cost anyway.
func oneBucketHash(n int) []uint32 {
	h := []uint32{1, uint32(n + 1), 1, 0} // nbucket, nchain, bucket[0], chain[0]
	for i := 1; i < n; i++ {
		h = append(h, uint32(i+1))
	}
	return append(h, 0) // chain[n]
}

// strtabIndex is the offset of name in an ELF string table (which starts
// with a NUL); the tables are built right here, so a missing name is a bug.
func strtabIndex(strtab, name string) uint32 {
	i := strings.Index(strtab, "\x00"+name+"\x00")
	if i < 0 {
		panic("vdso: no string " + name)
	}
	return uint32(i + 1)
}
