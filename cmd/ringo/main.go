// Command ringo is Ringo's host tool: it builds the kernel image, boots it
// under QEMU and runs its suites, and attaches gdb.
//
//	ringo build                  build (or reuse) the bootable image, print its path
//	ringo qemu [-- QEMU ARGS]    boot, run the in-kernel suite, exit with its status
//	ringo run [--file H[:G]]... [--klog F] ELF [ARG...]  run a program as the first process
//	ringo crashtest              boot with ringo.crash=nucleus and check the oops
//	ringo gdb                    boot paused under QEMU's gdbstub, print the gdb command
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	status := 0
	switch os.Args[1] {
	case "build":
		var img string
		img, err = buildKernel(os.Stderr)
		if err == nil {
			fmt.Println(img)
		}
	case "qemu":
		status, err = cmdQEMU(os.Args[2:])
	case "run":
		status, err = cmdRun(os.Args[2:])
	case "crashtest":
		status, err = cmdCrashTest(os.Args[2:])
	case "gdb":
		err = cmdGDB(os.Args[2:])
	case "bench":
		status, err = cmdBench(os.Args[2:])
	case "profile":
		status, err = cmdProfile(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ringo:", err)
		os.Exit(2)
	}
	os.Exit(status)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: ringo build | qemu [-m MEM] [-cpu MODEL] [-bios FW] [-append CMDLINE] [-user=false] [-- QEMU ARGS] | run [--file H[:G]]... [--klog F] [--strace] ELF [ARG...] | bench [--vs-linux] | profile [--marker FUNC] ELF [ARG...] | crashtest | gdb")
	os.Exit(2)
}

func machineFlags(name string, args []string, more ...func(*flag.FlagSet)) (Machine, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	for _, f := range more {
		f(fs)
	}
	m := Machine{}
	fs.StringVar(&m.Memory, "m", "256M", "guest RAM (QEMU -m)")
	fs.StringVar(&m.CPU, "cpu", DefaultCPU, "CPU model (QEMU -cpu)")
	fs.StringVar(&m.Cmdline, "append", "", "kernel command line")
	fs.StringVar(&m.Initrd, "initrd", "", "initrd (cpio newc)")
	fs.StringVar(&m.BIOS, "bios", "", "firmware image (QEMU -bios; default SeaBIOS)")
	fs.DurationVar(&m.Timeout, "timeout", 10*time.Minute, "kill QEMU and fail after this long (0: never)")
	if err := fs.Parse(args); err != nil {
		return m, err
	}
	m.Extra = fs.Args()
	return m, nil
}

func cmdQEMU(args []string) (int, error) {
	user := true
	m, err := machineFlags("qemu", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&user, "user", true, "also run the user suite (the programs in build/user)")
	})
	if err != nil {
		return 2, err
	}
	img, err := buildKernel(os.Stderr)
	if err != nil {
		return 2, err
	}
	if m.Initrd == "" && user {
		// The user suite: every program built under build/user goes to
		// /tests in the initramfs (make qemu builds them first).
		initrd, cleanup, err := userSuiteInitrd()
		if err != nil {
			return 2, err
		}
		defer cleanup()
		m.Initrd = initrd
	}
	return runQEMU(img, m, os.Stdout)
}

// userSuiteInitrd packs build/user/* into /tests, or returns "" when
// nothing is built.
func userSuiteInitrd() (string, func(), error) {
	root, err := repoRoot()
	if err != nil {
		return "", nil, err
	}
	dir := filepath.Join(root, "build", "user")
	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) == 0 {
		fmt.Fprintln(os.Stderr, "ringo: no user programs in build/user (make -C user OUT=../build/user): running the in-kernel suite only")
		return "", func() {}, nil
	}
	var files []initramfsFile
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		f, err := hostFile(filepath.Join(dir, e.Name()) + ":/tests/" + e.Name())
		if err != nil {
			return "", nil, err
		}
		files = append(files, f)
	}
	img, err := packInitramfs(files)
	if err != nil {
		return "", nil, err
	}
	tmp, err := os.CreateTemp("", "ringo-suite-*.cpio")
	if err != nil {
		return "", nil, err
	}
	tmp.Write(img)
	tmp.Close()
	return tmp.Name(), func() { os.Remove(tmp.Name()) }, nil
}
