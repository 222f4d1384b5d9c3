package kernel

// getrandom (drivers/char/random.c).

import (
	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/syscall"
)

const (
	grndNonblock = 1
	grndRandom   = 2
	grndInsecure = 4
)

// sysGetrandom fills the buffer from the kernel's random source, which is
// always initialised, so GRND_NONBLOCK never matters. Unknown flags, or
// GRND_INSECURE with GRND_RANDOM, are EINVAL; a fault after some bytes
// returns the count.
func (t *Task) sysGetrandom(a *syscall.Args) (uint64, error) {
	addr, n, flags := a.Ptr(0), a.Size(1), a.Uint(2)
	if flags&^(grndNonblock|grndRandom|grndInsecure) != 0 || flags&(grndInsecure|grndRandom) == grndInsecure|grndRandom {
		return 0, abi.EINVAL
	}
	n = min(n, maxRWCount)
	buf := make([]byte, min(n, rwChunk))
	var done uint64
	for done < n {
		b := buf[:min(n-done, rwChunk)]
		if err := t.k.readRandom(b); err != nil {
			return doneOr(done, abi.EIO)
		}
		if err := t.copyOut(addr+done, b); err != nil {
			return doneOr(done, abi.EFAULT)
		}
		done += uint64(len(b))
	}
	return done, nil
}
