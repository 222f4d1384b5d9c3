package selftest

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/ringo-os/ringo/kernel/nucleus"
)

// Tests returns the runtime-hosting suite of issue 2.
func Tests() []Test {
	return []Test{
		{"goroutine ring: 128 goroutines pass a token over channels", goroutineRing},
		{"time.Sleep 1/10/100 ms", sleeps},
		{"sync.Mutex contention", mutexContention},
		{"preemption: CPU-bound goroutines, GOMAXPROCS=1", func() (string, error) { return spinners(1) }},
		{"preemption: CPU-bound goroutines, GOMAXPROCS=4 on one CPU", func() (string, error) { return spinners(4) }},
		{"map of 1e6 entries", bigMap},
		{"recovered nil dereference in a goroutine", nilDeref},
		{"GC churn of 4x guest RAM returns its frames", gcChurn},
		{"IRQ eventfd: the timer interrupt makes an fd readable", irqEventfd},
		{"clocks: CLOCK_REALTIME from the RTC, CLOCK_MONOTONIC from the TSC", clocks},
	}
}

func goroutineRing() (string, error) {
	const n, rounds = 128, 50
	chans := make([]chan int, n+1)
	for i := range chans {
		chans[i] = make(chan int)
	}
	for i := 0; i < n; i++ {
		go func(in <-chan int, out chan<- int) {
			for v := range in {
				out <- v + 1
			}
			close(out)
		}(chans[i], chans[i+1])
	}
	v := 0
	for r := 0; r < rounds; r++ {
		chans[0] <- v
		v = <-chans[n]
	}
	close(chans[0])
	if _, ok := <-chans[n]; ok {
		return "", errors.New("ring did not close")
	}
	if want := rounds * n; v != want {
		return "", fmt.Errorf("token value %d, want %d", v, want)
	}
	return fmt.Sprintf("%d hops", v), nil
}

func sleeps() (string, error) {
	var parts []string
	for _, d := range []time.Duration{time.Millisecond, 10 * time.Millisecond, 100 * time.Millisecond} {
		start := time.Now()
		time.Sleep(d)
		el := time.Since(start)
		if el < d {
			return "", fmt.Errorf("slept %v for %v", el, d)
		}
		if el > d+50*time.Millisecond {
			return "", fmt.Errorf("slept %v for %v: more than 50ms late", el, d)
		}
		parts = append(parts, fmt.Sprintf("%v: +%v", d, (el-d).Round(time.Microsecond)))
	}
	return strings.Join(parts, ", "), nil
}

func mutexContention() (string, error) {
	var mu sync.Mutex
	counter := 0
	var wg sync.WaitGroup
	const workers, iters = 16, 5000
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < iters; i++ {
				mu.Lock()
				counter++
				if i%100 == 0 {
					runtime.Gosched()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if counter != workers*iters {
		return "", fmt.Errorf("counter %d, want %d", counter, workers*iters)
	}
	return fmt.Sprintf("%d increments by %d goroutines", counter, workers), nil
}

// spinners runs 4 goroutines that loop without calling anything, so only
// preemption (the nucleus's timer switching runtime threads, and the
// runtime's own SIGURG preemption) lets them and the main goroutine share
// the CPU.
func spinners(procs int) (string, error) {
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	before := nucleus.Stats()
	var stop sync.WaitGroup
	done := make(chan uint64, 4)
	deadline := time.Now().Add(200 * time.Millisecond)
	for i := 0; i < 4; i++ {
		stop.Add(1)
		go func() {
			defer stop.Done()
			var x uint64
			for time.Now().Before(deadline) {
				for j := 0; j < 10000; j++ {
					x = x*6364136223846793005 + 1442695040888963407
				}
			}
			done <- x
		}()
	}
	// The main goroutine must get the CPU back while they spin.
	ticker := time.NewTicker(20 * time.Millisecond)
	ticks := 0
	for time.Now().Before(deadline) {
		<-ticker.C
		ticks++
	}
	ticker.Stop()
	stop.Wait()
	after := nucleus.Stats()
	// Without preemption the spinners would keep every P (and, with
	// GOMAXPROCS=4, every runtime thread) busy until the deadline and
	// the ticker would never be read while they spin.
	if ticks < 1 {
		return "", fmt.Errorf("main goroutine never woke while 4 goroutines spun for 200 ms")
	}
	if procs > 1 && after.ContextSwitches == before.ContextSwitches {
		return "", fmt.Errorf("no runtime-thread switch while %d threads were busy", procs)
	}
	return fmt.Sprintf("main woke %d times, %d runtime threads, %d thread switches", ticks, after.Threads, after.ContextSwitches-before.ContextSwitches), nil
}

func bigMap() (string, error) {
	m := make(map[int]int)
	for i := 0; i < 1_000_000; i++ {
		m[i] = i * 3
	}
	if len(m) != 1_000_000 {
		return "", fmt.Errorf("len %d", len(m))
	}
	for i := 0; i < 1_000_000; i += 9973 {
		if m[i] != i*3 {
			return "", fmt.Errorf("m[%d] = %d", i, m[i])
		}
	}
	return "1000000 entries checked", nil
}

func nilDeref() (string, error) {
	res := make(chan error)
	go func() {
		defer func() {
			r := recover()
			err, ok := r.(runtime.Error)
			if !ok {
				res <- fmt.Errorf("recovered %v, want a runtime.Error", r)
				return
			}
			if !strings.Contains(err.Error(), "nil pointer dereference") {
				res <- fmt.Errorf("recovered %q", err)
				return
			}
			res <- nil
		}()
		var p *struct{ x [64]int }
		p.x[3] = 1 // page fault at address 0x18 in kernel Go code
	}()
	if err := <-res; err != nil {
		return "", err
	}
	return "SIGSEGV became a Go panic and was recovered", nil
}

var sink [][]byte

func gcChurn() (string, error) {
	debug.FreeOSMemory()
	base := nucleus.Stats()
	var ram uint64 // all usable RAM, including the pool kept for user memory
	for _, r := range nucleus.MemoryMap() {
		if r.Type == nucleus.MemUsable {
			ram += r.Len
		}
	}
	target := 4 * ram
	const chunk = 1 << 20
	var total uint64
	live := make([][]byte, 16)
	for i := 0; total < target; i++ {
		b := make([]byte, chunk)
		b[0], b[chunk-1] = byte(i), byte(i)
		live[i%len(live)] = b
		total += chunk
	}
	for i, b := range live {
		if b == nil || b[0] != b[chunk-1] {
			return "", fmt.Errorf("live buffer %d corrupted", i)
		}
	}
	live = nil
	sink = nil
	debug.FreeOSMemory()
	after := nucleus.Stats()
	diff := int64(base.FreeFrames) - int64(after.FreeFrames)
	if diff < 0 {
		diff = -diff
	}
	pct := float64(diff) * 100 / float64(base.FreeFrames)
	if pct > 5 {
		return "", fmt.Errorf("free frames %d before, %d after (%.1f%% apart)", base.FreeFrames, after.FreeFrames, pct)
	}
	return fmt.Sprintf("allocated %d MiB with %d MiB RAM; free frames %d -> %d (%.2f%%)", total>>20, ram>>20, base.FreeFrames, after.FreeFrames, pct), nil
}

func irqEventfd() (string, error) {
	fd, err := nucleus.BindIRQ(0)
	if err != nil {
		return "", err
	}
	f := os.NewFile(uintptr(fd), "irq0")
	defer f.Close()
	f.SetReadDeadline(time.Now().Add(2 * time.Second))
	var buf [8]byte
	n, err := f.Read(buf[:])
	if err != nil {
		return "", err
	}
	if n != 8 {
		return "", errors.New("short read")
	}
	count := uint64(buf[0]) | uint64(buf[1])<<8 | uint64(buf[2])<<16 | uint64(buf[3])<<24
	if count == 0 {
		return "", errors.New("count 0")
	}
	return fmt.Sprintf("read count %d through the netpoller", count), nil
}

func clocks() (string, error) {
	now := time.Now()
	if now.Year() < 2024 {
		return "", fmt.Errorf("CLOCK_REALTIME says %v", now)
	}
	// The runtime reads the clock through the nucleus's vDSO
	// (nucleus/vdso.go): it must move with the nucleus's own TSC clock.
	n0 := nucleus.Monotonic()
	a := time.Now()
	time.Sleep(5 * time.Millisecond)
	b := time.Since(a)
	n := time.Duration(nucleus.Monotonic() - n0)
	if b < 5*time.Millisecond {
		return "", fmt.Errorf("monotonic clock advanced %v over a 5ms sleep", b)
	}
	if d := n - b; d < 0 || d > time.Millisecond {
		return "", fmt.Errorf("runtime clock advanced %v, nucleus clock %v", b, n)
	}
	return fmt.Sprintf("%s; runtime and nucleus clocks agree within %v", now.UTC().Format(time.RFC3339), (n - b).Round(time.Microsecond)), nil
}
