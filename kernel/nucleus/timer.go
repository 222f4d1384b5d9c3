package nucleus

// Time: the 8259 PIC and the 8254 PIT's 1 kHz tick (the preemption and
// sleep clock), the TSC calibrated against PIT channel 2 (the clock behind
// CLOCK_MONOTONIC), and the CMOS RTC read once at boot (CLOCK_REALTIME).
// Mirrors arch/x86/kernel/i8259.c, i8253.c and tsc.c:pit_calibrate_tsc.
//
// Runs beneath the runtime and on the timer interrupt: //go:nosplit, no
// allocation.

import (
	"math/bits"

	"github.com/ringo-os/ringo/arch/amd64"
)

const (
	pitHz      = 1193182
	tickHz     = 1000
	vecTimer   = 32 // IRQ0 after remapping
	vecIRQBase = 32
)

// clockState is a named type so that vdso_amd64.s can name its fields.
type clockState struct {
	tsc0    uint64 // TSC at boot
	tscHz   uint64
	mult    uint64 // ns = (tsc-tsc0) * mult >> 32
	rtcBoot int64  // Unix time (ns) at tsc0
	ticks   uint64
}

var clock clockState

// setupPIC remaps the two 8259s to vectors 32-47 (the BIOS leaves them on
// the exception vectors) and masks everything but IRQ0, the PIT.
//
//go:nosplit
func setupPIC() {
	amd64.Outb(0x20, 0x11) // ICW1: init, ICW4 follows
	amd64.Outb(0xa0, 0x11)
	amd64.Outb(0x21, vecIRQBase) // ICW2: vector base
	amd64.Outb(0xa1, vecIRQBase+8)
	amd64.Outb(0x21, 0x04) // ICW3: slave on IRQ2
	amd64.Outb(0xa1, 0x02)
	amd64.Outb(0x21, 0x01) // ICW4: 8086 mode
	amd64.Outb(0xa1, 0x01)
	amd64.Outb(0x21, 0xfe) // only IRQ0
	amd64.Outb(0xa1, 0xff)
}

// picEOI acknowledges an IRQ so the PIC delivers the next one.
//
//go:nosplit
func picEOI(irq uint64) {
	if irq >= 8 {
		amd64.Outb(0xa0, 0x20)
	}
	amd64.Outb(0x20, 0x20)
}

// unmaskIRQ lets one more PIC line through (for drivers' IRQ eventfds).
//
//go:nosplit
func unmaskIRQ(irq uint64) {
	if irq < 8 {
		amd64.Outb(0x21, amd64.Inb(0x21)&^(1<<irq))
	} else {
		amd64.Outb(0xa1, amd64.Inb(0xa1)&^(1<<(irq-8)))
		amd64.Outb(0x21, amd64.Inb(0x21)&^(1<<2))
	}
}

// setupPIT starts channel 0 as a rate generator at tickHz.
//
//go:nosplit
func setupPIT() {
	div := uint16(pitHz / tickHz)
	amd64.Outb(0x43, 0x34) // channel 0, lo/hi byte, mode 2
	amd64.Outb(0x40, uint8(div))
	amd64.Outb(0x40, uint8(div>>8))
}

// calibrateTSC counts TSC cycles over a countdown of PIT channel 2, as
// Linux's pit_calibrate_tsc does, and derives the ns multiplier.
//
// Every disturbance makes a measured window longer, never shorter: the
// first TSC reading comes before the write that starts the countdown and
// the second after the poll that sees it end, so a host that stalls
// QEMU's vCPU in between only adds cycles. So the shortest of a few
// windows is the best. One long window was not enough: under QEMU it
// sometimes took 16.8 ms for a 10 ms count, which read a 2.1 GHz TSC as
// 3.5 GHz and made every clock of that boot run 40 % slow. Each window is
// 1.5 ms, since calibration is part of boot time; the PIT's 838 ns tick
// and a polling step of about a microsecond are still under 0.1 % of it.
//
//go:nosplit
func calibrateTSC() {
	const (
		windows = 3
		latch   = pitHz / 640 // about 1.5 ms
	)
	amd64.Outb(0x61, amd64.Inb(0x61)&^0x02|0x01) // gate on, speaker off
	best := ^uint64(0)
	for i := 0; i < windows; i++ {
		amd64.Outb(0x43, 0xb0) // channel 2, lo/hi, mode 0: OUT low until the count ends
		amd64.Outb(0x42, uint8(latch&0xff))
		t0 := amd64.Rdtsc()
		amd64.Outb(0x42, uint8(latch>>8)) // the count starts
		for amd64.Inb(0x61)&0x20 == 0 {
		}
		best = min(best, amd64.Rdtsc()-t0)
	}
	clock.tscHz = best * pitHz / latch
	if clock.tscHz == 0 {
		clock.tscHz = 1e9
	}
	clock.mult = (1e9 << 32) / clock.tscHz
}

// monotonicNow is CLOCK_MONOTONIC in ns since boot.
//
//go:nosplit
func monotonicNow() int64 { return tscToNanos(amd64.Rdtsc()) }

// tscToNanos turns a TSC reading into CLOCK_MONOTONIC ns (0 before the
// clock is calibrated).
//
//go:nosplit
func tscToNanos(tsc uint64) int64 {
	if clock.mult == 0 {
		return 0
	}
	hi, lo := bits.Mul64(tsc-clock.tsc0, clock.mult)
	return int64(hi<<32 | lo>>32)
}

// realtimeNow is CLOCK_REALTIME in ns since the Unix epoch.
//
//go:nosplit
func realtimeNow() int64 { return clock.rtcBoot + monotonicNow() }

//go:nosplit
func cmosRead(reg uint8) uint8 {
	amd64.Outb(0x70, reg)
	return amd64.Inb(0x71)
}

// readRTC returns the CMOS clock as Unix seconds (arch/x86/kernel/rtc.c).
//
//go:nosplit
func readRTC() int64 {
	for cmosRead(0x0a)&0x80 != 0 { // update in progress
	}
	sec, min, hour := cmosRead(0), cmosRead(2), cmosRead(4)
	day, mon, year := cmosRead(7), cmosRead(8), cmosRead(9)
	if cmosRead(0x0b)&0x04 == 0 { // BCD
		sec, min, day, mon, year = bcd(sec), bcd(min), bcd(day), bcd(mon), bcd(year)
		hour = bcd(hour&0x7f) | hour&0x80
	}
	if cmosRead(0x0b)&0x02 == 0 && hour&0x80 != 0 { // 12-hour clock, PM
		hour = (hour&0x7f)%12 + 12
	}
	y := int64(year) + 2000
	return daysFromCivil(y, int64(mon), int64(day))*86400 + int64(hour)*3600 + int64(min)*60 + int64(sec)
}

// daysFromCivil: days since 1970-01-01 of a Gregorian date (H. Hinnant's
// algorithm).
//
//go:nosplit
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

//go:nosplit
func setupClocks() {
	clock.tsc0 = amd64.Rdtsc()
	calibrateTSC()
	clock.tsc0 = amd64.Rdtsc()
	clock.rtcBoot = readRTC() * 1e9
	setupVirtualWire() // lapic.go: the PIC's line through the local APIC
	setupPIC()
	setupPIT()
}

//go:nosplit
func bcd(v uint8) uint8 { return v&15 + v>>4*10 }

// Monotonic is CLOCK_MONOTONIC in ns, for Go code above the runtime that
// wants the TSC clock without a system call.
func Monotonic() int64 { return monotonicNow() }

// Ticks returns how many timer interrupts (1 kHz) the nucleus has
// serviced since boot.
func Ticks() uint64 { return clock.ticks }

// ClockParams returns what CLOCK_MONOTONIC is made of: the TSC at its
// zero and the multiplier (ns = (TSC - tsc0) * mult >> 32), for the vDSO.
func ClockParams() (tsc0, mult uint64) { return clock.tsc0, clock.mult }
