// Package amd64 holds what is specific to the x86-64 CPU: descriptor tables,
// trap and syscall entry stubs, control registers and MSRs, the page-table
// entry format, the FPU/SSE save area, and the legacy PC devices (8259 PIC,
// 8254 PIT, CMOS RTC, 16550 UART, isa-debug-exit).
//
// It imports nothing of Ringo's. Files that run beneath the Go runtime or on a
// trap path say so in their header and contain only //go:nosplit functions
// that allocate nothing; the rest (pte.go) is plain data shared with the
// host-tested mm package.
package amd64
