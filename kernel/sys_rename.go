package kernel

// rename, renameat, renameat2 (fs/namei.c: do_renameat2). Both names are
// read (getname: EFAULT, ENAMETOOLONG) before the VFS checks the flags
// and walks the paths.

import (
	"github.com/ringo-os/ringo/fs"
	"github.com/ringo-os/ringo/syscall"
)

func (t *Task) renameAt(olddirfd int32, oldAddr uint64, newdirfd int32, newAddr uint64, flags uint32) (uint64, error) {
	oldpath, err := t.copyInPath(oldAddr)
	if err != nil {
		return 0, err
	}
	newpath, err := t.copyInPath(newAddr)
	if err != nil {
		return 0, err
	}
	return 0, errOf(t.k.vfs.Renameat2(t.caller, int(olddirfd), oldpath, int(newdirfd), newpath, flags))
}

func (t *Task) sysRename(a *syscall.Args) (uint64, error) {
	return t.renameAt(fs.AT_FDCWD, a.Ptr(0), fs.AT_FDCWD, a.Ptr(1), 0)
}

func (t *Task) sysRenameat(a *syscall.Args) (uint64, error) {
	return t.renameAt(a.Fd(0), a.Ptr(1), a.Fd(2), a.Ptr(3), 0)
}

func (t *Task) sysRenameat2(a *syscall.Args) (uint64, error) {
	return t.renameAt(a.Fd(0), a.Ptr(1), a.Fd(2), a.Ptr(3), a.Uint(4))
}
