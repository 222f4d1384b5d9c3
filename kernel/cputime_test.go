package kernel

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// cpuClock reads CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID.
func (u *user) cpuClock() (process, thread time.Duration) {
	u.t.Helper()
	read := func(id uint64) time.Duration {
		require.Equal(u.t, int64(0), u.syscall(228, id, buf))
		ts := u.peek(buf, 16)
		return time.Duration(int64(binary.LittleEndian.Uint64(ts))*1e9 + int64(binary.LittleEndian.Uint64(ts[8:])))
	}
	return read(clockProcessCPUTime), read(clockThreadCPUTime)
}

// A task asleep in a system call is not on the CPU: neither CPU-time
// clock may count the wait (Linux's scheduler charges no sleeping task).
// Each wait site is tried: nanosleep, a pipe read (fs's wait queues)
// and epoll_wait, the last two ended by a signal.
func TestCPUTimeLeavesOutWaits(t *testing.T) {
	const nap = 150 * time.Millisecond
	for _, tc := range []struct {
		name string
		wait func(u *user)
	}{
		{"nanosleep", func(u *user) {
			u.poke(buf2, binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, 0), uint64(nap)))
			require.Equal(u.t, int64(0), u.syscall(35, buf2, 0))
		}},
		{"pipe read", func(u *user) {
			require.Equal(u.t, int64(0), u.syscall(22, buf2))
			go func() { time.Sleep(nap); u.p.Kill(abi.SIGUSR1) }()
			u.syscall(0, uint64(u.u32(buf2)), buf2+64, 1)
			require.Equal(u.t, uint64(handlerIP), u.regs.RIP, "the read ended in the handler")
		}},
		{"epoll_wait", func(u *user) {
			epfd := u.syscall(291, 0) // epoll_create1
			require.GreaterOrEqual(u.t, epfd, int64(0))
			go func() { time.Sleep(nap); u.p.Kill(abi.SIGUSR1) }()
			u.syscall(232, uint64(epfd), buf2, 1, 1000) // epoll_wait
			require.Equal(u.t, uint64(handlerIP), u.regs.RIP, "epoll_wait ended in the handler")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := newUser(t, false)
			require.Equal(t, int64(0), u.sigaction64(abi.SIGUSR1, handlerIP, 0, 0))
			p0, t0 := u.cpuClock()
			start := time.Now()
			tc.wait(u)
			p1, t1 := u.cpuClock()
			require.GreaterOrEqual(t, time.Since(start), nap, "the call did wait")
			require.Less(t, p1-p0, nap/2, "process CPU time counted the wait")
			require.Less(t, t1-t0, nap/2, "thread CPU time counted the wait")
			require.GreaterOrEqual(t, p1, p0, "CPU time never goes back")
		})
	}
}
