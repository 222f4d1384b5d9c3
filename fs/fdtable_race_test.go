package fs

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// raceFops counts live files and releases.
type raceFops struct {
	released *atomic.Int64
}

func (o raceFops) Release(inode *Inode, f *File) {
	if f.PrivateData.(*atomic.Bool).Swap(true) {
		panic("released twice")
	}
	o.released.Add(1)
}

func (raceFops) UnlockedIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	if f.PrivateData.(*atomic.Bool).Load() {
		panic("ioctl on a released file")
	}
	return 7, nil
}

// TestConcurrentOpenDupCloseUseReleasesEachFileOnce has threads of one
// CLONE_FILES group create, dup, close and ioctl descriptors at once: no
// in-flight call ever sees a released file, and every file is released
// exactly once after its last reference.
func TestConcurrentOpenDupCloseUseReleasesEachFileOnce(t *testing.T) {
	v, c, _ := newTestVFS(t)
	var released atomic.Int64
	const threads, rounds = 8, 400
	var created atomic.Int64
	var wg sync.WaitGroup
	for th := range threads {
		tc := *c
		tc.Files = c.Files.Share()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				fd, err := v.AnonInodeGetFd(&tc, "[race]", raceFops{&released}, new(atomic.Bool), O_RDWR)
				if err != nil {
					continue
				}
				created.Add(1)
				d, _ := tc.Files.Dup(fd, tc.NoFile)
				victim := (fd + th + i) % 64
				tc.Files.Close(victim) // may close another thread's fd
				Ioctl(&tc, d, 1, 0)
				Ioctl(&tc, fd, 1, 0)
				tc.Files.Close(fd)
				tc.Files.Close(d)
			}
			tc.Files.Release()
		}()
	}
	wg.Wait()
	c.Files.Release() // the last user closes whatever is left
	require.Equal(t, created.Load(), released.Load())
}
