// Command extract copies the seeds' own user-space test programs (the C
// main programs of seeds 000 and 001) out of the seed documents, unmodified,
// so the build can compile them for ring 3 without the repository carrying
// the seeds' code:
//
//	go run ./user/seeds/extract.go -seeds /work/shared/seeds -out build/seeds
//
// writes seed000_fd_test.c and seed001_lkmc_mmap.c. A seed document is an
// article: prose (Japanese here) around code listings. The user program is
// the listing holding `int main(`: it runs from the first preprocessor
// line after the last line of prose above main, to the brace closing main.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// seedProgram says which document holds which program.
type seedProgram struct {
	prefix string // the seed document's file name starts with this
	out    string // file written in the out directory
	marker string // text the program must contain (a sanity check)
}

var programs = []seedProgram{
	{"000_", "seed000_fd_test.c", `open("/dev/fd_test", O_RDWR)`},
	{"001_", "seed001_lkmc_mmap.c", "/proc/%ju/pagemap"},
}

func main() {
	seeds := flag.String("seeds", "", "directory holding the seed documents (000_*.txt, 001_*.txt)")
	out := flag.String("out", "", "directory to write the C programs to")
	flag.Parse()
	if *seeds == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: extract -seeds DIR -out DIR")
		os.Exit(2)
	}
	written, err := extractAll(*seeds, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "extract:", err)
		os.Exit(1)
	}
	for _, p := range written {
		fmt.Println(p)
	}
}

// extractAll writes every program of programs from seedsDir into outDir
// and returns the paths written.
func extractAll(seedsDir, outDir string) ([]string, error) {
	st, err := os.Stat(seedsDir)
	if err != nil {
		return nil, fmt.Errorf("seeds directory %q is missing: %w", seedsDir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("seeds directory %q is not a directory", seedsDir)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, p := range programs {
		matches, _ := filepath.Glob(filepath.Join(seedsDir, p.prefix+"*.txt"))
		if len(matches) != 1 {
			return nil, fmt.Errorf("want one seed document %s*.txt in %q, found %d", p.prefix, seedsDir, len(matches))
		}
		doc, err := os.ReadFile(matches[0])
		if err != nil {
			return nil, err
		}
		prog, err := userProgram(string(doc))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", matches[0], err)
		}
		if !strings.Contains(prog, p.marker) {
			return nil, fmt.Errorf("%s: the program found does not contain %q", matches[0], p.marker)
		}
		dst := filepath.Join(outDir, p.out)
		if err := os.WriteFile(dst, []byte(prog), 0o644); err != nil {
			return nil, err
		}
		written = append(written, dst)
	}
	return written, nil
}

// userProgram returns the listing that holds `int main(`, as its lines
// stand in the document, ending in a newline.
func userProgram(doc string) (string, error) {
	lines := strings.Split(doc, "\n")
	mainAt := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "int main(") {
			mainAt = i
			break
		}
	}
	if mainAt < 0 {
		return "", errors.New("no `int main(` at the start of a line")
	}
	// Up from main to the last line of prose (code listings are ASCII,
	// the articles' prose is not), then down to the first # line.
	start := mainAt
	for start > 0 && isCodeLine(lines[start-1]) {
		start--
	}
	for start < mainAt && !strings.HasPrefix(lines[start], "#") {
		if strings.TrimSpace(lines[start]) != "" {
			return "", fmt.Errorf("line %d: the listing does not start with a # line", start+1)
		}
		start++
	}
	end, err := closingBrace(lines, mainAt)
	if err != nil {
		return "", err
	}
	prog := strings.Join(lines[start:end+1], "\n") + "\n"
	for _, kernelOnly := range []string{"module_init", "MODULE_LICENSE", "<linux/module.h>"} {
		if strings.Contains(prog, kernelOnly) {
			return "", fmt.Errorf("the listing around main contains %s: not a user program", kernelOnly)
		}
	}
	return prog, nil
}

// isCodeLine reports whether a line can belong to a code listing.
func isCodeLine(l string) bool {
	for _, r := range l {
		if r >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// closingBrace finds the line whose '}' closes the function starting at
// line from, skipping braces inside comments and string/char literals.
func closingBrace(lines []string, from int) (int, error) {
	depth, opened, inComment := 0, false, false
	for i := from; i < len(lines); i++ {
		l := lines[i]
		for j := 0; j < len(l); j++ {
			switch {
			case inComment:
				if strings.HasPrefix(l[j:], "*/") {
					inComment, j = false, j+1
				}
			case strings.HasPrefix(l[j:], "/*"):
				inComment, j = true, j+1
			case strings.HasPrefix(l[j:], "//"):
				j = len(l)
			case l[j] == '"' || l[j] == '\'':
				q := l[j]
				for j++; j < len(l) && l[j] != q; j++ {
					if l[j] == '\\' {
						j++
					}
				}
			case l[j] == '{':
				depth, opened = depth+1, true
			case l[j] == '}':
				depth--
				if opened && depth == 0 {
					return i, nil
				}
			}
		}
	}
	return 0, errors.New("main's closing brace not found")
}
