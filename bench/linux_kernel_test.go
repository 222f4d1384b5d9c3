package bench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestImagePackageFromDepends(t *testing.T) {
	good := map[string]string{
		"linux-image-6.1.0-56-amd64 (= 6.1.192-2)":                       "linux-image-6.1.0-56-amd64",
		"linux-image-6.12.38+deb13-amd64 (= 6.12.38-1)":                  "linux-image-6.12.38+deb13-amd64",
		"linux-image-6.1.0-56-amd64-unsigned (= 6.1.192-2)":              "linux-image-6.1.0-56-amd64-unsigned",
		"initramfs-tools, linux-image-6.1.0-56-amd64 (= 6.1.192-2)":      "linux-image-6.1.0-56-amd64",
		"  linux-image-6.1.0-56-amd64\n":                                 "linux-image-6.1.0-56-amd64",
		"linux-image-6.1.0-56-amd64 | linux-image-6.1.0-55-amd64 (>= 1)": "linux-image-6.1.0-56-amd64",
	}
	for in, want := range good {
		got, err := ImagePackageFromDepends(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	bad := []string{
		"",
		"linux-image-amd64",
		"linux-headers-6.1.0-56-amd64 (= 6.1.192-2)",
		"linux-image-6.1.0-56-arm64 (= 1)",
		"linux-image-../../etc/passwd-amd64",
		"linux-image-6.1;rm -rf /-amd64",
		"-olinux-image-6.1.0-56-amd64",
	}
	for _, in := range bad {
		_, err := ImagePackageFromDepends(in)
		require.Error(t, err, "%q", in)
	}
}

func TestCachedKernelFindsTheImageNamedByPACKAGE(t *testing.T) {
	dir := t.TempDir()
	_, err := cachedKernel(dir)
	require.Error(t, err, "empty cache")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "PACKAGE"), []byte("linux-image-6.1.0-56-amd64\n"), 0o644))
	_, err = cachedKernel(dir)
	require.Error(t, err, "PACKAGE without the unpacked image")

	boot := filepath.Join(dir, "root", "boot")
	require.NoError(t, os.MkdirAll(boot, 0o755))
	img := filepath.Join(boot, "vmlinuz-6.1.0-56-amd64")
	require.NoError(t, os.WriteFile(img, []byte("bzImage"), 0o644))
	k, err := cachedKernel(dir)
	require.NoError(t, err)
	require.Equal(t, LinuxKernel{Package: "linux-image-6.1.0-56-amd64", Vmlinuz: img}, k)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "PACKAGE"), []byte("../../../bin/sh\n"), 0o644))
	_, err = cachedKernel(dir)
	require.Error(t, err, "a tampered PACKAGE is refused")
}
