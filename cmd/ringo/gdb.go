package main

// ringo gdb: boot paused with QEMU's gdbstub and say how to attach.

import (
	"fmt"
	"os"
	"path/filepath"
)

func cmdGDB(args []string) error {
	m, err := machineFlags("gdb", args)
	if err != nil {
		return err
	}
	m.Timeout = 0 // an interactive session lasts as long as it likes
	img, err := buildKernel(os.Stderr)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(img)
	m.Extra = append(m.Extra, "-S", "-gdb", "tcp::1234")
	fmt.Fprintf(os.Stderr, "QEMU is paused waiting for gdb. In another terminal run:\n\n"+
		"  gdb -ex 'set architecture i386:x86-64' -ex 'file %s' -ex 'target remote localhost:1234'\n\n"+
		"(hbreak on a Go symbol such as 'github.com/ringo-os/ringo/kernel/nucleus.trap', then continue)\n", abs)
	_, err = runQEMU(img, m, os.Stdout)
	return err
}
