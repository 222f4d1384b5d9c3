package main

// Packing an initramfs (cpio "newc", what the Linux kernel and Ringo's fs
// unpack) with the program to run and any extra files.

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/cavaliergopher/cpio"
)

// initramfsFile is one file to put in the archive.
type initramfsFile struct {
	Guest string // absolute path in the guest
	Data  []byte
	Mode  cpio.FileMode
}

// packInitramfs writes the files, with every parent directory, into a cpio
// newc archive. Directories /dev, /proc and /tmp always exist.
func packInitramfs(files []initramfsFile) ([]byte, error) {
	dirs := map[string]bool{"/dev": true, "/proc": true, "/tmp": true}
	for _, f := range files {
		if !path.IsAbs(f.Guest) || path.Clean(f.Guest) != f.Guest {
			return nil, fmt.Errorf("initramfs: guest path %q must be absolute and clean", f.Guest)
		}
		for d := path.Dir(f.Guest); d != "/"; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	var names []string
	for d := range dirs {
		names = append(names, d)
	}
	sort.Strings(names) // parents before children
	var buf bytes.Buffer
	w := cpio.NewWriter(&buf)
	mtime := time.Unix(0, 0)
	for _, d := range names {
		h := &cpio.Header{Name: strings.TrimPrefix(d, "/"), Mode: cpio.TypeDir | 0o755, ModTime: mtime, Links: 2}
		if err := w.WriteHeader(h); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		mode := f.Mode
		if mode == 0 {
			mode = 0o755
		}
		h := &cpio.Header{Name: strings.TrimPrefix(f.Guest, "/"), Mode: cpio.TypeReg | mode, Size: int64(len(f.Data)), ModTime: mtime, Links: 1}
		if err := w.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := w.Write(f.Data); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// hostFile reads HOST[:GUEST] (GUEST defaults to /HOST's base name).
func hostFile(spec string) (initramfsFile, error) {
	host, guest, ok := strings.Cut(spec, ":")
	if !ok {
		guest = "/" + path.Base(host)
	}
	data, err := os.ReadFile(host)
	if err != nil {
		return initramfsFile{}, err
	}
	st, _ := os.Stat(host)
	return initramfsFile{Guest: guest, Data: data, Mode: cpio.FileMode(st.Mode().Perm())}, nil
}
