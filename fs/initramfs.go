package fs

import (
	"errors"
	"io"
	"strings"

	"github.com/cavaliergopher/cpio"

	"github.com/ringo-os/ringo/abi"
)

// This file is init/initramfs.c: unpack a cpio "newc" archive into the
// root ramfs. The archive format is parsed by github.com/cavaliergopher/cpio.

// UnpackInitramfs mirrors unpack_to_rootfs: directories, regular files,
// symlinks, FIFOs and character nodes are created under the root (parent
// directories on demand); "." and "TRAILER!!!" are skipped. A malformed
// archive is EINVAL; entries that cannot be created are logged and
// skipped, as Linux does.
func (v *VFS) UnpackInitramfs(r io.Reader) error {
	c := v.NewCaller()
	c.Privileged = true
	c.Umask = 0
	defer c.Files.Release()
	rd := cpio.NewReader(r)
	for {
		hdr, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return abi.EINVAL
		}
		name := strings.TrimPrefix(strings.TrimPrefix(hdr.Name, "./"), "/")
		if name == "" || name == "." {
			continue
		}
		if e := v.unpackEntry(c, rd, hdr, "/"+name); e != 0 {
			v.Log.PrWarn("initramfs: %s: %v", name, e)
		}
	}
}

func (v *VFS) unpackEntry(c *Caller, rd *cpio.Reader, hdr *cpio.Header, path string) abi.Errno {
	perm := uint32(hdr.Mode.Perm()) | uint32(hdr.Mode)&0o7000
	v.mkdirParents(c, path)
	switch hdr.Mode & cpio.ModeType {
	case cpio.TypeDir:
		if e := v.Mkdirat(c, AT_FDCWD, path, perm); e != 0 && e != abi.EEXIST {
			return e
		}
		return 0
	case cpio.TypeSymlink:
		return v.Symlinkat(c, hdr.Linkname, AT_FDCWD, path)
	case cpio.TypeChar:
		// The library does not expose the newc rdevmajor/rdevminor
		// fields, so nodes arrive as 0:0; devtmpfs provides the real ones.
		return v.Mknodat(c, AT_FDCWD, path, S_IFCHR|perm, DevT(0))
	case cpio.TypeFifo:
		return v.Mknodat(c, AT_FDCWD, path, S_IFIFO|perm, 0)
	case cpio.TypeReg:
		fd, e := v.Openat(c, AT_FDCWD, path, O_WRONLY|O_CREAT|O_TRUNC, perm)
		if e != 0 {
			return e
		}
		defer c.Files.Close(fd)
		buf := make([]byte, 64*1024)
		for {
			n, err := rd.Read(buf)
			if n > 0 {
				if _, e := Write(c, fd, buf[:n]); e != 0 {
					return e
				}
			}
			if err == io.EOF {
				return 0
			}
			if err != nil {
				return abi.EINVAL
			}
		}
	}
	return abi.EINVAL
}

// mkdirParents creates the missing directories above path.
func (v *VFS) mkdirParents(c *Caller, path string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	cur := ""
	for _, p := range parts[:len(parts)-1] {
		cur += "/" + p
		v.Mkdirat(c, AT_FDCWD, cur, 0o755)
	}
}
