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
	passed, failed := RunQuiet(w, tests)
	fmt.Fprintf(w, "%d passed, %d failed\n", passed, failed)
	return failed
}

// RunQuiet is Run without the summary line, for suites run one after
// another that end with one combined line.
func RunQuiet(w io.Writer, tests []Test) (passed, failed int) {
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
	return passed, failed
}
