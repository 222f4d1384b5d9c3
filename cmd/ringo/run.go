package main

// ringo run: pack a program into an initramfs, boot Ringo with it as the
// first user process, and come back with its exit status (128+signal when
// it was killed). The program's stdout and stderr travel on COM2 and COM3
// and reach the host's stdout and stderr byte for byte; the kernel log
// stays on COM1 (kept with --klog FILE, else dropped unless the run
// fails).

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
)

type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(s string) error { *f = append(*f, s); return nil }

func cmdRun(args []string) (int, error) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var files fileList
	fs.Var(&files, "file", "extra file HOST[:GUEST] for the initramfs (repeatable)")
	klog := fs.String("klog", "", "write the kernel log (COM1) to this file")
	mem := fs.String("m", "256M", "guest RAM")
	strace := fs.Bool("strace", false, "log every system call (kernel log)")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	if fs.NArg() < 1 {
		return 2, errors.New("usage: ringo run [--file HOST[:GUEST]]... [--klog FILE] [--] ELF [ARG...]")
	}
	entries, err := programInitramfs(fs.Arg(0), fs.Args()[1:])
	if err != nil {
		return 2, err
	}
	for _, spec := range files {
		f, err := hostFile(spec)
		if err != nil {
			return 2, err
		}
		entries = append(entries, f)
	}
	cmdline := runCmdline()
	if *strace {
		cmdline += " ringo.strace"
	}
	return bootWithInitramfs(entries, cmdline, *mem, *klog, os.Stdout, os.Stderr)
}

// programInitramfs is the initramfs of a run: the program as /init and its
// argv (argv[0] is the file's base name).
func programInitramfs(prog string, args []string) ([]initramfsFile, error) {
	elf, err := os.ReadFile(prog)
	if err != nil {
		return nil, err
	}
	argv := append([]string{filepath.Base(prog)}, args...)
	return []initramfsFile{
		{Guest: "/init", Data: elf, Mode: 0o755},
		{Guest: "/etc/ringo/argv", Data: []byte(strings.Join(argv, "\x00") + "\x00"), Mode: 0o644},
	}, nil
}

// runCmdline is the kernel command line of a run. RINGO_APPEND adds words
// to it, for experiments (e.g. GODEBUG=asyncpreemptoff=0 reaches the
// kernel's Go runtime).
func runCmdline() string {
	return strings.TrimSpace("ringo.run " + os.Getenv("RINGO_APPEND"))
}

// bootWithInitramfs boots Ringo with the files as its initramfs and the
// given command line, streaming COM2 to stdout and COM3 to stderr; extra
// goes to QEMU as it is.
func bootWithInitramfs(entries []initramfsFile, cmdline, mem, klogPath string, stdout, stderr io.Writer, extra ...string) (int, error) {
	img, err := buildKernel(os.Stderr)
	if err != nil {
		return 2, err
	}
	cpioData, err := packInitramfs(entries)
	if err != nil {
		return 2, err
	}
	dir, err := os.MkdirTemp("", "ringo-run-")
	if err != nil {
		return 2, err
	}
	defer os.RemoveAll(dir)
	initrd := filepath.Join(dir, "initramfs.cpio")
	if err := os.WriteFile(initrd, cpioData, 0o644); err != nil {
		return 2, err
	}
	keepLog := klogPath != ""
	if !keepLog {
		klogPath = filepath.Join(dir, "klog")
	}
	outDone, outSock, err := serialSink(filepath.Join(dir, "out.sock"), stdout)
	if err != nil {
		return 2, err
	}
	errDone, errSock, err := serialSink(filepath.Join(dir, "err.sock"), stderr)
	if err != nil {
		return 2, err
	}
	m := Machine{Memory: mem, Cmdline: cmdline, Initrd: initrd, COM1: "file:" + klogPath,
		Extra: []string{
			"-chardev", "socket,id=com2,path=" + outSock, "-serial", "chardev:com2",
			"-chardev", "socket,id=com3,path=" + errSock, "-serial", "chardev:com3",
		}}
	m.Extra = append(m.Extra, extra...)
	status, runErr := runQEMU(img, m, io.Discard)
	<-outDone
	<-errDone
	// Statuses of 128 and more (killed by a signal) do not fit QEMU's
	// exit code: the kernel logs the exact value.
	reported := false
	if b, err := os.ReadFile(klogPath); err == nil {
		if i := bytes.LastIndex(b, []byte("ringo-exit-status: ")); i >= 0 {
			var s int
			if _, err := fmt.Sscanf(string(b[i:]), "ringo-exit-status: %d", &s); err == nil {
				status, reported = s, true
			}
		}
	}
	if runErr != nil || !reported {
		if b, err := os.ReadFile(klogPath); err == nil && !keepLog {
			fmt.Fprintf(os.Stderr, "ringo: the run failed; kernel log:\n%s", b)
		}
	}
	return status, runErr
}

// serialSink listens on a unix socket that QEMU connects a serial port to
// and copies what arrives to w; done closes when QEMU hangs up.
func serialSink(path string, w io.Writer) (<-chan struct{}, string, error) {
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, "", err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer l.Close()
		c, err := l.Accept()
		if err != nil {
			return
		}
		io.Copy(w, c)
		c.Close()
	}()
	return done, path, nil
}
