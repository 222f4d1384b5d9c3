package selftest

// The user suite: every test program in the initramfs's /tests run as a
// real process, its end (exit status or killing signal) compared with
// user/expect.txt, and the user frame pool checked for leaks after each
// run (the process is gone, so every frame it had must be back).

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ringo-os/ringo/kernel"
)

// CaptureConsole is /dev/console during the suite: a program's output is
// kept and printed only if its test fails.
type CaptureConsole struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *CaptureConsole) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buf.Len() < 64<<10 {
		c.buf.Write(b)
	}
	return len(b), nil
}

func (c *CaptureConsole) Read([]byte) (int, error) { return 0, nil }

func (c *CaptureConsole) take() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.buf.String()
	c.buf.Reset()
	return s
}

var signalNames = map[string]int{"SIGILL": 4, "SIGTRAP": 5, "SIGABRT": 6, "SIGBUS": 7, "SIGFPE": 8, "SIGKILL": 9, "SIGSEGV": 11, "SIGPIPE": 13, "SIGTERM": 15}

// userTestTimeout bounds one program's run (the fuzzer takes ~12 s).
const userTestTimeout = 120 * time.Second

var variants = []string{"glibc64", "musl64", "i386"}

// UserTests reads dir/expect.txt and returns one test per run and built
// variant.
func UserTests(k *kernel.Kernel, dir string, console *CaptureConsole) ([]Test, error) {
	manifest, err := k.ReadFile(dir + "/expect.txt")
	if err != nil {
		return nil, fmt.Errorf("%s/expect.txt: %w", dir, err)
	}
	var tests []Test
	sc := bufio.NewScanner(bytes.NewReader(manifest))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 && f[0] == "vm-only" {
			f = f[1:]
		}
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		name, expect, args := f[0], f[1], f[2:]
		for _, v := range variants {
			path := dir + "/" + name + "." + v
			if _, err := k.ReadFile(path); err != nil {
				continue // that variant was not built
			}
			label := strings.TrimSpace(fmt.Sprintf("user %s.%s %s", name, v, strings.Join(args, " ")))
			tests = append(tests, Test{label, func() (string, error) {
				return runUserTest(k, console, path, append([]string{name}, args...), expect)
			}})
		}
	}
	return tests, nil
}

func runUserTest(k *kernel.Kernel, console *CaptureConsole, path string, argv []string, expect string) (string, error) {
	console.take()
	before := k.Frames().FreeFrames()
	p, err := k.Spawn(path, argv, []string{"HOME=/", "PATH=/tests"})
	if err != nil {
		return "", err
	}
	select {
	case <-p.Done():
	case <-time.After(userTestTimeout):
		p.Kill(9)
		ws := p.Wait()
		return "", fmt.Errorf("still running after %v: killed (%s)\n--- output ---\n%s--- end ---", userTestTimeout, describeWait(ws), console.take())
	}
	ws := p.Wait()
	out := console.take()
	got := describeWait(ws)
	fail := func(format string, a ...any) (string, error) {
		msg := fmt.Sprintf(format, a...)
		if out != "" {
			msg += "\n--- output ---\n" + strings.TrimRight(out, "\n") + "\n--- end ---"
		}
		return "", fmt.Errorf("%s", msg)
	}
	if got != expect {
		return fail("ended with %s, want %s", got, expect)
	}
	if after := k.Frames().FreeFrames(); after != before {
		return fail("%s, but %d frames were not returned (free %d before, %d after)", got, int64(before)-int64(after), before, after)
	}
	return got + ", no frame leaked", nil
}

// describeWait writes a Linux wait status as the manifest does.
func describeWait(ws int) string {
	if ws&0x7f == 0 {
		return "exit=" + strconv.Itoa(ws>>8&0xff)
	}
	for name, n := range signalNames {
		if ws&0x7f == n {
			return "signal=" + name
		}
	}
	return fmt.Sprintf("signal=%d", ws&0x7f)
}
