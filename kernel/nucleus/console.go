package nucleus

// The console: COM1, a 16550 UART driven by polling, and printk, the
// nucleus's kernel log with Linux's "[    0.012345] " timestamps.
//
// Runs beneath the runtime and on trap paths: //go:nosplit, no allocation,
// formatting into registers and the port directly.

import (
	"unsafe"

	"github.com/ringo-os/ringo/arch/amd64"
)

// The PC's serial ports. COM1 carries the kernel log; COM2 and COM3 are
// the user console's output and error streams, so that a program's
// stdout and stderr reach the host byte for byte, never interleaved with
// log lines (ringo run).
const (
	com1 = 0x3f8
	COM1 = com1
	COM2 = 0x2f8
	COM3 = 0x3e8
)

// EarlyConsole programs COM1-3 for 115200 8N1 with FIFOs. It is the first
// thing the boot path does, so that every later failure can be reported.
//
//go:nosplit
func EarlyConsole() {
	uartInit(com1)
	uartInit(COM2)
	uartInit(COM3)
}

//go:nosplit
func uartInit(base uint16) {
	amd64.Outb(base+1, 0x00) // no UART interrupts
	amd64.Outb(base+3, 0x80) // DLAB on
	amd64.Outb(base+0, 0x01) // divisor 1 = 115200 baud
	amd64.Outb(base+1, 0x00)
	amd64.Outb(base+3, 0x03) // 8 bits, no parity, 1 stop bit, DLAB off
	amd64.Outb(base+2, 0xc7) // FIFO on, cleared, 14-byte threshold
	amd64.Outb(base+4, 0x03) // DTR, RTS
}

func uartWrite(base uint16, p, n uintptr)

// Serial is an io.Writer on one UART, for Go code above the runtime.
type Serial uint16

func (s Serial) Write(b []byte) (int, error) {
	if len(b) > 0 {
		uartWrite(uint16(s), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	}
	return len(b), nil
}

// serialWrite sends n bytes at p to COM1 (console_amd64.s).
func serialWrite(p, n uintptr)

//go:nosplit
func putc(c byte) { serialWrite(uintptr(unsafe.Pointer(&c)), 1) }

// consoleWrite sends n bytes at address p: the runtime's write(1) and
// write(2) end here.
//
//go:nosplit
func consoleWrite(p, n uintptr) { serialWrite(p, n) }

//go:nosplit
func puts(s string) { serialWrite(uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(len(s))) }

// putdec prints v in decimal, right-aligned in width characters
// (padded with pad). Digits are written through a pointer, not by index:
// a bounds check would pull the runtime's panic path into the linker's
// nosplit stack budget of every trap path that logs.
//
//go:nosplit
func putdec(v uint64, width int, pad byte) {
	var b [24]byte
	end := uintptr(unsafe.Pointer(&b[0])) + uintptr(len(b))
	p := end
	for {
		p--
		*u8at(p) = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	for int(end-p) < width && int(end-p) < len(b) {
		p--
		*u8at(p) = pad
	}
	serialWrite(p, end-p)
}

// puthex prints v in lowercase hex, zero-padded to width digits.
//
//go:nosplit
func puthex(v uint64, width int) {
	const digits = "0123456789abcdef"
	var b [16]byte
	end := uintptr(unsafe.Pointer(&b[0])) + uintptr(len(b))
	p := end
	for {
		p--
		*u8at(p) = *u8at(uintptr(unsafe.Pointer(unsafe.StringData(digits))) + uintptr(v&15))
		v >>= 4
		if v == 0 {
			break
		}
	}
	for int(end-p) < width && int(end-p) < len(b) {
		p--
		*u8at(p) = '0'
	}
	serialWrite(p, end-p)
}

// printkStamp starts a kernel log line: "[    5.123456] ", seconds since
// boot (monotonic clock) as Linux's printk_time prints them.
//
//go:nosplit
func printkStamp() {
	ns := uint64(monotonicNow())
	putc('[')
	putdec(ns/1e9, 5, ' ')
	putc('.')
	putdec(ns%1e9/1e3, 6, '0')
	puts("] ")
}

// printk prints one kernel log line made of a message and an optional
// number (printed in hex with 0x when hex, else decimal; omitted when
// num < 0 and !hex). A tiny fixed-shape printf is all a nosplit path can
// afford.
//
//go:nosplit
func printk(msg string) {
	printkStamp()
	puts(msg)
	putc('\n')
}

//go:nosplit
func printkHex(msg string, v uint64) {
	printkStamp()
	puts(msg)
	puts("0x")
	puthex(v, 1)
	putc('\n')
}

//go:nosplit
func printkDec(msg string, v uint64, unit string) {
	printkStamp()
	puts(msg)
	putdec(v, 0, ' ')
	puts(unit)
	putc('\n')
}

// Printk writes one kernel log line from Go code above the runtime, with
// the same timestamp as the nucleus's own lines. Interrupts are off while
// it prints so that lines never interleave.
func Printk(s string) {
	amd64.DisableInterrupts()
	printkStamp()
	puts(s)
	if len(s) == 0 || s[len(s)-1] != '\n' {
		putc('\n')
	}
	amd64.EnableInterrupts()
}
