package bench

// The Linux side of the comparison is Debian's stock kernel, the one a
// student's Debian machine runs: the linux-image-amd64 metapackage names
// the real image package in its Depends, apt-get download fetches both
// (no installation into the host), and dpkg -x unpacks the image into
// build/linux/. The result is cached; delete build/linux to refetch.

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// LinuxMetaPackage is the Debian package that always depends on the
// current stock amd64 kernel image.
const LinuxMetaPackage = "linux-image-amd64"

// imagePackage matches Debian's versioned image packages:
// linux-image-6.1.0-56-amd64 (also -unsigned variants).
var imagePackage = regexp.MustCompile(`^linux-image-[0-9][0-9a-z.+~-]*-amd64(-unsigned)?$`)

// ImagePackageFromDepends extracts the kernel image package from the
// metapackage's Depends field, e.g. "linux-image-6.1.0-56-amd64 (= 6.1.192-2)".
// Anything that is not a single versioned linux-image package is refused:
// the name ends up on an apt-get command line.
func ImagePackageFromDepends(depends string) (string, error) {
	for _, alt := range strings.Split(depends, ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(alt), " ")
		name, _, _ = strings.Cut(name, "|")
		name = strings.TrimSpace(name)
		if imagePackage.MatchString(name) {
			return name, nil
		}
	}
	return "", fmt.Errorf("bench: no linux-image package in Depends %q", depends)
}

// LinuxKernel is a cached, unpacked Debian kernel.
type LinuxKernel struct {
	Package string // linux-image-6.1.0-56-amd64
	Vmlinuz string // absolute path of the bzImage QEMU boots
}

// FetchDebianKernel returns the kernel cached in dir, fetching and
// unpacking it first if dir has none. It needs apt-get and dpkg (any Debian
// host) and network access to a Debian mirror for the first run only.
func FetchDebianKernel(dir string, log io.Writer) (LinuxKernel, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return LinuxKernel{}, err
	}
	if k, err := cachedKernel(dir); err == nil {
		return k, nil
	}
	dl := filepath.Join(dir, "download")
	if err := os.MkdirAll(dl, 0o755); err != nil {
		return LinuxKernel{}, err
	}
	fmt.Fprintf(log, "bench: fetching Debian's %s into %s\n", LinuxMetaPackage, dir)
	meta, err := aptDownload(dl, LinuxMetaPackage, log)
	if err != nil {
		return LinuxKernel{}, err
	}
	out, err := exec.Command("dpkg-deb", "-f", meta, "Depends").Output()
	if err != nil {
		return LinuxKernel{}, fmt.Errorf("bench: dpkg-deb -f %s Depends: %w", meta, err)
	}
	pkg, err := ImagePackageFromDepends(string(out))
	if err != nil {
		return LinuxKernel{}, err
	}
	deb, err := aptDownload(dl, pkg, log)
	if err != nil {
		return LinuxKernel{}, err
	}
	root := filepath.Join(dir, "root")
	os.RemoveAll(root)
	if err := run(log, "", "dpkg", "-x", deb, root); err != nil {
		return LinuxKernel{}, err
	}
	// The benchmark initramfs loads no modules; drop them (~400 MB).
	for _, m := range []string{"lib/modules", "usr/lib/modules"} {
		os.RemoveAll(filepath.Join(root, m))
	}
	os.RemoveAll(dl)
	if err := os.WriteFile(filepath.Join(dir, "PACKAGE"), []byte(pkg+"\n"), 0o644); err != nil {
		return LinuxKernel{}, err
	}
	return cachedKernel(dir)
}

// cachedKernel finds the unpacked image named by dir/PACKAGE.
func cachedKernel(dir string) (LinuxKernel, error) {
	b, err := os.ReadFile(filepath.Join(dir, "PACKAGE"))
	if err != nil {
		return LinuxKernel{}, err
	}
	pkg := strings.TrimSpace(string(b))
	if !imagePackage.MatchString(pkg) {
		return LinuxKernel{}, fmt.Errorf("bench: %s/PACKAGE holds %q", dir, pkg)
	}
	release := strings.TrimPrefix(strings.TrimSuffix(pkg, "-unsigned"), "linux-image-")
	vmlinuz := filepath.Join(dir, "root", "boot", "vmlinuz-"+release)
	if _, err := os.Stat(vmlinuz); err != nil {
		return LinuxKernel{}, err
	}
	return LinuxKernel{Package: pkg, Vmlinuz: vmlinuz}, nil
}

// aptDownload fetches one package's .deb into dir and returns its path.
func aptDownload(dir, pkg string, log io.Writer) (string, error) {
	if err := run(log, dir, "apt-get", "download", pkg); err != nil {
		return "", err
	}
	debs, _ := filepath.Glob(filepath.Join(dir, pkg+"_*.deb"))
	if len(debs) != 1 {
		return "", fmt.Errorf("bench: apt-get download %s left %d .deb files in %s", pkg, len(debs), dir)
	}
	return debs[0], nil
}

// run runs a command, showing its output only if it fails.
func run(log io.Writer, dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		log.Write(out.Bytes())
		return fmt.Errorf("bench: %s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}
