package main

// ringo qemu: boot the image under QEMU (software emulation), stream the
// console, decode oopses, and turn QEMU's exit status back into the
// kernel's.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"time"
)

// Machine is the QEMU configuration every Ringo boot uses, and the one make
// bench holds both kernels to (with qboot as the firmware, defaultBenchBIOS).
type Machine struct {
	CPU     string // -cpu; default DefaultCPU
	Memory  string // -m
	Cmdline string // -append
	Initrd  string
	BIOS    string // -bios: the firmware image; "" is QEMU's default, SeaBIOS
	// Timeout, when not zero, is how long QEMU may run before it is
	// killed and the boot reported as hung: a kernel that never takes a
	// timer interrupt cannot run a watchdog of its own.
	Timeout time.Duration
	COM1    string // QEMU -serial backend of COM1 (the kernel log); default stdio
	Extra   []string
}

// DefaultCPU is QEMU's baseline x86_64 model plus 1 GiB pages (the
// nucleus's direct map) and FSGSBASE (kernel/nucleus/fsgsbase.go), which
// every x86_64 CPU since 2012 has; Linux uses both as well.
const DefaultCPU = "qemu64,+pdpe1gb,+fsgsbase"

func (m Machine) args(image string) []string {
	cpu := m.CPU
	if cpu == "" {
		cpu = DefaultCPU
	}
	com1 := m.COM1
	if com1 == "" {
		com1 = "stdio"
	}
	a := []string{
		"-M", "q35", "-cpu", cpu, "-m", m.Memory, "-smp", "1",
		"-kernel", image,
		// No default devices: the VGA card, the NIC and their option
		// ROMs serve nothing here (the console is COM1) and cost every
		// boot 50-80 ms of QEMU and firmware time.
		"-nodefaults",
		"-display", "none", "-serial", com1, "-monitor", "none",
		"-no-reboot",
		"-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
	}
	if m.Cmdline != "" {
		a = append(a, "-append", m.Cmdline)
	}
	if m.Initrd != "" {
		a = append(a, "-initrd", m.Initrd)
	}
	if m.BIOS != "" {
		a = append(a, "-bios", m.BIOS)
	}
	a = append(a, m.Extra...)
	// RINGO_QEMU_EXTRA adds QEMU arguments to every boot, for debugging
	// (e.g. "-d int,cpu_reset -D /tmp/qemu.log").
	return append(a, strings.Fields(os.Getenv("RINGO_QEMU_EXTRA"))...)
}

// Exit statuses reported by the nucleus (kernel/nucleus/exit.go).
const (
	statusOops     = 124
	statusBootFail = 125
)

// errNoStatus: QEMU ended without the kernel reporting a status (triple
// fault with -no-reboot, killed, crashed).
var errNoStatus = errors.New("QEMU exited without a status from Ringo (triple fault or crash)")

// runQEMU boots and copies the console to out (with oops decoding). It
// returns the kernel's exit status.
func runQEMU(image string, m Machine, out io.Writer) (int, error) {
	qemu, err := exec.LookPath("qemu-system-x86_64")
	if err != nil {
		return -1, fmt.Errorf("qemu-system-x86_64 not found (apt-get install qemu-system-x86): %w", err)
	}
	cmd := exec.Command(qemu, m.args(image)...)
	cmd.Stderr = os.Stderr
	var pr io.Reader = strings.NewReader("")
	if m.COM1 == "" || m.COM1 == "stdio" {
		p, err := cmd.StdoutPipe()
		if err != nil {
			return -1, err
		}
		pr = p
	}
	if err := cmd.Start(); err != nil {
		return -1, err
	}
	var timedOut atomic.Bool
	if m.Timeout > 0 {
		t := time.AfterFunc(m.Timeout, func() {
			timedOut.Store(true)
			cmd.Process.Kill()
		})
		defer t.Stop()
	}
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(out, line)
		if i := strings.Index(line, "Code: "); i >= 0 {
			for _, d := range decodeCode(line[i+len("Code: "):]) {
				fmt.Fprintln(out, d)
			}
		}
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case timedOut.Load():
		return -1, fmt.Errorf("QEMU still running after %v: killed (the kernel hung?)", m.Timeout)
	case err == nil:
		return -1, errNoStatus
	case errors.As(err, &ee) && ee.ExitCode()&1 == 1:
		return (ee.ExitCode() - 1) / 2, nil
	}
	return -1, fmt.Errorf("qemu: %w", err)
}
