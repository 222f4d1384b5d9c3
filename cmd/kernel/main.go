// Command kernel is the Ringo kernel image: the Go program that boots on
// the metal. The boot path (package boot, linked in by the -E entry) sets up
// the nucleus and enters the Go runtime; main runs once the runtime is up.
package main

import (
	"fmt"
	"os"
	"strings"

	_ "github.com/ringo-os/ringo/boot"
	"github.com/ringo-os/ringo/kernel/nucleus"
	"github.com/ringo-os/ringo/kernel/selftest"
)

// knownParams are the kernel command-line switches Ringo understands.
// Words of the form NAME=value with an upper-case NAME are the runtime's
// environment (GODEBUG=..., GOMAXPROCS=...); QEMU puts the image path first.
var knownParams = map[string]bool{"ringo.crash": true}

func main() {
	checkCmdline(nucleus.CmdlineString())
	s := nucleus.Stats()
	nucleus.Printk(fmt.Sprintf("Ringo: Go runtime up; %d of %d frames in use (%d KiB)",
		s.TotalFrames-s.FreeFrames, s.TotalFrames, (s.TotalFrames-s.FreeFrames)*4))
	failed := selftest.Run(os.Stdout, append(selftest.Tests(), selftest.Ring3Tests()...))
	if failed > 0 {
		os.Exit(1)
	}
}

func checkCmdline(line string) {
	for i, w := range strings.Fields(line) {
		name, _, _ := strings.Cut(w, "=")
		switch {
		case i == 0 && strings.HasPrefix(w, "/"): // QEMU's image path
		case knownParams[name]:
		case name != "" && name[0] >= 'A' && name[0] <= 'Z' && strings.Contains(w, "="):
		default:
			nucleus.Printk("Ringo: unknown command-line parameter " + w + " (ignored)")
		}
	}
}
