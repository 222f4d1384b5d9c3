package main

// ringo build: compile the kernel with the stock toolchain and make it
// bootable. The image is cached under build/ by the content of everything
// that goes into it (sources, go.mod/go.sum, the toolchain version, flags),
// so an unchanged tree boots without recompiling.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/ringo-os/ringo/boot"
	"github.com/ringo-os/ringo/kernel/nucleus"
)

const modulePath = "github.com/ringo-os/ringo"

// linkFlags places the image at KernelVirtBase + KernelPhysLoad (Linux's
// __START_KERNEL_map relation; the flag is signed, hence the negative
// number) and makes the Multiboot entry the ELF entry.
func linkFlags() string {
	addr := uint64(nucleus.KernelVirtBase + nucleus.KernelPhysLoad + 0x1000)
	text := int64(addr)
	return fmt.Sprintf("-T %d -E %s/boot.entry32", text, modulePath)
}

// gcFlags for the kernel build. None are needed: the nucleus keeps its
// trap paths free of bounds checks by construction, and the linker checks
// their nosplit stack budget.
var gcFlags []string

// repoRoot finds the module root from the working directory.
func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run ringo inside the Ringo module")
	}
	return filepath.Dir(mod), nil
}

// contentKey hashes every input of the kernel build.
func contentKey(root string) (string, error) {
	h := sha256.New()
	fmt.Fprintln(h, runtime.Version(), linkFlags(), strings.Join(gcFlags, " "))
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && (name == ".git" || name == "build" || name == "user" || name == "cmd" && p != filepath.Join(root, "cmd")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, ".s") || strings.HasSuffix(name, ".h") || name == "go.mod" || name == "go.sum" || name == "default.pgo") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(root, f)
		fmt.Fprintf(h, "%s %d\n", rel, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// buildKernel returns the path of the bootable image, building it if the
// cache has no image for the current content.
func buildKernel(stderr io.Writer) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	key, err := contentKey(root)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "build")
	img := filepath.Join(dir, "ringo-"+key+".elf")
	if _, err := os.Stat(img); err == nil {
		return img, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	raw := filepath.Join(dir, "kernel.linked")
	args := append([]string{"build", "-o", raw, "-ldflags", linkFlags()}, gcFlags...)
	args = append(args, "./cmd/kernel")
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build of the kernel failed: %w", err)
	}
	linked, err := os.ReadFile(raw)
	if err != nil {
		return "", err
	}
	if err := checkHotLayout(linked); err != nil {
		return "", err
	}
	bootable, _, err := boot.AddMultibootHeader(linked)
	if err != nil {
		return "", err
	}
	tmp := img + ".tmp"
	if err := os.WriteFile(tmp, bootable, 0o755); err != nil {
		return "", err
	}
	os.Remove(raw)
	// Keep a stable name for gdb and friends.
	os.Remove(filepath.Join(dir, "ringo.elf"))
	os.Symlink(filepath.Base(img), filepath.Join(dir, "ringo.elf"))
	return img, os.Rename(tmp, img)
}
