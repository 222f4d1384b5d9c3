package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeQEMU puts a qemu-system-x86_64 that runs script first in PATH.
func fakeQEMU(t *testing.T, script string) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "qemu-system-x86_64"), []byte("#!/bin/sh\n"+script+"\n"), 0o755))
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// A kernel that hangs (no timer interrupt, so no watchdog of its own)
// must not hang the test run: past Timeout, QEMU is killed and the boot
// is an error that says so.
func TestRunQEMUKillsAHungBoot(t *testing.T) {
	fakeQEMU(t, "exec sleep 30")
	start := time.Now()
	_, err := runQEMU("kernel.elf", Machine{Memory: "128M", Timeout: 200 * time.Millisecond}, io.Discard)
	require.Error(t, err)
	require.Contains(t, err.Error(), "still running after 200ms")
	require.Less(t, time.Since(start), 10*time.Second)
}

// A boot that ends in time reports the kernel's status, timeout or not.
func TestRunQEMUStatusWithinTimeout(t *testing.T) {
	fakeQEMU(t, "echo booted; exit 7") // the isa-debug-exit code of status 3
	status, err := runQEMU("kernel.elf", Machine{Memory: "128M", Timeout: time.Minute}, io.Discard)
	require.NoError(t, err)
	require.Equal(t, 3, status)
}

func TestMachineArgsFirmware(t *testing.T) {
	require.NotContains(t, Machine{Memory: "128M"}.args("k"), "-bios", "SeaBIOS is QEMU's default: no -bios")
	a := Machine{Memory: "128M", BIOS: "/usr/share/qemu/qboot.rom"}.args("k")
	i := slices.Index(a, "-bios")
	require.GreaterOrEqual(t, i, 0)
	require.Equal(t, "/usr/share/qemu/qboot.rom", a[i+1])
}

// Both kernels of make bench boot the same lean machine: no default
// devices, qboot unless --bios says otherwise.
func TestBenchMachine(t *testing.T) {
	require.Contains(t, Machine{Memory: "256M"}.args("k"), "-nodefaults")
	if _, err := os.Stat(defaultBenchBIOS); err == nil {
		o, err := parseBenchFlags(nil)
		require.NoError(t, err)
		require.Equal(t, defaultBenchBIOS, o.bios)
	}
	_, err := parseBenchFlags([]string{"--bios", "/nonexistent/qboot.rom"})
	require.ErrorContains(t, err, "qemu-system-data", "a missing firmware says which package has it")
	o, err := parseBenchFlags([]string{"--bios", ""})
	require.NoError(t, err)
	require.Equal(t, "", o.bios, "SeaBIOS on request")
}
