package bench

import (
	"bytes"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGCCArgsPerABI(t *testing.T) {
	a, err := gccArgs(ABI64, "b.c", "out")
	require.NoError(t, err)
	require.Equal(t, []string{"-static", "-O2", "-Wall", "-Wl,-e,bench_entry", "-o", "out", "b.c"}, a)
	a, err = gccArgs(ABI32, "b.c", "out")
	require.NoError(t, err)
	require.Equal(t, "-m32", a[0])
	for _, abi := range []string{"", "x32", "amd64", "i386 ", "arm64"} {
		_, err := gccArgs(abi, "b.c", "out")
		require.Error(t, err, "%q", abi)
	}
}

// TestBenchProgramRunsOnTheHostKernel builds bench.c and runs it on the
// host (a Linux kernel, not PID 1, so it neither mounts nor powers off):
// every path must be measured or n/a, and the run must finish.
func TestBenchProgramRunsOnTheHostKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole benchmark (a few seconds)")
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("needs an x86_64 Linux host")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("needs gcc")
	}
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	dir := t.TempDir()
	_, err = BuildBenchProgram(root, dir, ABI64, io.Discard)
	require.NoError(t, err)
	out, err := exec.Command(filepath.Join(dir, "bench-"+ABI64)).Output()
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(out, []byte("BENCH entry\n")), "bench_entry writes first")
	runs, err := Parse(bytes.NewReader(out))
	require.NoError(t, err)
	require.Len(t, runs, 1)
	require.NoError(t, checkRuns(runs, []string{ABI64}))
	want := []string{BootToUser, BootToMain, "getpid", "ioctl_fionread_pipe", "ioctl_enotty", "eventfd_close",
		"fdtest_ioctl_create", "fdtest_ioctl_query", "pipe_rw_1byte", "mmap_munmap_4k",
		"anon_fault", "lkmc_mmap_fault", "clock_gettime", "clock_gettime_raw"}
	var names []string
	for _, m := range runs[0].Measurements {
		names = append(names, m.Name)
		require.NotEqual(t, Failed, m.Status, "%s: %s", m.Name, m.Reason)
		if m.Status == OK {
			require.Greater(t, m.NS, 0.0, m.Name)
		}
	}
	require.Equal(t, want, names)
	user, _ := runs[0].Lookup(BootToUser)
	main, _ := runs[0].Lookup(BootToMain)
	require.Less(t, user.NS, main.NS, "the entry point runs before main")
}
