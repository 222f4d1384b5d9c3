// Command kernel is the Ringo kernel image: the Go program that boots on
// the metal. The boot path (package boot, linked in by the -E entry) sets up
// the nucleus and enters the Go runtime; main runs once the runtime is up.
package main

import (
	"fmt"

	_ "github.com/ringo-os/ringo/boot"
)

func main() {
	fmt.Println("Ringo: hello from the Go runtime")
}
