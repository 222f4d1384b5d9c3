package selftest

import (
	"fmt"
	"io"
	"time"
)

// Test is one self-test: it returns a detail line on success or an error.
type Test struct {
	Name string
	Run  func() (string, error)
}

// Run runs the tests in order, printing one line per test and the summary
// line; it returns the number of failures.
func Run(w io.Writer, tests []Test) int {
	passed, failed := 0, 0
	for _, t := range tests {
		start := time.Now()
		detail, err := t.Run()
		el := time.Since(start).Round(time.Millisecond)
		if err != nil {
			failed++
			fmt.Fprintf(w, "FAIL %s: %v (%v)\n", t.Name, err, el)
			continue
		}
		passed++
		fmt.Fprintf(w, "ok   %s: %s (%v)\n", t.Name, detail, el)
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	return failed
}
