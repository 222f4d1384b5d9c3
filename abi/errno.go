package abi

import "errors"

// Errno is a Linux error number. Syscall handlers return it; the syscall
// layer turns it into the -errno that user space sees in rax. It implements
// error, so ordinary Go code can return and compare it (errors.Is works
// because Errno values are comparable).
//
// Values 512..516 are kernel-internal (include/linux/errno.h) and must never
// reach user space; ENOIOCTLCMD in particular is what a driver's ioctl
// returns for "not mine", and the VFS turns it into ENOTTY (fs/ioctl.c).
type Errno uintptr

// The errno values of include/uapi/asm-generic/errno-base.h and errno.h
// (x86 uses the generic numbers), plus the kernel-internal restart codes.
const (
	EPERM                 Errno = 1   // operation not permitted
	ENOENT                Errno = 2   // no such file or directory
	ESRCH                 Errno = 3   // no such process
	EINTR                 Errno = 4   // interrupted system call
	EIO                   Errno = 5   // input/output error
	ENXIO                 Errno = 6   // no such device or address
	E2BIG                 Errno = 7   // argument list too long
	ENOEXEC               Errno = 8   // exec format error
	EBADF                 Errno = 9   // bad file descriptor
	ECHILD                Errno = 10  // no child processes
	EAGAIN                Errno = 11  // resource temporarily unavailable
	ENOMEM                Errno = 12  // cannot allocate memory
	EACCES                Errno = 13  // permission denied
	EFAULT                Errno = 14  // bad address
	ENOTBLK               Errno = 15  // block device required
	EBUSY                 Errno = 16  // device or resource busy
	EEXIST                Errno = 17  // file exists
	EXDEV                 Errno = 18  // invalid cross-device link
	ENODEV                Errno = 19  // no such device
	ENOTDIR               Errno = 20  // not a directory
	EISDIR                Errno = 21  // is a directory
	EINVAL                Errno = 22  // invalid argument
	ENFILE                Errno = 23  // too many open files in system
	EMFILE                Errno = 24  // too many open files
	ENOTTY                Errno = 25  // inappropriate ioctl for device
	ETXTBSY               Errno = 26  // text file busy
	EFBIG                 Errno = 27  // file too large
	ENOSPC                Errno = 28  // no space left on device
	ESPIPE                Errno = 29  // illegal seek
	EROFS                 Errno = 30  // read-only file system
	EMLINK                Errno = 31  // too many links
	EPIPE                 Errno = 32  // broken pipe
	EDOM                  Errno = 33  // numerical argument out of domain
	ERANGE                Errno = 34  // numerical result out of range
	EDEADLK               Errno = 35  // resource deadlock avoided
	ENAMETOOLONG          Errno = 36  // file name too long
	ENOLCK                Errno = 37  // no locks available
	ENOSYS                Errno = 38  // function not implemented
	ENOTEMPTY             Errno = 39  // directory not empty
	ELOOP                 Errno = 40  // too many levels of symbolic links
	ENOMSG                Errno = 42  // no message of desired type
	EIDRM                 Errno = 43  // identifier removed
	ENOSTR                Errno = 60  // device not a stream
	ENODATA               Errno = 61  // no data available
	ETIME                 Errno = 62  // timer expired
	ENOSR                 Errno = 63  // out of streams resources
	ENOLINK               Errno = 67  // link has been severed
	EPROTO                Errno = 71  // protocol error
	EBADMSG               Errno = 74  // bad message
	EOVERFLOW             Errno = 75  // value too large for defined data type
	EBADFD                Errno = 77  // file descriptor in bad state
	ELIBBAD               Errno = 80  // accessing a corrupted shared library
	EILSEQ                Errno = 84  // invalid or incomplete multibyte or wide character
	ERESTART              Errno = 85  // interrupted system call should be restarted
	EUSERS                Errno = 87  // too many users
	ENOTSOCK              Errno = 88  // socket operation on non-socket
	EDESTADDRREQ          Errno = 89  // destination address required
	EMSGSIZE              Errno = 90  // message too long
	EPROTOTYPE            Errno = 91  // protocol wrong type for socket
	ENOPROTOOPT           Errno = 92  // protocol not available
	EPROTONOSUPPORT       Errno = 93  // protocol not supported
	ESOCKTNOSUPPORT       Errno = 94  // socket type not supported
	EOPNOTSUPP            Errno = 95  // operation not supported
	EPFNOSUPPORT          Errno = 96  // protocol family not supported
	EAFNOSUPPORT          Errno = 97  // address family not supported by protocol
	EADDRINUSE            Errno = 98  // address already in use
	EADDRNOTAVAIL         Errno = 99  // cannot assign requested address
	ENETDOWN              Errno = 100 // network is down
	ENETUNREACH           Errno = 101 // network is unreachable
	ENETRESET             Errno = 102 // network dropped connection on reset
	ECONNABORTED          Errno = 103 // software caused connection abort
	ECONNRESET            Errno = 104 // connection reset by peer
	ENOBUFS               Errno = 105 // no buffer space available
	EISCONN               Errno = 106 // transport endpoint is already connected
	ENOTCONN              Errno = 107 // transport endpoint is not connected
	ESHUTDOWN             Errno = 108 // cannot send after transport endpoint shutdown
	ETIMEDOUT             Errno = 110 // connection timed out
	ECONNREFUSED          Errno = 111 // connection refused
	EHOSTDOWN             Errno = 112 // host is down
	EHOSTUNREACH          Errno = 113 // no route to host
	EALREADY              Errno = 114 // operation already in progress
	EINPROGRESS           Errno = 115 // operation now in progress
	ESTALE                Errno = 116 // stale file handle
	EDQUOT                Errno = 122 // disk quota exceeded
	ECANCELED             Errno = 125 // operation canceled
	EOWNERDEAD            Errno = 130 // owner died
	ENOTRECOVERABLE       Errno = 131 // state not recoverable
	ERESTARTSYS           Errno = 512 // restart system call (kernel-internal)
	ERESTARTNOINTR        Errno = 513 // restart system call without interruption (kernel-internal)
	ERESTARTNOHAND        Errno = 514 // restart if no handler (kernel-internal)
	ENOIOCTLCMD           Errno = 515 // no ioctl command (kernel-internal)
	ERESTART_RESTARTBLOCK Errno = 516 // restart through restart_syscall (kernel-internal)
)

// EWOULDBLOCK is EAGAIN on Linux.
const EWOULDBLOCK = EAGAIN

var errnoNames = map[Errno][2]string{
	EPERM:                 {"EPERM", "operation not permitted"},
	ENOENT:                {"ENOENT", "no such file or directory"},
	ESRCH:                 {"ESRCH", "no such process"},
	EINTR:                 {"EINTR", "interrupted system call"},
	EIO:                   {"EIO", "input/output error"},
	ENXIO:                 {"ENXIO", "no such device or address"},
	E2BIG:                 {"E2BIG", "argument list too long"},
	ENOEXEC:               {"ENOEXEC", "exec format error"},
	EBADF:                 {"EBADF", "bad file descriptor"},
	ECHILD:                {"ECHILD", "no child processes"},
	EAGAIN:                {"EAGAIN", "resource temporarily unavailable"},
	ENOMEM:                {"ENOMEM", "cannot allocate memory"},
	EACCES:                {"EACCES", "permission denied"},
	EFAULT:                {"EFAULT", "bad address"},
	ENOTBLK:               {"ENOTBLK", "block device required"},
	EBUSY:                 {"EBUSY", "device or resource busy"},
	EEXIST:                {"EEXIST", "file exists"},
	EXDEV:                 {"EXDEV", "invalid cross-device link"},
	ENODEV:                {"ENODEV", "no such device"},
	ENOTDIR:               {"ENOTDIR", "not a directory"},
	EISDIR:                {"EISDIR", "is a directory"},
	EINVAL:                {"EINVAL", "invalid argument"},
	ENFILE:                {"ENFILE", "too many open files in system"},
	EMFILE:                {"EMFILE", "too many open files"},
	ENOTTY:                {"ENOTTY", "inappropriate ioctl for device"},
	ETXTBSY:               {"ETXTBSY", "text file busy"},
	EFBIG:                 {"EFBIG", "file too large"},
	ENOSPC:                {"ENOSPC", "no space left on device"},
	ESPIPE:                {"ESPIPE", "illegal seek"},
	EROFS:                 {"EROFS", "read-only file system"},
	EMLINK:                {"EMLINK", "too many links"},
	EPIPE:                 {"EPIPE", "broken pipe"},
	EDOM:                  {"EDOM", "numerical argument out of domain"},
	ERANGE:                {"ERANGE", "numerical result out of range"},
	EDEADLK:               {"EDEADLK", "resource deadlock avoided"},
	ENAMETOOLONG:          {"ENAMETOOLONG", "file name too long"},
	ENOLCK:                {"ENOLCK", "no locks available"},
	ENOSYS:                {"ENOSYS", "function not implemented"},
	ENOTEMPTY:             {"ENOTEMPTY", "directory not empty"},
	ELOOP:                 {"ELOOP", "too many levels of symbolic links"},
	ENOMSG:                {"ENOMSG", "no message of desired type"},
	EIDRM:                 {"EIDRM", "identifier removed"},
	ENOSTR:                {"ENOSTR", "device not a stream"},
	ENODATA:               {"ENODATA", "no data available"},
	ETIME:                 {"ETIME", "timer expired"},
	ENOSR:                 {"ENOSR", "out of streams resources"},
	ENOLINK:               {"ENOLINK", "link has been severed"},
	EPROTO:                {"EPROTO", "protocol error"},
	EBADMSG:               {"EBADMSG", "bad message"},
	EOVERFLOW:             {"EOVERFLOW", "value too large for defined data type"},
	EBADFD:                {"EBADFD", "file descriptor in bad state"},
	ELIBBAD:               {"ELIBBAD", "accessing a corrupted shared library"},
	EILSEQ:                {"EILSEQ", "invalid or incomplete multibyte or wide character"},
	ERESTART:              {"ERESTART", "interrupted system call should be restarted"},
	EUSERS:                {"EUSERS", "too many users"},
	ENOTSOCK:              {"ENOTSOCK", "socket operation on non-socket"},
	EDESTADDRREQ:          {"EDESTADDRREQ", "destination address required"},
	EMSGSIZE:              {"EMSGSIZE", "message too long"},
	EPROTOTYPE:            {"EPROTOTYPE", "protocol wrong type for socket"},
	ENOPROTOOPT:           {"ENOPROTOOPT", "protocol not available"},
	EPROTONOSUPPORT:       {"EPROTONOSUPPORT", "protocol not supported"},
	ESOCKTNOSUPPORT:       {"ESOCKTNOSUPPORT", "socket type not supported"},
	EOPNOTSUPP:            {"EOPNOTSUPP", "operation not supported"},
	EPFNOSUPPORT:          {"EPFNOSUPPORT", "protocol family not supported"},
	EAFNOSUPPORT:          {"EAFNOSUPPORT", "address family not supported by protocol"},
	EADDRINUSE:            {"EADDRINUSE", "address already in use"},
	EADDRNOTAVAIL:         {"EADDRNOTAVAIL", "cannot assign requested address"},
	ENETDOWN:              {"ENETDOWN", "network is down"},
	ENETUNREACH:           {"ENETUNREACH", "network is unreachable"},
	ENETRESET:             {"ENETRESET", "network dropped connection on reset"},
	ECONNABORTED:          {"ECONNABORTED", "software caused connection abort"},
	ECONNRESET:            {"ECONNRESET", "connection reset by peer"},
	ENOBUFS:               {"ENOBUFS", "no buffer space available"},
	EISCONN:               {"EISCONN", "transport endpoint is already connected"},
	ENOTCONN:              {"ENOTCONN", "transport endpoint is not connected"},
	ESHUTDOWN:             {"ESHUTDOWN", "cannot send after transport endpoint shutdown"},
	ETIMEDOUT:             {"ETIMEDOUT", "connection timed out"},
	ECONNREFUSED:          {"ECONNREFUSED", "connection refused"},
	EHOSTDOWN:             {"EHOSTDOWN", "host is down"},
	EHOSTUNREACH:          {"EHOSTUNREACH", "no route to host"},
	EALREADY:              {"EALREADY", "operation already in progress"},
	EINPROGRESS:           {"EINPROGRESS", "operation now in progress"},
	ESTALE:                {"ESTALE", "stale file handle"},
	EDQUOT:                {"EDQUOT", "disk quota exceeded"},
	ECANCELED:             {"ECANCELED", "operation canceled"},
	EOWNERDEAD:            {"EOWNERDEAD", "owner died"},
	ENOTRECOVERABLE:       {"ENOTRECOVERABLE", "state not recoverable"},
	ERESTARTSYS:           {"ERESTARTSYS", "restart system call (kernel-internal)"},
	ERESTARTNOINTR:        {"ERESTARTNOINTR", "restart system call without interruption (kernel-internal)"},
	ERESTARTNOHAND:        {"ERESTARTNOHAND", "restart if no handler (kernel-internal)"},
	ENOIOCTLCMD:           {"ENOIOCTLCMD", "no ioctl command (kernel-internal)"},
	ERESTART_RESTARTBLOCK: {"ERESTART_RESTARTBLOCK", "restart through restart_syscall (kernel-internal)"},
}

// Error prints the Linux symbol ("EBADF"): kernel logs and test failures
// should name the errno the way strace does.
func (e Errno) Error() string { return e.Name() }

// Message returns the C library's text for the errno ("bad file descriptor").
func (e Errno) Message() string {
	if s, ok := errnoNames[e]; ok {
		return s[1]
	}
	return "errno " + itoa(uint64(e))
}

// Name returns the Linux symbol ("EBADF"), or "errno N" for a number
// without one. Tests and kernel logs print names, never bare numbers.
func (e Errno) Name() string {
	if s, ok := errnoNames[e]; ok {
		return s[0]
	}
	return "errno " + itoa(uint64(e))
}

// Neg is the value a syscall returns in rax for this error: -errno.
func (e Errno) Neg() uint64 { return uint64(-int64(e)) }

// ErrnoOf turns an error from a handler or driver into the errno user
// space sees: 0 for nil, the Errno itself (checked first: errors.As's
// reflection cost a system call hundreds of instructions), a wrapped one
// (fmt.Errorf("...: %w", EBADF)), and EIO for anything else: a kernel bug,
// which must not leak a made-up number (Linux's catch-all is EIO too).
func ErrnoOf(err error) Errno {
	if err == nil {
		return 0
	}
	if e, ok := err.(Errno); ok {
		return e
	}
	var e Errno
	if errors.As(err, &e) {
		return e
	}
	return EIO
}

// itoa avoids strconv so that abi stays importable from anywhere.
func itoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}
