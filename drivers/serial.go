package drivers

// ttyS: the PC's serial ports as character devices, major 4, minors 64+
// (drivers/tty/serial/8250 in Linux, without the tty layer: no line
// discipline, no termios — ioctls answer ENOTTY, so a program sees a
// plain stream, like a pipe). `ringo run` gives a program /dev/ttyS1 as
// stdout and /dev/ttyS2 as stderr, so both reach the host byte for byte.

import (
	"fmt"
	"io"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
)

const (
	ttySMajor     = 4
	ttySMinorBase = 64
)

type serialPort struct {
	w io.Writer
}

// serialFops: write sends the bytes to the UART; read sees end of input.
type serialFops struct{ ports map[uint32]serialPort }

func (s serialFops) Write(c *fs.Caller, f *fs.File, src []byte, pos *int64) (int, error) {
	p, ok := s.ports[f.Inode.Rdev.Minor()]
	if !ok {
		return 0, abi.ENXIO
	}
	return p.w.Write(src)
}

func (s serialFops) Read(c *fs.Caller, f *fs.File, dst []byte, pos *int64) (int, error) {
	return 0, nil
}

// RegisterSerial registers ttyS<n> for each writer given (n = index).
func RegisterSerial(v *fs.VFS, ports []io.Writer) error {
	fops := serialFops{ports: map[uint32]serialPort{}}
	for i, w := range ports {
		fops.ports[uint32(ttySMinorBase+i)] = serialPort{w}
	}
	if _, err := v.RegisterChrdev(ttySMajor, "ttyS", fops); err != nil {
		return err
	}
	for i := range ports {
		if err := v.DeviceCreate(fmt.Sprintf("ttyS%d", i), fs.MkDev(ttySMajor, uint32(ttySMinorBase+i)), 0o620); err != nil {
			return err
		}
	}
	return nil
}
