package fs

import (
	"fmt"
	"strings"
	"sync"
)

// This file is the kernel log: printk and the pr_* helpers drivers call.
// Linux keeps a ring buffer (kernel/printk/printk_ringbuffer.c) that consoles
// drain; Ringo keeps one too, and lets the kernel plug a console sink in.

// LogLevel is a printk level (include/linux/kern_levels.h): 0 KERN_EMERG ..
// 7 KERN_DEBUG.
type LogLevel int

const (
	KernEmerg LogLevel = iota
	KernAlert
	KernCrit
	KernErr
	KernWarning
	KernNotice
	KernInfo
	KernDebug
)

// LogRecord is one printk message.
type LogRecord struct {
	Level LogLevel
	Text  string
}

// klogCapacity is how many records the ring keeps before overwriting the
// oldest, as the Linux ring buffer does.
const klogCapacity = 1024

// Klog is a kernel log ring. The zero value is usable: it collects records
// and has no sink. Each VFS owns one, so tests get a fresh log.
type Klog struct {
	mu    sync.Mutex
	ring  []LogRecord
	next  int // index of the slot the next record goes to once the ring is full
	total int
	sink  func(LogRecord)
}

// SetSink directs every future record to fn as well as the ring (the
// kernel points it at the console). nil removes the sink.
func (l *Klog) SetSink(fn func(LogRecord)) {
	l.mu.Lock()
	l.sink = fn
	l.mu.Unlock()
}

// Printk mirrors kernel/printk/printk.c:printk with an explicit level.
// A trailing newline is dropped: a record is one line, as in dmesg.
func (l *Klog) Printk(level LogLevel, format string, args ...any) {
	rec := LogRecord{Level: level, Text: strings.TrimSuffix(fmt.Sprintf(format, args...), "\n")}
	l.mu.Lock()
	if len(l.ring) < klogCapacity {
		l.ring = append(l.ring, rec)
	} else {
		l.ring[l.next] = rec
		l.next = (l.next + 1) % klogCapacity
	}
	l.total++
	sink := l.sink
	l.mu.Unlock()
	if sink != nil {
		sink(rec)
	}
}

// PrInfo, PrWarn and PrErr mirror pr_info, pr_warn and pr_err.
func (l *Klog) PrInfo(format string, args ...any) { l.Printk(KernInfo, format, args...) }
func (l *Klog) PrWarn(format string, args ...any) { l.Printk(KernWarning, format, args...) }
func (l *Klog) PrErr(format string, args ...any)  { l.Printk(KernErr, format, args...) }

// Records returns the records still in the ring, oldest first (dmesg).
func (l *Klog) Records() []LogRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]LogRecord, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	return append(out, l.ring[:l.next]...)
}

// Reset empties the ring (a test's fresh start, or dmesg -C).
func (l *Klog) Reset() {
	l.mu.Lock()
	l.ring, l.next, l.total = nil, 0, 0
	l.mu.Unlock()
}
