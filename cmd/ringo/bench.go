package main

// ringo bench: boot the benchmark program (user/bench/bench.c) as /init of
// an initramfs on Ringo and, with --vs-linux, on Debian's stock Linux
// kernel, on the same QEMU machine (Machine.args), several times each, and
// report the comparison as a table on stdout plus CSV, SVG and text under
// bench/results/. Package bench does the parsing, statistics and output;
// this file owns only what needs QEMU. See bench/README.md.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/ringo-os/ringo/bench"
)

// linuxCmdline is the Linux side's command line: the console on COM1 as
// Ringo's, quiet so that kernel messages do not slow the serial console,
// and panic=-1 so that a kernel that cannot run init ends QEMU (-no-reboot)
// instead of hanging until the timeout.
const linuxCmdline = "console=ttyS0 quiet panic=-1"

// poweroffGrace is how long a guest may take to power off after its last
// "BENCH done" before QEMU is stopped; the results are complete by then.
const poweroffGrace = 20 * time.Second

// benchBoot boots one kernel with the benchmark initramfs and returns the
// parsed console; log is where the raw console is kept.
type benchBoot func(initrd string, m Machine, abis []string, timeout time.Duration, log string) ([]bench.Run, error)

// runRingoBench is the Ringo side.
var runRingoBench benchBoot = bootRingoBench

// bootRingoBench boots the current Ringo image with the benchmark
// initramfs: /init runs as the first process, its output on COM1.
func bootRingoBench(initrd string, m Machine, abis []string, timeout time.Duration, log string) ([]bench.Run, error) {
	img, err := buildKernel(os.Stderr)
	if err != nil {
		return nil, err
	}
	m.Initrd = initrd
	// quiet, as on the Linux side: KERN_INFO lines (the seed drivers log
	// every ioctl) stay off the slow serial console.
	m.Cmdline = strings.TrimSpace(m.Cmdline + " ringo.run ringo.console=ttyS0 quiet")
	return bootBench(img, m, abis, timeout, log)
}

type benchOptions struct {
	vsLinux bool
	boots   int
	abis    []string
	memory  string
	bios    string
	timeout time.Duration
	out     string
}

// defaultBenchBIOS is the firmware both kernels boot through: qboot, QEMU's
// minimal firmware (Debian's qemu-system-data ships it), which hands over
// to the kernel in a few milliseconds where SeaBIOS takes about 60 ms of
// the "QEMU start to first user instruction" time under TCG. The kernels
// are what the table compares; the firmware is the same fixed cost on
// both sides, and --bios "" measures with SeaBIOS instead.
const defaultBenchBIOS = "/usr/share/qemu/qboot.rom"

func parseBenchFlags(args []string) (benchOptions, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	o := benchOptions{}
	fs.BoolVar(&o.vsLinux, "vs-linux", false, "also boot Debian's stock Linux kernel and compare")
	fs.IntVar(&o.boots, "boots", 3, "boots per kernel")
	abi := fs.String("abi", bench.ABI64+","+bench.ABI32, "ABIs to run: x86_64 or x86_64,i386")
	fs.StringVar(&o.memory, "m", "256M", "guest RAM (QEMU -m), the same for both kernels")
	fs.StringVar(&o.bios, "bios", defaultBenchBIOS, "firmware for both kernels (QEMU -bios; \"\" for QEMU's default, SeaBIOS)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "limit for one boot")
	fs.StringVar(&o.out, "out", "", "results directory (default bench/results in the repository)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() != 0 {
		return o, fmt.Errorf("bench: unexpected arguments %q", fs.Args())
	}
	if o.boots < 1 || o.boots > 100 {
		return o, fmt.Errorf("bench: --boots %d: want 1..100", o.boots)
	}
	if o.timeout <= 0 {
		return o, fmt.Errorf("bench: --timeout must be positive")
	}
	if o.bios != "" {
		if _, err := os.Stat(o.bios); err != nil {
			return o, fmt.Errorf("bench: firmware %s: %w (Debian: apt-get install qemu-system-data; --bios \"\" boots SeaBIOS)", o.bios, err)
		}
	}
	switch *abi {
	case bench.ABI64:
		o.abis = []string{bench.ABI64}
	case bench.ABI64 + "," + bench.ABI32:
		o.abis = []string{bench.ABI64, bench.ABI32}
	default:
		return o, fmt.Errorf("bench: --abi %q: want %s or %s,%s (/init is the x86_64 build)", *abi, bench.ABI64, bench.ABI64, bench.ABI32)
	}
	return o, nil
}

// cmdBench returns 0 when every side finished every boot, 1 when a side
// failed (the table still shows what did run), 2 on a setup error.
func cmdBench(args []string) (int, error) {
	o, err := parseBenchFlags(args)
	if err != nil {
		return 2, err
	}
	root, err := repoRoot()
	if err != nil {
		return 2, err
	}
	work := filepath.Join(root, "build", "bench")
	if o.out == "" {
		o.out = filepath.Join(root, "bench", "results")
	}
	initrd, err := makeBenchInitramfs(root, work, o.abis)
	if err != nil {
		return 2, err
	}
	m := Machine{Memory: o.memory, BIOS: o.bios}
	fmt.Fprintf(os.Stderr, "bench: both kernels boot qemu-system-x86_64 %s\n", strings.Join(m.args("KERNEL"), " "))

	sides := []bench.Side{{Name: "Ringo", Boot: sideBoot(runRingoBench, "ringo", m, o, work)}}
	if o.vsLinux {
		k, err := bench.FetchDebianKernel(filepath.Join(root, "build", "linux"), os.Stderr)
		if err != nil {
			return 2, fmt.Errorf("Linux side: %w", err)
		}
		fmt.Fprintf(os.Stderr, "bench: Linux is %s (%s)\n", k.Package, k.Vmlinuz)
		linux := func(initrd string, m Machine, abis []string, timeout time.Duration, log string) ([]bench.Run, error) {
			m.Cmdline, m.Initrd = linuxCmdline, initrd
			return bootBench(k.Vmlinuz, m, abis, timeout, log)
		}
		sides = append(sides, bench.Side{Name: "Linux", Boot: sideBoot(linux, "linux", m, o, work)})
	}

	results := bench.CollectInterleaved(sides, initrd, o.abis, o.boots, os.Stderr)
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(os.Stderr, "bench: %v\n", r.Err)
		}
	}
	table, err := bench.BuildTable(o.abis, results...)
	if err != nil {
		return 2, err
	}
	if err := bench.WriteText(os.Stdout, table); err != nil {
		return 2, err
	}
	if err := writeBenchResults(o.out, table); err != nil {
		return 2, err
	}
	fmt.Fprintf(os.Stderr, "bench: wrote %s/{results.txt,results.csv,results.svg}\n", o.out)
	if len(table.Failures) > 0 {
		return 1, nil
	}
	return 0, nil
}

// sideBoot adapts a benchBoot to bench.BootFunc, numbering console logs
// build/bench/<name>-boot<N>.log.
func sideBoot(boot benchBoot, name string, m Machine, o benchOptions, work string) bench.BootFunc {
	n := 0
	return func(initrd string) ([]bench.Run, error) {
		n++
		return boot(initrd, m, o.abis, o.timeout, filepath.Join(work, fmt.Sprintf("%s-boot%d.log", name, n)))
	}
}

// makeBenchInitramfs compiles bench.c for each ABI and packs the
// initramfs both kernels boot.
func makeBenchInitramfs(root, work string, abis []string) (string, error) {
	var bins [][]byte
	for _, abi := range abis {
		b, err := bench.BuildBenchProgram(root, work, abi, os.Stderr)
		if err != nil {
			return "", err
		}
		bins = append(bins, b)
	}
	var b32 []byte
	if len(bins) > 1 {
		b32 = bins[1]
	}
	var buf bytes.Buffer
	if err := bench.BenchInitramfs(&buf, bins[0], b32); err != nil {
		return "", err
	}
	path := filepath.Join(work, "initramfs.cpio")
	return path, os.WriteFile(path, buf.Bytes(), 0o644)
}

func writeBenchResults(dir string, t bench.Table) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, write := range map[string]func(io.Writer, bench.Table) error{
		"results.txt": bench.WriteText,
		"results.csv": bench.WriteCSV,
		"results.svg": bench.WriteSVG,
	} {
		var buf bytes.Buffer
		if err := write(&buf, t); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// bootBench runs QEMU on image with Machine m (the same arguments every
// Ringo boot uses), feeds the console to a bench.Collector with host
// timestamps and copies it to logPath. It returns when QEMU exits, when
// the guest fails to power off within poweroffGrace of its last
// "BENCH done", or at the timeout (an error).
func bootBench(image string, m Machine, abis []string, timeout time.Duration, logPath string) ([]bench.Run, error) {
	qemu, err := exec.LookPath("qemu-system-x86_64")
	if err != nil {
		return nil, fmt.Errorf("qemu-system-x86_64 not found (apt-get install qemu-system-x86): %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, qemu, m.args(image)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pr, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := bench.NewCollector(start)
	var parseErr error
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var grace *time.Timer
	for sc.Scan() {
		at := time.Now()
		line := strings.TrimRight(sc.Text(), "\r")
		fmt.Fprintln(logf, line)
		if parseErr != nil {
			continue
		}
		if parseErr = c.Line(line, at); parseErr != nil {
			cancel() // the guest's output cannot be trusted; stop it
			continue
		}
		if grace == nil && allDone(c.Runs(), abis) {
			grace = time.AfterFunc(poweroffGrace, cancel)
		}
	}
	waitErr := cmd.Wait()
	if grace != nil {
		grace.Stop()
	}
	runs := c.Runs()
	switch {
	case parseErr != nil:
		return nil, fmt.Errorf("%w (console in %s)", parseErr, logPath)
	case grace != nil:
		return runs, nil // finished; how QEMU ended does not matter
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("timed out after %v (console in %s)", timeout, logPath)
	case len(runs) == 0:
		return nil, fmt.Errorf("the kernel did not start the benchmark (%s; console in %s)%s",
			exitText(waitErr), logPath, lastLines(stderr.String()))
	}
	return runs, nil // bench.Collect reports which ABI did not finish
}

// allDone reports whether every expected ABI has run to "BENCH done".
func allDone(runs []bench.Run, abis []string) bool {
	return len(runs) >= len(abis) && runs[len(abis)-1].Done
}

func exitText(err error) string {
	if err == nil {
		return "QEMU exited with status 0"
	}
	return "QEMU: " + err.Error()
}

func lastLines(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return "\n" + strings.Join(lines, "\n")
}
