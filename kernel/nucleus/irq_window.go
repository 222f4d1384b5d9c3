package nucleus

// Interrupts around ring 3: on, but held back while the CPU's user context
// is in flux.
//
// Linux masks interrupts on SYSCALL (SFMASK) and turns them back on in C
// once pt_regs is built. Ringo's exit would have to do the same with STI
// just before the goroutine resumes, and under QEMU's TCG an STI ends
// the translated block and returns to QEMU's main loop, which must look
// for a pending interrupt: 25-45 ns of every system call (measured,
// getpid both ABIs), as much as fifty ordinary instructions. So SYSCALL
// leaves IF as it is (sfmask, descriptors.go) and INT $0x80 is a trap
// gate: the exits run with interrupts on, and no STI is needed. On the
// way in, SwitchToUser's CLI was a call and return into assembly, two
// lookups of QEMU's jump cache; enterUser now turns interrupts off
// itself, after SwitchToUser has prepared the entry with them on.
//
// Interrupts on is not "any interrupt may do anything". While SwitchToUser
// plans an entry and until an exit has saved the user's state, the cur*
// variables (user.go) describe the one user context the CPU is entering
// or leaving, and during the exit RSP is the user's stack and FS the
// user's base. An interrupt that switched threads there would let another
// thread enter ring 3 through the same variables. So an interrupt that
// arrives in this window is deferred, the way PowerPC Linux soft-masks
// interrupts (arch/powerpc/kernel/irq_64.c, replay_soft_interrupts):
//
//   - trapCommon (trap_amd64.s) sees ring 0, an interrupt vector, and the
//     window: it notes the vector in deferredIRQ, clears IF in the frame
//     it interrupted and returns at once, before any Go code. The code it
//     interrupted goes on with interrupts off; nothing else can arrive.
//   - Where an exit ends, on the goroutine's stack with Go's TLS back,
//     it leaves the window and tests deferredIRQ: when set it calls
//     replayIRQ, INT $vecIRQReplay, whose stub (irqReplay) hands the
//     deferred vector to trapCommon as if it had just arrived, then STI.
//     The interrupt waited a few dozen instructions; the PIC is
//     acknowledged then.
//   - On the way in, enterUser turns interrupts off and leaves the window;
//     if one arrived while SwitchToUser prepared, it does not enter.
//     SwitchToUser undoes what it assumed of the CPU (forgetEntry),
//     replays the interrupt, which may run other threads, and prepares
//     again.
//   - The runtime's own SYSCALL shares the first instructions of
//     syscallEntry (it also arrives with interrupts on): its path turns
//     them off with CLI and leaves the window, and trap() services a
//     vector deferred meanwhile before the call itself.
//
// The window is "userWindow != 0", set by SwitchToUser before it
// prepares an entry and by the first instruction of each entry from ring
// 3 (syscallEntry, syscall32Entry, int80Entry), or RIP at one of those
// first instructions, where the flag is not set yet.
//
// Exceptions are never deferred: the one the window may raise on purpose
// (compatStackLoad's #PF) has its own fix-up (trap.go), and any other is
// a nucleus bug (inNucleus).
//
// Runs beneath the runtime: //go:nosplit, no allocation.

import "github.com/ringo-os/ringo/arch/amd64"

var (
	// userWindow is non-zero from SwitchToUser's preparation until
	// enterUser turns interrupts off, and from an entry's first
	// instruction until the exit is back on the goroutine's stack.
	userWindow uint8
	// deferredIRQ is the vector that arrived in the window, or 0 (vector
	// 0 is #DE, an exception, never deferred).
	deferredIRQ uint64
	// int80EntryAddr is the address of int80Entry, for trapCommon's
	// window test (syscallEntryAddr and syscall32EntryAddr are in
	// descriptors.go).
	int80EntryAddr uintptr
	// How many interrupts the window held back, and how many of those
	// were replayed: equal whenever no exit is under way. entriesRetried
	// counts entries that enterUser gave up for one.
	irqsDeferred, irqsReplayed, entriesRetried uint64
)

// vecIRQReplay is the vector whose stub replays deferredIRQ: DPL 0, so
// only the nucleus can raise it (ring 3 gets #GP, then SIGSEGV).
const vecIRQReplay = 0x81

// serviceDeferredIRQ services an interrupt held back in the window by a
// path that reached trap() without replaying it (the runtime's SYSCALL,
// a ring-0 INT $0x80).
//
//go:nosplit
func serviceDeferredIRQ() {
	if v := deferredIRQ; v != 0 {
		deferredIRQ = 0
		irqsReplayed++
		interrupt(v)
	}
}

// WindowIRQs returns how many interrupts arrived in the window and how
// many of them have been replayed since boot, and how many entries into
// ring 3 were given up for one.
func WindowIRQs() (deferred, replayed, retried uint64) {
	return irqsDeferred, irqsReplayed, entriesRetried
}

// HoldBackIRQ makes the next entry into ring 3 find vector v deferred, as
// if it had arrived while SwitchToUser prepared the entry: the self-tests
// use it to take enterUser's way out (forgetEntry, replayIRQ), which a
// real interrupt takes only by chance. A vector that is no IRQ line is
// serviced as nothing (interrupt ignores it).
func HoldBackIRQ(v uint8) {
	amd64.DisableInterrupts()
	deferredIRQ = uint64(v)
	irqsDeferred++
	amd64.EnableInterrupts()
}
