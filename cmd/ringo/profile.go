package main

// ringo profile: guest instructions and memory operands per function for
// one iteration of a user program's loop, counted from QEMU's own logs
// (bench/tcgprof.go says how, bench/README.md what it found).

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ringo-os/ringo/bench"
)

func cmdProfile(args []string) (int, error) {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	marker := fs.String("marker", "marker", "the program's function called once per iteration")
	top := fs.Int("top", 30, "functions to list")
	keep := fs.String("log", "", "keep QEMU's log in this file (it can be gigabytes)")
	mem := fs.String("m", "256M", "guest RAM")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	if fs.NArg() < 1 {
		return 2, errors.New("usage: ringo profile [--marker FUNC] [--top N] [--log FILE] [--] ELF [ARG...]")
	}
	prog := fs.Arg(0)
	user, err := bench.LoadSymbols(prog)
	if err != nil {
		return 2, err
	}
	mark := user.Address(*marker)
	if mark == 0 {
		return 2, fmt.Errorf("%s has no function %q to cut iterations at (--marker)", prog, *marker)
	}
	img, err := buildKernel(os.Stderr)
	if err != nil {
		return 2, err
	}
	syms, err := bench.LoadSymbols(img, prog)
	if err != nil {
		return 2, err
	}
	entries, err := programInitramfs(prog, fs.Args()[1:])
	if err != nil {
		return 2, err
	}
	logPath := *keep
	if logPath == "" {
		dir, err := os.MkdirTemp("", "ringo-profile-")
		if err != nil {
			return 2, err
		}
		defer os.RemoveAll(dir)
		logPath = filepath.Join(dir, "qemu.log")
	}
	status, err := bootWithInitramfs(entries, runCmdline(), *mem, "", os.Stdout, os.Stderr,
		"-d", "in_asm,exec,nochain", "-D", logPath)
	if err != nil {
		return 2, err
	}
	f, err := os.Open(logPath)
	if err != nil {
		return 2, err
	}
	defer f.Close()
	p, err := bench.ParseTCGLog(f, mark)
	if err != nil {
		return 2, err
	}
	fmt.Printf("profile of %s (exit status %d), cut at %s (%#x):\n", filepath.Base(prog), status, *marker, mark)
	if err := bench.WriteTCGReport(os.Stdout, p, syms, *top); err != nil {
		return 1, err
	}
	return 0, nil
}
