package fs

// The open(2)/fcntl(2) numbers of x86 Linux (include/uapi/asm-generic/fcntl.h,
// include/uapi/linux/stat.h). They live here rather than in abi because only
// the VFS interprets them; the syscall layer passes them through untouched.

// Open flags (octal, as in the C headers).
const (
	O_ACCMODE   = 0o3
	O_RDONLY    = 0o0
	O_WRONLY    = 0o1
	O_RDWR      = 0o2
	O_CREAT     = 0o100
	O_EXCL      = 0o200
	O_NOCTTY    = 0o400
	O_TRUNC     = 0o1000
	O_APPEND    = 0o2000
	O_NONBLOCK  = 0o4000
	O_NDELAY    = O_NONBLOCK
	O_DSYNC     = 0o10000
	FASYNC      = 0o20000
	O_DIRECT    = 0o40000
	O_LARGEFILE = 0o100000
	O_DIRECTORY = 0o200000
	O_NOFOLLOW  = 0o400000
	O_NOATIME   = 0o1000000
	O_CLOEXEC   = 0o2000000
	O_SYNC      = 0o4010000
	O_PATH      = 0o10000000
	O_TMPFILE   = 0o20200000

	// O_NOTIFICATION_PIPE reuses O_EXCL's bit for pipe2 (include/uapi/linux/watch_queue.h).
	O_NOTIFICATION_PIPE = O_EXCL
)

// fcntl commands (include/uapi/asm-generic/fcntl.h, include/uapi/linux/fcntl.h).
const (
	F_DUPFD         = 0
	F_GETFD         = 1
	F_SETFD         = 2
	F_GETFL         = 3
	F_SETFL         = 4
	F_SETOWN        = 8
	F_GETOWN        = 9
	F_DUPFD_CLOEXEC = 1030
	F_SETPIPE_SZ    = 1031
	F_GETPIPE_SZ    = 1032

	FD_CLOEXEC = 1
)

// close_range flags (include/uapi/linux/close_range.h).
const (
	CLOSE_RANGE_UNSHARE = 1 << 1
	CLOSE_RANGE_CLOEXEC = 1 << 2
)

// lseek whence values (include/uapi/linux/fs.h).
const (
	SEEK_SET  = 0
	SEEK_CUR  = 1
	SEEK_END  = 2
	SEEK_DATA = 3
	SEEK_HOLE = 4
	seekMax   = SEEK_HOLE
)

// File type and permission bits of st_mode (include/uapi/linux/stat.h).
const (
	S_IFMT   = 0o170000
	S_IFSOCK = 0o140000
	S_IFLNK  = 0o120000
	S_IFREG  = 0o100000
	S_IFBLK  = 0o060000
	S_IFDIR  = 0o040000
	S_IFCHR  = 0o020000
	S_IFIFO  = 0o010000
)

// Limits of include/uapi/linux/limits.h and include/linux/fs.h.
const (
	NAME_MAX = 255
	PATH_MAX = 4096
	PIPE_BUF = 4096

	// MAX_RW_COUNT caps a single read or write (INT_MAX & PAGE_MASK).
	MAX_RW_COUNT = 0x7ffff000

	pageSize = 4096
)

// setflMask is SETFL_MASK of fs/fcntl.c: the only bits F_SETFL may change.
const setflMask = O_APPEND | O_NONBLOCK | O_NDELAY | O_DIRECT | O_NOATIME | FASYNC
