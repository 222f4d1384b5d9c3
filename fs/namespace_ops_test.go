package fs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringo-os/ringo/abi"
)

// unlink and rmdir move the parent's mtime and ctime, and the ctime of
// an inode that lives on through another link (simple_unlink).
func TestUnlinkUpdatesTimes(t *testing.T) {
	v, c, _ := newTestVFS(t)
	now := time.Unix(1000, 0)
	v.Now = func() time.Time { return now }
	require.Equal(t, abi.Errno(0), v.Mkdirat(c, AT_FDCWD, "/d", 0o755))
	require.Equal(t, abi.Errno(0), v.Mkdirat(c, AT_FDCWD, "/d/sub", 0o755))
	fd := mustOpen(t, v, c, "/d/f", O_CREAT|O_RDWR)
	now = time.Unix(2000, 0)
	require.Equal(t, abi.Errno(0), v.Unlinkat(c, AT_FDCWD, "/d/f", 0))
	st, _ := Fstat(c, fd)
	require.Equal(t, now, st.Ctime, "the open inode's ctime")
	dir, _ := v.Fstatat(c, AT_FDCWD, "/d", 0)
	require.Equal(t, now, dir.Mtime)
	require.Equal(t, now, dir.Ctime)
	require.EqualValues(t, 3, dir.Nlink, ".., . and sub's ..")
	now = time.Unix(3000, 0)
	require.Equal(t, abi.Errno(0), v.Unlinkat(c, AT_FDCWD, "/d/sub", AT_REMOVEDIR))
	dir, _ = v.Fstatat(c, AT_FDCWD, "/d", 0)
	require.Equal(t, now, dir.Mtime)
	require.EqualValues(t, 2, dir.Nlink, "sub's .. is gone")
}
