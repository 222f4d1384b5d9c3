// Command kernel is the Ringo kernel image: the Go program that boots on
// the metal. The boot path (package boot, linked in by the -E entry) sets up
// the nucleus and enters the Go runtime; main runs once the runtime is up.
//
// What main does depends on the command line:
//
//	ringo.run     run /init from the initramfs as the first user process
//	              (argv from /etc/ringo/argv) and exit with its status;
//	              its output goes to COM2 (ringo run streams it to the host),
//	              or to COM1 with ringo.console=ttyS0 (make bench)
//	(default)     run the in-kernel self-test suite, then, if there is an
//	              initramfs, the user suite (its /tests against expect.txt)
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	_ "github.com/ringo-os/ringo/boot"
	"github.com/ringo-os/ringo/drivers"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/kernel"
	"github.com/ringo-os/ringo/kernel/nucleus"
	"github.com/ringo-os/ringo/kernel/selftest"
)

// knownParams are the kernel command-line switches Ringo understands.
// Words of the form NAME=value with an upper-case NAME are the runtime's
// environment (GODEBUG=..., GOMAXPROCS=...); QEMU puts the image path first.
var knownParams = map[string]bool{"ringo.crash": true, "ringo.run": true, "ringo.strace": true, "ringo.console": true, "quiet": true, "loglevel": true}

func main() {
	line := nucleus.CmdlineString()
	checkCmdline(line)
	s := nucleus.Stats()
	nucleus.Printk(fmt.Sprintf("Ringo: Go runtime up; %d of %d frames in use (%d KiB)",
		s.TotalFrames-s.FreeFrames, s.TotalFrames, (s.TotalFrames-s.FreeFrames)*4))
	if hasWord(line, "ringo.run") {
		os.Exit(runInit())
	}
	passed, failed := selftest.RunQuiet(os.Stdout, append(selftest.Tests(), selftest.Ring3Tests()...))
	if len(nucleus.Initrd()) > 0 {
		p, f := runUserSuite()
		passed, failed = passed+p, failed+f
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

// runUserSuite runs the programs in the initramfs's /tests against their
// manifest (user/expect.txt), after the in-kernel tests.
func runUserSuite() (passed, failed int) {
	console := &selftest.CaptureConsole{}
	k, err := bootTaskLayer(console)
	if err != nil {
		fmt.Printf("FAIL user suite: cannot start the task layer: %v\n", err)
		return 0, 1
	}
	tests, err := selftest.UserTests(k, "/tests", console)
	if err != nil {
		fmt.Printf("FAIL user suite: %v\n", err)
		return 0, 1
	}
	return selftest.RunQuiet(os.Stdout, tests)
}

// bootTaskLayer starts the task layer over the initramfs with the given
// /dev/console and loads the seed drivers.
func bootTaskLayer(console fs.Console) (*kernel.Kernel, error) {
	k, err := kernel.BootMetal(nucleus.Initrd(), console, klogSink())
	if err != nil {
		return nil, err
	}
	if err := drivers.Register(k.VFS()); err != nil {
		return nil, fmt.Errorf("drivers: %w", err)
	}
	return k, nil
}

// serialConsole is /dev/console for user programs: output on COM2, no
// input (reads see end of file).
type serialConsole struct{}

func (serialConsole) Write(b []byte) (int, error) { return nucleus.Serial(nucleus.COM2).Write(b) }
func (serialConsole) Read([]byte) (int, error)    { return 0, nil } // fs.Console: 0 bytes is end of input

// consoleLoglevel is Linux's console_loglevel: kernel log records with a
// lower level reach the console. "quiet" makes it 4 (errors and worse
// only), "loglevel=N" sets it; the default 7 prints all but debug.
func consoleLoglevel() fs.LogLevel {
	level := fs.LogLevel(7)
	for _, w := range strings.Fields(nucleus.CmdlineString()) {
		if w == "quiet" {
			level = 4
		}
		if v, ok := strings.CutPrefix(w, "loglevel="); ok && len(v) == 1 && v[0] >= '0' && v[0] <= '9' {
			level = fs.LogLevel(v[0] - '0')
		}
	}
	return level
}

// klogSink prints the task layer's kernel log on the console (COM1).
func klogSink() func(fs.LogRecord) {
	level := consoleLoglevel()
	return func(r fs.LogRecord) {
		if r.Level < level {
			nucleus.Printk(r.Text)
		}
	}
}

// runInit boots the task layer over the initramfs and runs /init.
func runInit() int {
	k, err := bootTaskLayer(serialConsole{})
	if err != nil {
		nucleus.Printk("Ringo: cannot start the task layer: " + err.Error())
		return 125
	}
	ports := []io.Writer{nucleus.Serial(nucleus.COM1), nucleus.Serial(nucleus.COM2), nucleus.Serial(nucleus.COM3)}
	if err := drivers.RegisterSerial(k.VFS(), ports); err != nil {
		nucleus.Printk("Ringo: ttyS: " + err.Error())
	}
	if hasWord(nucleus.CmdlineString(), "ringo.console=ttyS0") {
		// make bench: the program's output shares COM1 with the kernel
		// log, as a Linux console=ttyS0 would.
		k.SetStdio([3]string{"/dev/console", "/dev/ttyS0", "/dev/ttyS0"})
	} else {
		k.SetStdio([3]string{"/dev/console", "/dev/ttyS1", "/dev/ttyS2"})
	}
	argv := []string{"init"}
	if b, err := k.ReadFile("/etc/ringo/argv"); err == nil {
		argv = strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
	}
	env := []string{"HOME=/", "PATH=/bin:/sbin:/usr/bin", "TERM=linux"}
	if hasWord(nucleus.CmdlineString(), "ringo.strace") {
		k.Dispatcher().SetTrace(klogWriter{})
	}
	nucleus.Printk("Ringo: running /init " + strings.Join(argv[1:], " "))
	p, err := k.Spawn("/init", argv, env)
	if err != nil {
		nucleus.Printk("Ringo: cannot run /init: " + err.Error())
		return 127
	}
	ws := p.Wait()
	status := kernel.ExitStatus(ws)
	nucleus.Printk(fmt.Sprintf("Ringo: /init (pid %d) exited with status %d", p.Pid(), status))
	// QEMU's exit code carries 0..127 only ((v<<1)|1 in 8 bits): the host
	// tool reads the exact status from this log line.
	nucleus.Printk(fmt.Sprintf("ringo-exit-status: %d", status))
	return min(status, 127)
}

// klogWriter sends strace-like lines to the kernel log.
type klogWriter struct{}

func (klogWriter) Write(b []byte) (int, error) {
	nucleus.Printk(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

func hasWord(line, w string) bool {
	for _, f := range strings.Fields(line) {
		if f == w {
			return true
		}
	}
	return false
}

func checkCmdline(line string) {
	for i, w := range strings.Fields(line) {
		name, _, _ := strings.Cut(w, "=")
		switch {
		case i == 0 && strings.HasPrefix(w, "/"): // QEMU's image path
		case knownParams[name]:
		case name != "" && name[0] >= 'A' && name[0] <= 'Z' && strings.Contains(w, "="):
		default:
			nucleus.Printk("Ringo: unknown command-line parameter " + w + " (ignored)")
		}
	}
}
