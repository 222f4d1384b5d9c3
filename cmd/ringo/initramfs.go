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

	"github.com/ringo-os/ringo/bench"
)

// initramfsFile is one file to put in the archive.
type initramfsFile struct {
	Guest string // absolute path in the guest
	Data  []byte
	Mode  uint32 // permission bits; 0 means 0755
}

// packInitramfs writes the files, with every parent directory (the
// unpacker does not create missing parents), into a cpio newc archive
// with bench.WriteInitramfs. Directories /dev, /proc and /tmp always exist.
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
	var entries []bench.InitramfsFile
	for _, d := range names {
		entries = append(entries, bench.InitramfsFile{Name: d, Mode: 0o755, Dir: true})
	}
	for _, f := range files {
		mode := uint32(f.Mode)
		if mode == 0 {
			mode = 0o755
		}
		entries = append(entries, bench.InitramfsFile{Name: f.Guest, Mode: mode, Data: f.Data})
	}
	var buf bytes.Buffer
	if err := bench.WriteInitramfs(&buf, entries); err != nil {
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
	return initramfsFile{Guest: guest, Data: data, Mode: uint32(st.Mode().Perm())}, nil
}
