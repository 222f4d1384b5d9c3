package mm

import (
	"testing"
)

// The figures these report are the ones to hold against Linux's
// (page-fault and mmap microbenchmarks); the host numbers include the
// software page walk that the CPU does in hardware on the metal.

func BenchmarkDemandZeroFault(b *testing.B) {
	e := newEnv(b, 256)
	as := e.newAS(b, Layout64())
	const chunk = 16 << 20
	a, err := as.Mmap(0, chunk, rw, anonPriv, -1, 0, nil)
	if err != nil {
		b.Fatal(err)
	}
	va := a
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if va == a+chunk {
			b.StopTimer()
			_ = as.Madvise(a, chunk, MadvDontNeed)
			va = a
			b.StartTimer()
		}
		if r := as.UserAccess(va, AccessWrite); !r.OK() {
			b.Fatal(r)
		}
		va += PageSize
	}
}

func BenchmarkDriverFault(b *testing.B) {
	e := newEnv(b, 64)
	as := e.newAS(b, Layout64())
	f, _ := newDriverFile(b)
	a, err := as.Mmap(0, PageSize, rw, MapShared, 3, 0, lookupOf(f))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := as.UserAccess(a, AccessRead); !r.OK() {
			b.Fatal(r)
		}
		b.StopTimer()
		_ = as.Madvise(a, PageSize, MadvDontNeed)
		b.StartTimer()
	}
}

func BenchmarkMmapMunmap4K(b *testing.B) {
	e := newEnv(b, 64)
	as := e.newAS(b, Layout64())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := as.Mmap(0, PageSize, rw, anonPriv, -1, 0, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := as.Munmap(a, PageSize); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCOWFault(b *testing.B) {
	e := newEnv(b, 256)
	parent := e.newAS(b, Layout64())
	const pages = 2048
	a, err := parent.Mmap(0, pages*PageSize, rw, anonPriv|MapPopulate, -1, 0, nil)
	if err != nil {
		b.Fatal(err)
	}
	var child *AddressSpace
	n := pages
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if n == pages {
			b.StopTimer()
			if child != nil {
				child.Release()
			}
			if child, err = parent.Fork(); err != nil {
				b.Fatal(err)
			}
			n = 0
			b.StartTimer()
		}
		if r := child.UserAccess(a+uint64(n)*PageSize, AccessWrite); !r.OK() {
			b.Fatal(r)
		}
		n++
	}
	b.StopTimer()
	if child != nil {
		child.Release()
	}
}

// BenchmarkPutUser32 is put_user of an ioctl result into a page the
// user TLB holds: the one-page fast path of copyUser.
func BenchmarkPutUser32(b *testing.B) {
	e := newEnv(b, 16)
	as, err := NewAddressSpace(e.alloc, e.kernel, nil, Layout64())
	if err != nil {
		b.Fatal(err)
	}
	defer as.Release()
	if _, err := as.Mmap(0x10000000, PageSize, ProtRead|ProtWrite, MapPrivate|MapAnonymous|MapFixed, -1, 0, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := as.PutUser32(0x10000040, 1); err != nil {
			b.Fatal(err)
		}
	}
}
