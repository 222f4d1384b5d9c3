package nucleus

// Raw memory access. The nucleus reaches physical memory through the direct
// map and runtime memory by address; these helpers keep the unsafe
// conversions in one place (unsafe.Add from nil keeps go vet's unsafeptr
// check meaningful elsewhere).
//
// Runs on trap paths: //go:nosplit, no allocation.

import "unsafe"

//go:nosplit
func u64at(a uintptr) *uint64 { return (*uint64)(unsafe.Add(nil, a)) }

//go:nosplit
func u32at(a uintptr) *uint32 { return (*uint32)(unsafe.Add(nil, a)) }

//go:nosplit
func u16at(a uintptr) *uint16 { return (*uint16)(unsafe.Add(nil, a)) }

//go:nosplit
func u8at(a uintptr) *uint8 { return (*uint8)(unsafe.Add(nil, a)) }

// directMap is DirectMapBase on the metal; host tests point it at a buffer
// that plays the part of physical memory.
var directMap uintptr = DirectMapBase

// phys2virt returns the direct-map address of a physical address.
//
//go:nosplit
func phys2virt(p uint64) uintptr { return uintptr(p) + directMap }

//go:nosplit
func zeroBytes(a, n uintptr) {
	for i := uintptr(0); i < n; i++ {
		*u8at(a + i) = 0
	}
}

// unsafeSlice views n bytes at address a as a slice (above the runtime only:
// the slice header is built by the compiler, not allocated).
func unsafeSlice(a uintptr, n int) []byte { return unsafe.Slice((*byte)(unsafe.Add(nil, a)), n) }
