package mm

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestConcurrentFaultsCopiesAndMmapsOnOneAddressSpace(t *testing.T) {
	e := newEnv(t, 64)
	free := e.alloc.FreeFrames()
	as, err := NewAddressSpace(e.alloc, e.kernel, nil, Layout64())
	require.NoError(t, err)
	f, _ := newDriverFile(t)
	shared, err := as.Mmap(0, 64*PageSize, rw, MapShared|MapAnonymous, -1, 0, nil)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				a, err := as.Mmap(0, PageSize, rw, anonPriv, -1, 0, nil)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = as.CopyOut(a, []byte{byte(g)})
				d, _ := as.Mmap(0, PageSize, rw, MapShared, 3, 0, lookupOf(f))
				as.UserAccess(d, AccessRead)
				as.UserAccess(shared+uint64(i%64)*PageSize, AccessWrite)
				_ = as.Munmap(a, PageSize)
				_ = as.Munmap(d, PageSize)
				p, err := GetZeroedPage()
				if err == nil {
					GetPage(p)
					PutPage(p)
					FreePage(p)
				}
			}
		}(g)
	}
	wg.Wait()
	require.NoError(t, as.CheckInvariants())
	as.Release()
	require.Equal(t, free-1, e.alloc.FreeFrames(), "only the driver page remains")
}
