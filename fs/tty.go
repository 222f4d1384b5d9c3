package fs

import (
	"io"
	"sync"

	"github.com/ringo-os/ringo/abi"
)

// This file is a minimal console tty (drivers/tty): /dev/console (5:1) and
// /dev/tty (5:0) both reach the kernel console. It answers the termios and
// window-size ioctls libcs probe (musl's TIOCGWINSZ decides stdout
// buffering); line discipline and job control are not modelled.

const ttyMajor = 5

// tty ioctl numbers (include/uapi/asm-generic/ioctls.h).
const (
	TCGETS     = 0x5401
	TCSETS     = 0x5402
	TCSETSW    = 0x5403
	TCSETSF    = 0x5404
	TIOCGPGRP  = 0x540F
	TIOCGWINSZ = 0x5413
	TIOCSWINSZ = 0x5414
	FIONREAD   = 0x541B
	FIONBIO    = 0x5421
)

// Console is the kernel console a tty reads from and writes to.
type Console interface {
	io.Writer
	// Read blocks until input is available; 0 bytes means end of input.
	io.Reader
}

type discardConsole struct{}

func (discardConsole) Write(p []byte) (int, error) { return len(p), nil }
func (discardConsole) Read(p []byte) (int, error)  { return 0, nil }

// termiosSize is sizeof(struct termios) for TCGETS (same on i386 and x86_64).
const termiosSize = 36

// ttyState is the per-VFS console tty: termios and window size.
type ttyState struct {
	mu      sync.Mutex
	termios [termiosSize]byte
	winsize [8]byte
}

func defaultTermios() [termiosSize]byte {
	var t [termiosSize]byte
	put := func(off int, v uint32) {
		t[off], t[off+1], t[off+2], t[off+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	}
	put(0, 0x500)                                                                        // c_iflag: ICRNL|IXON
	put(4, 0x5)                                                                          // c_oflag: OPOST|ONLCR
	put(8, 0xbf)                                                                         // c_cflag: B38400|CS8|CREAD|HUPCL
	put(12, 0x8a3b)                                                                      // c_lflag: ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN
	copy(t[17:], "\003\034\177\025\004\000\001\000\021\023\032\000\022\017\027\026\000") // INIT_C_CC
	return t
}

// ttyFops is the console tty. Both layouts (termios, winsize) are the
// same for 32- and 64-bit callers, hence CompatPtrIoctl.
type ttyFops struct{ CompatPtrIoctl }

func (ttyFops) Open(inode *Inode, f *File) error {
	if inode.Rdev.Minor() > 1 {
		return abi.ENXIO
	}
	f.Mode |= FModeStream
	f.Mode &^= FModeLseek | FModePread | FModePwrite
	v := f.vfs
	v.devMu.Lock()
	if v.tty == nil {
		v.tty = &ttyState{termios: defaultTermios()}
		v.tty.winsize = [8]byte{25, 0, 80, 0}
	}
	v.devMu.Unlock()
	return nil
}

func (ttyFops) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	if len(dst) == 0 {
		return 0, nil
	}
	n, err := f.vfs.console.Read(dst)
	if err != nil && err != io.EOF && n == 0 {
		return 0, abi.EIO
	}
	return n, nil
}

func (ttyFops) Write(c *Caller, f *File, src []byte, pos *int64) (int, error) {
	n, err := f.vfs.console.Write(src)
	if err != nil && n == 0 {
		return 0, abi.EIO
	}
	return n, nil
}

func (ttyFops) Poll(f *File, pt *PollTable) PollMask {
	return EPOLLOUT | EPOLLWRNORM
}

func (ttyFops) UnlockedIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	t := f.vfs.tty
	t.mu.Lock()
	defer t.mu.Unlock()
	switch cmd {
	case TCGETS:
		return 0, errOrNil(c.copyOut(arg, t.termios[:]))
	case TCSETS, TCSETSW, TCSETSF:
		var buf [termiosSize]byte
		if err := c.copyIn(arg, buf[:]); err != 0 {
			return 0, err
		}
		t.termios = buf
		return 0, nil
	case TIOCGWINSZ:
		return 0, errOrNil(c.copyOut(arg, t.winsize[:]))
	case TIOCSWINSZ:
		var buf [8]byte
		if err := c.copyIn(arg, buf[:]); err != 0 {
			return 0, err
		}
		t.winsize = buf
		return 0, nil
	}
	return 0, abi.ENOIOCTLCMD
}

// errOrNil turns a zero Errno into a nil error.
func errOrNil(e abi.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}
