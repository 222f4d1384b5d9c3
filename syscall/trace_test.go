package syscall

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// memTask is a Context with a fake user memory for string arguments.
type memTask struct {
	task
	strs map[uint64]string
}

func (m *memTask) CopyInString(addr uint64, max int) (string, error) {
	s, ok := m.strs[addr]
	if !ok {
		return "", abi.EFAULT
	}
	if len(s) > max {
		s = s[:max]
	}
	return s, nil
}

// syncBuffer is a bytes.Buffer safe for the concurrent test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestTraceLinesLookLikeStrace(t *testing.T) {
	ok := func(ret uint64) Handler[Context] { return func(Context, *Args) (uint64, error) { return ret, nil } }
	fail := func(e abi.Errno) Handler[Context] { return func(Context, *Args) (uint64, error) { return 0, e } }
	d := newDispatcher(t, false, Handlers[Context]{
		"sys_openat":     fail(abi.ENOENT),
		"sys_mmap":       ok(0x7f00_0000_0000),
		"sys_write":      ok(6),
		"sys_exit_group": ok(0),
		"sys_mkdir":      ok(0),
		"sys_pread64":    ok(8),
		"sys_close":      func(Context, *Args) (uint64, error) { return 0, errNotErrno },
	})
	ctx := &memTask{task: task{7}, strs: map[uint64]string{
		0x1000: "/etc/passwd",
		0x2000: strings.Repeat("a", 40),
	}}
	tests := []struct {
		name string
		ctx  Context
		via  Entry
		rax  uint64
		regs [MaxArgs]uint64
		want string
	}{
		{"ErrnoNameAndMessage", ctx, EntrySyscall, 257, [MaxArgs]uint64{0xffff_ff9c, 0x1000, 0, 0},
			`[pid 7] openat(-100, "/etc/passwd", 0, 0) = -1 ENOENT (no such file or directory)`},
		{"AddressResultInHex", ctx, EntrySyscall, 9, [MaxArgs]uint64{0, 4096, 3, 0x22, 0xffff_ffff, 0},
			"[pid 7] mmap(NULL, 4096, 3, 34, -1, 0) = 0x7f0000000000"},
		{"LongStringTruncated", ctx, EntrySyscall, 83, [MaxArgs]uint64{0x2000, 0o700},
			`[pid 7] mkdir("` + strings.Repeat("a", 32) + `"..., 0700) = 0`},
		{"UnreadableStringAsAddress", ctx, EntrySyscall, 83, [MaxArgs]uint64{0x3000, 0o700},
			"[pid 7] mkdir(0x3000, 0700) = 0"},
		{"NoStringReaderAsAddress", &task{9}, EntrySyscall, 1, [MaxArgs]uint64{1, 0x1000, 6},
			"[pid 9] write(1, 0x1000, 6) = 6"},
		{"JoinedOffsetPrintedOnce", ctx, EntryInt80, 180, [MaxArgs]uint64{4, 0x1000, 8, 0x10, 0x1},
			"[pid 7] pread64(4, 0x1000, 8, 4294967312) = 8"},
		{"UnregisteredRowIsENOSYS", ctx, EntrySyscall, 39, noRegs,
			"[pid 7] getpid() = -1 ENOSYS (function not implemented)"},
		{"UnknownNumberInHex", ctx, EntrySyscall, 0x1f4, [MaxArgs]uint64{1},
			"[pid 7] syscall_0x1f4(0x1, 0x0, 0x0, 0x0, 0x0, 0x0) = -1 ENOSYS (function not implemented)"},
		{"NoReturnPrintedBeforeTheCall", ctx, EntrySyscall, 231, [MaxArgs]uint64{3},
			"[pid 7] exit_group(3) = ?"},
		{"NonErrnoErrorShowsText", ctx, EntrySyscall, 3, [MaxArgs]uint64{3},
			"[pid 7] close(3) = -1 EIO (input/output error) [not an errno]"},
		{"NilContextHasNoPrefix", nil, EntrySyscall, 1, [MaxArgs]uint64{1, 0, 0},
			"write(1, NULL, 0) = 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			d.SetTrace(&buf)
			dispatchRegs(d, tt.ctx, tt.via, tt.rax, &tt.regs)
			d.SetTrace(nil)
			require.Equal(t, tt.want+"\n", buf.String())
		})
	}
	var buf bytes.Buffer
	dispatchRegs(d, ctx, EntrySyscall, 39, &noRegs)
	require.Empty(t, buf.String(), "tracing off writes nothing")
}

type notErrno struct{}

func (notErrno) Error() string { return "not an errno" }

var errNotErrno = notErrno{}

// Many tasks dispatching while tracing is switched on and off: run with
// -race. Every line must arrive whole.
func TestConcurrentDispatchWithTraceToggling(t *testing.T) {
	d := newDispatcher(t, true, Handlers[Context]{
		"sys_getpid": func(ctx Context, a *Args) (uint64, error) { return uint64(ctx.TID()), nil },
	})
	var out syncBuffer
	var wg sync.WaitGroup
	for g := int32(1); g <= 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := &task{g}
			for i := 0; i < 2000; i++ {
				via, rax := EntrySyscall, uint64(39)
				if i%2 == 1 {
					via, rax = EntryInt80, 20
				}
				if got := dispatchRegs(d, ctx, via, rax, &noRegs); got != uint64(g) {
					t.Errorf("task %d got %d", g, got)
					return
				}
			}
		}()
	}
	for i := 0; i < 50; i++ {
		d.SetTrace(&out)
		d.SetTrace(nil)
	}
	wg.Wait()
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if line != "" {
			require.Regexp(t, `^\[pid [1-8]\] getpid\(\) = [1-8]$`, line)
		}
	}
}
