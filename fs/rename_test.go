package fs

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

// renameTree builds /r with a file, a second file, an empty and a
// non-empty directory and a symlink.
func renameTree(t *testing.T) (*VFS, *Caller) {
	v, c, _ := newTestVFS(t)
	require.Equal(t, abi.Errno(0), v.Mkdirat(c, AT_FDCWD, "/r", 0o755))
	for _, d := range []string{"/r/empty", "/r/full", "/r/full/sub"} {
		require.Equal(t, abi.Errno(0), v.Mkdirat(c, AT_FDCWD, d, 0o755))
	}
	for _, f := range []string{"/r/a", "/r/b", "/r/full/f"} {
		fd := mustOpen(t, v, c, f, O_CREAT|O_WRONLY)
		_, err := Write(c, fd, []byte(f))
		require.Equal(t, abi.Errno(0), err)
		require.Equal(t, abi.Errno(0), Close(c, fd))
	}
	require.Equal(t, abi.Errno(0), v.Symlinkat(c, "a", AT_FDCWD, "/r/link"))
	return v, c
}

func content(t *testing.T, v *VFS, c *Caller, path string) string {
	t.Helper()
	return readAll(t, v, c, path)
}

func TestRenameMovesAFileAndReplacesATarget(t *testing.T) {
	v, c := renameTree(t)
	st, _ := v.Fstatat(c, AT_FDCWD, "/r/a", 0)
	require.Equal(t, abi.Errno(0), v.Renameat2(c, AT_FDCWD, "/r/a", AT_FDCWD, "/r/moved", 0))
	_, err := v.Fstatat(c, AT_FDCWD, "/r/a", 0)
	require.Equal(t, abi.ENOENT, err)
	require.Equal(t, "/r/a", content(t, v, c, "/r/moved"))
	st2, _ := v.Fstatat(c, AT_FDCWD, "/r/moved", 0)
	require.Equal(t, st.Ino, st2.Ino, "the inode moves, not a copy")

	// Over an existing file: the target's inode goes, an open fd keeps it.
	fd := mustOpen(t, v, c, "/r/b", O_RDONLY)
	require.Equal(t, abi.Errno(0), v.Renameat2(c, AT_FDCWD, "/r/moved", AT_FDCWD, "/r/b", 0))
	require.Equal(t, "/r/a", content(t, v, c, "/r/b"))
	buf := make([]byte, 16)
	n, err := Read(c, fd, buf)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, "/r/b", string(buf[:n]), "the replaced file stays readable through its fd")
	require.Equal(t, abi.Errno(0), Close(c, fd))
}

func TestRenameMovesADirectoryAndFixesLinkCounts(t *testing.T) {
	v, c := renameTree(t)
	before, _ := v.Fstatat(c, AT_FDCWD, "/r", 0)
	require.Equal(t, abi.Errno(0), v.Renameat2(c, AT_FDCWD, "/r/full", AT_FDCWD, "/moved", 0))
	require.Equal(t, "/r/full/f", content(t, v, c, "/moved/f"))
	after, _ := v.Fstatat(c, AT_FDCWD, "/r", 0)
	require.Equal(t, before.Nlink-1, after.Nlink, "/r lost the moved directory's ..")
	// A directory onto an empty directory replaces it.
	require.Equal(t, abi.Errno(0), v.Renameat2(c, AT_FDCWD, "/moved", AT_FDCWD, "/r/empty", 0))
	require.Equal(t, "/r/full/f", content(t, v, c, "/r/empty/f"))
	final, _ := v.Fstatat(c, AT_FDCWD, "/r", 0)
	require.Equal(t, before.Nlink-1, final.Nlink, "the replaced directory's .. went too")
}

func TestRenameErrorsAsLinux(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		flags    uint32
		want     abi.Errno
	}{
		{"missing source", "/r/nope", "/r/x", 0, abi.ENOENT},
		{"missing parent of the target", "/r/a", "/r/nope/x", 0, abi.ENOENT},
		{"file in the path", "/r/a/x", "/r/y", 0, abi.ENOTDIR},
		{"directory over a file", "/r/empty", "/r/a", 0, abi.ENOTDIR},
		{"file over a directory", "/r/a", "/r/empty", 0, abi.EISDIR},
		{"directory over a non-empty directory", "/r/empty", "/r/full", 0, abi.ENOTEMPTY},
		{"directory into itself", "/r/full", "/r/full/sub/x", 0, abi.EINVAL},
		{"directory onto its ancestor", "/r/full/sub", "/r", 0, abi.ENOTEMPTY},
		{"across mounts", "/r/a", "/dev/a", 0, abi.EXDEV},
		{"dot as source", "/r/.", "/r/x", 0, abi.EBUSY},
		{"dotdot as target", "/r/a", "/r/..", 0, abi.EBUSY},
		{"dotdot as target with NOREPLACE", "/r/a", "/r/..", RENAME_NOREPLACE, abi.EEXIST},
		{"root as source", "/", "/r/x", 0, abi.EBUSY},
		{"mount point", "/proc", "/x", 0, abi.EBUSY},
		{"NOREPLACE with an existing target", "/r/a", "/r/b", RENAME_NOREPLACE, abi.EEXIST},
		{"unknown flag", "/r/a", "/r/x", 8, abi.EINVAL},
		{"EXCHANGE with NOREPLACE", "/r/a", "/r/b", RENAME_EXCHANGE | RENAME_NOREPLACE, abi.EINVAL},
		{"EXCHANGE with a missing target", "/r/a", "/r/x", RENAME_EXCHANGE, abi.ENOENT},
		{"WHITEOUT on ramfs", "/r/a", "/r/x", RENAME_WHITEOUT, abi.EINVAL},
		{"trailing slash on a file", "/r/a/", "/r/x", 0, abi.ENOTDIR},
		{"trailing slash on the target of a file", "/r/a", "/r/x/", 0, abi.ENOTDIR},
		{"empty source", "", "/r/x", 0, abi.ENOENT},
		{"empty target", "/r/a", "", 0, abi.ENOENT},
		{"in procfs", "/proc/self", "/proc/other", 0, abi.EPERM},
		{"missing name in procfs", "/proc/nope", "/proc/other", 0, abi.ENOENT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, c := renameTree(t)
			require.Equal(t, tc.want, v.Renameat2(c, AT_FDCWD, tc.old, AT_FDCWD, tc.new, tc.flags))
		})
	}
}

func TestRenameSameFileAndTrailingSlashOnDirectories(t *testing.T) {
	v, c := renameTree(t)
	require.Equal(t, abi.Errno(0), v.Renameat2(c, AT_FDCWD, "/r/a", AT_FDCWD, "/r/./a", 0), "same dentry: nothing to do")
	require.Equal(t, "/r/a", content(t, v, c, "/r/a"))
	require.Equal(t, abi.Errno(0), v.Renameat2(c, AT_FDCWD, "/r/empty/", AT_FDCWD, "/r/e2/", 0), "slashes are fine on directories")
	st, err := v.Fstatat(c, AT_FDCWD, "/r/e2", 0)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, uint32(S_IFDIR), st.Mode&S_IFMT)
	// A symlink is renamed itself, not its target.
	require.Equal(t, abi.Errno(0), v.Renameat2(c, AT_FDCWD, "/r/link", AT_FDCWD, "/r/link2", 0))
	text, err := v.Readlinkat(c, AT_FDCWD, "/r/link2", 64)
	require.Equal(t, abi.Errno(0), err)
	require.Equal(t, "a", text)
}

func TestRenameExchangeSwapsNames(t *testing.T) {
	v, c := renameTree(t)
	require.Equal(t, abi.Errno(0), v.Renameat2(c, AT_FDCWD, "/r/a", AT_FDCWD, "/r/full", RENAME_EXCHANGE))
	require.Equal(t, "/r/a", content(t, v, c, "/r/full"))
	require.Equal(t, "/r/full/f", content(t, v, c, "/r/a/f"))
}

func TestRenameRelativeToDirfds(t *testing.T) {
	v, c := renameTree(t)
	dfd := mustOpen(t, v, c, "/r", O_RDONLY|O_DIRECTORY)
	require.Equal(t, abi.Errno(0), v.Renameat2(c, dfd, "a", dfd, "full/a", 0))
	require.Equal(t, "/r/a", content(t, v, c, "/r/full/a"))
	ffd := mustOpen(t, v, c, "/r/b", O_RDONLY)
	require.Equal(t, abi.ENOTDIR, v.Renameat2(c, ffd, "x", AT_FDCWD, "/r/y", 0))
	require.Equal(t, abi.EBADF, v.Renameat2(c, 999, "x", AT_FDCWD, "/r/y", 0))
	require.Equal(t, abi.EBADF, v.Renameat2(c, AT_FDCWD, "/r/b", -5, "y", 0))
}
