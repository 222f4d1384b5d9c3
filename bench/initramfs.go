package bench

// The initramfs of a benchmark boot: a cpio "newc" archive, the format both
// Linux (init/initramfs.c) and Ringo's fs/initramfs unpack into the root
// filesystem before running /init.

import (
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/cavaliergopher/cpio"
)

// InitramfsFile is one entry of an initramfs. A nil Data with Dir set makes
// a directory.
type InitramfsFile struct {
	Name string // absolute path in the guest, e.g. "/init"
	Mode uint32 // permission bits (0755)
	Dir  bool
	Data []byte
}

// WriteInitramfs writes files as a cpio newc archive. Names must be
// absolute, clean, free of NUL and unique; parents must come before their
// children (Linux's unpacker does not create missing parents).
//
// There is no /dev/console entry: the cpio library cannot write device
// numbers, and neither kernel needs one (Linux unpacks its built-in
// initramfs, which has /dev/console, before ours; Ringo's console is its
// own).
func WriteInitramfs(w io.Writer, files []InitramfsFile) error {
	seen := map[string]bool{"/": true}
	cw := cpio.NewWriter(w)
	for _, f := range files {
		if err := checkInitramfsName(f.Name, seen); err != nil {
			return err
		}
		seen[f.Name] = true
		if f.Mode&^0o7777 != 0 {
			return fmt.Errorf("initramfs: %s: mode %#o has bits beyond permissions", f.Name, f.Mode)
		}
		hdr := &cpio.Header{
			// newc names are relative: "init", "dev", as gen_init_cpio writes them.
			Name: strings.TrimPrefix(f.Name, "/"),
			Mode: cpio.FileMode(f.Mode),
		}
		if f.Dir {
			if len(f.Data) != 0 {
				return fmt.Errorf("initramfs: %s: a directory has no data", f.Name)
			}
			hdr.Mode |= cpio.TypeDir
			hdr.Links = 2
		} else {
			hdr.Mode |= cpio.TypeReg
			hdr.Size = int64(len(f.Data))
		}
		if err := cw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("initramfs: %s: %w", f.Name, err)
		}
		if _, err := cw.Write(f.Data); err != nil {
			return fmt.Errorf("initramfs: %s: %w", f.Name, err)
		}
	}
	return cw.Close()
}

func checkInitramfsName(name string, seen map[string]bool) error {
	switch {
	case !strings.HasPrefix(name, "/") || name == "/":
		return fmt.Errorf("initramfs: name %q is not an absolute file path", name)
	case strings.ContainsRune(name, 0):
		return fmt.Errorf("initramfs: name %q contains NUL", name)
	case path.Clean(name) != name:
		return fmt.Errorf("initramfs: name %q is not clean", name)
	case seen[name]:
		return fmt.Errorf("initramfs: %s appears twice", name)
	case !seen[path.Dir(name)]:
		return fmt.Errorf("initramfs: %s comes before its directory %s", name, path.Dir(name))
	}
	return nil
}

// BenchInitramfs lays out a benchmark boot: /init is the x86_64 build of
// bench.c and, if bench32 is not nil, /bench32 the i386 build, which /init
// execs when it is done. /dev and /proc are the mount points init uses.
func BenchInitramfs(w io.Writer, bench64, bench32 []byte) error {
	if len(bench64) == 0 {
		return fmt.Errorf("initramfs: the x86_64 bench binary is empty")
	}
	files := []InitramfsFile{
		{Name: "/dev", Mode: 0o755, Dir: true},
		{Name: "/proc", Mode: 0o555, Dir: true},
		{Name: "/init", Mode: 0o755, Data: bench64},
	}
	if bench32 != nil {
		files = append(files, InitramfsFile{Name: "/bench32", Mode: 0o755, Data: bench32})
	}
	return WriteInitramfs(w, files)
}
