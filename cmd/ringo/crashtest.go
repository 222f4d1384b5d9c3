package main

// ringo crashtest: boot with ringo.crash=nucleus, which makes the nucleus
// fault where it cannot recover, and check that the oops names the vector
// and CR2 and that the faulting instruction is disassembled.

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
)

func cmdCrashTest(args []string) (int, error) {
	m, err := machineFlags("crashtest", args)
	if err != nil {
		return 2, err
	}
	m.Cmdline = strings.TrimSpace(m.Cmdline + " ringo.crash=nucleus")
	img, err := buildKernel(os.Stderr)
	if err != nil {
		return 2, err
	}
	var buf bytes.Buffer
	status, err := runQEMU(img, m, io.MultiWriter(os.Stdout, &buf))
	if err != nil {
		return 2, err
	}
	out := buf.String()
	checks := []struct{ name, want string }{
		{"oops line", "Oops: "},
		{"vector named", "vector 14 (#PF page fault)"},
		{"CR2 named", "BUG: unable to handle page fault for address: 0xdead0000"},
		{"in the nucleus", "in the nucleus"},
		{"registers", "RIP: 0010:"},
		{"disassembly", "<-- trapping instruction"},
	}
	passed, failed := 0, 0
	for _, c := range checks {
		if strings.Contains(out, c.want) {
			fmt.Printf("ok   crashtest: %s\n", c.name)
			passed++
		} else {
			fmt.Printf("FAIL crashtest: %s: no %q in the console\n", c.name, c.want)
			failed++
		}
	}
	if status == statusOops {
		fmt.Println("ok   crashtest: QEMU exit status is the oops status")
		passed++
	} else {
		fmt.Printf("FAIL crashtest: kernel status %d, want %d\n", status, statusOops)
		failed++
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return 1, nil
	}
	return 0, nil
}
