package nucleus

// Leaving the machine: QEMU's isa-debug-exit device (iobase 0xf4) turns a
// byte v written to it into QEMU's exit status (v<<1)|1, so the host tool
// recovers the kernel's status as (status-1)/2 and a plain QEMU exit (0, a
// triple fault with -no-reboot) can never look like success.
//
// Runs on trap paths: //go:nosplit, no allocation.

import "github.com/ringo-os/ringo/arch/amd64"

const debugExitPort = 0xf4

// Exit stops the machine with the given status (0-255).
//
//go:nosplit
func Exit(status uint8) {
	amd64.Outb(debugExitPort, status)
	// Without the device (a real PC, another VMM): stop the CPU.
	for {
		amd64.DisableInterrupts()
		amd64.Halt()
	}
}

// BootFail reports a fatal problem found before the runtime runs (a
// malformed boot info, no usable memory) and exits with status 125.
//
//go:nosplit
func BootFail(what, why string) {
	printkStamp()
	puts("Ringo: cannot boot: ")
	puts(what)
	puts(why)
	putc('\n')
	Exit(exitBootFailure)
}

// Exit statuses the host tool knows (cmd/ringo).
const (
	exitBootFailure = 125
	exitOops        = 124
)
