package kernel

// Sockets: socket, socketpair and shutdown (net/socket.c) over fs's
// AF_UNIX stream sockets, and i386's socketcall multiplexer
// (net/compat.c:compat_sys_socketcall), which glibc 2.36 uses for every
// socket call on i386 (§1.3 step 7).

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

func (t *Task) sysSocket(a *syscall.Args) (uint64, error) {
	fd, e := t.k.vfs.Socket(t.caller, int(a.Int(0)), int(a.Int(1)), int(a.Int(2)))
	if e != 0 {
		return 0, e
	}
	return uint64(fd), nil
}

func (t *Task) sysSocketpair(a *syscall.Args) (uint64, error) {
	return t.socketpair(int(a.Int(0)), int(a.Int(1)), int(a.Int(2)), a.Ptr(3))
}

// socketpair creates the pair, then stores the two ints; a fault closes
// both again (the fds are not visible to anyone before the call returns).
func (t *Task) socketpair(family, typ, proto int, addr uint64) (uint64, error) {
	fds, e := t.k.vfs.Socketpair(t.caller, family, typ, proto)
	if e != 0 {
		return 0, e
	}
	var b [8]byte
	binary.LittleEndian.PutUint32(b[:], uint32(fds[0]))
	binary.LittleEndian.PutUint32(b[4:], uint32(fds[1]))
	if err := t.copyOut(addr, b[:]); err != nil {
		t.caller.Files.Close(fds[0])
		t.caller.Files.Close(fds[1])
		return 0, err
	}
	return 0, nil
}

func (t *Task) sysShutdown(a *syscall.Args) (uint64, error) {
	return 0, errOf(fs.Shutdown(t.caller, int(a.Fd(0)), int(a.Int(1))))
}

// socketcallArgs is the number of u32 arguments of each socketcall call
// (net/compat.c: nas[]), indexed by call number 0..20.
var socketcallArgs = [...]int{0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4, 5, 4}

// sysSocketcall demultiplexes i386's socketcall(call, args): a call
// outside 1..20 is EINVAL, an unreadable argument array EFAULT; the
// calls Ringo has (socket, socketpair, shutdown) run, the others answer
// ENOSYS as their direct i386 entries do.
func (t *Task) sysSocketcall(a *syscall.Args) (uint64, error) {
	call := a.Int(0)
	if call < 1 || int(call) >= len(socketcallArgs) {
		return 0, abi.EINVAL
	}
	buf := make([]byte, 4*socketcallArgs[call])
	if err := t.copyIn(a.Ptr(1), buf); err != nil {
		return 0, err
	}
	arg := func(i int) uint32 { return binary.LittleEndian.Uint32(buf[4*i:]) }
	switch call {
	case 1: // SYS_SOCKET
		fd, e := t.k.vfs.Socket(t.caller, int(int32(arg(0))), int(int32(arg(1))), int(int32(arg(2))))
		if e != 0 {
			return 0, e
		}
		return uint64(fd), nil
	case 8: // SYS_SOCKETPAIR
		return t.socketpair(int(int32(arg(0))), int(int32(arg(1))), int(int32(arg(2))), uint64(arg(3)))
	case 13: // SYS_SHUTDOWN
		return 0, errOf(fs.Shutdown(t.caller, int(int32(arg(0))), int(int32(arg(1)))))
	}
	return 0, abi.ENOSYS
}
