package boot

// The 64-bit half of the boot path: from start64 (entry_amd64.s) to the Go
// runtime's own entry point.
//
// Runs beneath the Go runtime: //go:nosplit, no allocation, no runtime
// locks. The runtime does not exist yet when bootMain runs.

import (
	"unsafe"

	"github.com/ringo-os/ringo/kernel/nucleus"
)

const bootStackSize = 128 << 10 // rt0 takes 64 KiB below SP as g0's stack

var (
	bootTables   [5 * 4096]byte // three page tables, the boot GDT, alignment slack (entry32)
	bootStack    [bootStackSize]byte
	bootTLS      [128]byte // scratch FS base until arch_prctl(ARCH_SET_FS)
	bootMagic    uint32
	bootInfoPhys uint32
	rt0SP        uintptr
	bootInfo     nucleus.BootInfo
)

// entry32, start64 and start64high are in entry_amd64.s. entry32 is the
// linker's entry symbol (-E), so it and everything it reaches is kept.
func entry32()
func start64()
func start64high()

// bootMain parses the Multiboot information, hands it to the nucleus and
// builds the initial process stack the runtime's rt0 expects.
//
//go:nosplit
func bootMain() {
	nucleus.EarlyConsole()
	msg := ParseMultiboot(bootMagic, uintptr(bootInfoPhys), nucleus.DirectMapBase, nucleus.BootDirectMapLimit, &bootInfo)
	if msg != "" {
		nucleus.BootFail("multiboot: ", msg)
	}
	stackTop := uintptr(unsafe.Pointer(&bootStack[0])) + bootStackSize
	rt0SP = nucleus.Init(&bootInfo, stackTop)
}

// entry32Addr is entry32's address (entry_amd64.s), read by boot_test.go.
var entry32Addr uintptr
