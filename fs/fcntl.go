package fs

import "github.com/ringo-os/ringo/abi"

// This file is fcntl(2) (fs/fcntl.c:do_fcntl, setfl, f_dupfd).

// POSIX record-lock commands: not implemented; they fail with ENOLCK, the
// errno Linux itself gives when no lock can be had.
const (
	fGetLk      = 5
	fSetLk      = 6
	fSetLkW     = 7
	fOfdGetLk   = 36
	fOfdSetLk   = 37
	fOfdSetLkW  = 38
	fSetLease   = 1024
	fGetLease   = 1025
	fNotify     = 1026
	fAddSeals   = 1033
	fGetSeals   = 1034
	fGetOwnerEx = 16
	fSetOwnerEx = 15
)

// Fcntl mirrors fcntl(2) for the caller's table. arg is the raw unsigned
// long argument.
func Fcntl(c *Caller, fd int, cmd uint32, arg uint64) (int64, abi.Errno) {
	f, err := c.Files.FgetRaw(fd)
	if err != 0 {
		return 0, err
	}
	defer f.DecRef()
	// check_fcntl_cmd: O_PATH files allow only these.
	if f.Mode&FModePath != 0 {
		switch cmd {
		case F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL:
		default:
			return 0, abi.EBADF
		}
	}
	switch cmd {
	case F_DUPFD, F_DUPFD_CLOEXEC:
		if arg >= c.NoFile {
			return 0, abi.EINVAL
		}
		var flags uint32
		if cmd == F_DUPFD_CLOEXEC {
			flags = O_CLOEXEC
		}
		nfd, err := c.Files.AllocFd(int(arg), c.NoFile, flags)
		if err != 0 {
			return 0, err
		}
		f.IncRef()
		c.Files.FdInstall(nfd, f)
		return int64(nfd), 0
	case F_GETFD:
		if c.Files.IsCloseOnExec(fd) {
			return FD_CLOEXEC, 0
		}
		return 0, 0
	case F_SETFD:
		return 0, c.Files.SetCloseOnExec(fd, arg&FD_CLOEXEC != 0)
	case F_GETFL:
		return int64(f.Flags()), 0
	case F_SETFL:
		return 0, setfl(f, uint32(arg))
	case F_GETOWN:
		return int64(f.owner.Load()), 0
	case F_SETOWN:
		f.owner.Store(int32(arg))
		return 0, 0
	case F_GETPIPE_SZ, F_SETPIPE_SZ:
		return pipeFcntl(c, f, cmd, uint32(arg))
	case fGetLk, fSetLk, fSetLkW, fOfdGetLk, fOfdSetLk, fOfdSetLkW:
		return 0, abi.ENOLCK
	}
	return 0, abi.EINVAL
}

// setfl mirrors fs/fcntl.c:setfl: only SETFL_MASK bits change, everything
// else (the access mode included) is silently ignored.
func setfl(f *File, arg uint32) abi.Errno {
	// No Ringo file supports O_DIRECT (FMODE_CAN_ODIRECT).
	if arg&O_DIRECT != 0 {
		return abi.EINVAL
	}
	f.setFlagsMasked(setflMask, arg)
	return 0
}
