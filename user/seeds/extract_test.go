package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// seedsDir is where the seed documents live on the project's machines;
// RINGO_SEEDS overrides it. Tests that need them skip when absent.
func seedsDir(t *testing.T) string {
	dir := os.Getenv("RINGO_SEEDS")
	if dir == "" {
		dir = "/work/shared/seeds"
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no seed documents at %s", dir)
	}
	return dir
}

func TestExtractWritesBothSeedProgramsUnmodified(t *testing.T) {
	dir := seedsDir(t)
	out := t.TempDir()
	written, err := extractAll(dir, out)
	require.NoError(t, err)
	require.Len(t, written, 2)
	for i, p := range written {
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		s := string(src)
		require.True(t, strings.HasPrefix(s, "#"), "%s starts with its first # line", p)
		require.True(t, strings.HasSuffix(s, "\n}\n"), "%s ends with main's brace", p)
		require.Contains(t, s, "int main(int argc, char **argv)")
		require.Contains(t, s, programs[i].marker)
		require.True(t, isCodeLine(s), "no prose inside")
		doc, _ := filepath.Glob(filepath.Join(dir, programs[i].prefix+"*.txt"))
		whole, _ := os.ReadFile(doc[0])
		require.Contains(t, string(whole), s, "the text is the seed's, byte for byte")
	}
}

func TestExtractWithoutSeedsDirectoryFailsClearly(t *testing.T) {
	_, err := extractAll(filepath.Join(t.TempDir(), "nope"), t.TempDir())
	require.ErrorContains(t, err, "seeds directory")
	require.ErrorContains(t, err, "is missing")

	file := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err = extractAll(file, t.TempDir())
	require.ErrorContains(t, err, "not a directory")

	_, err = extractAll(t.TempDir(), t.TempDir())
	require.ErrorContains(t, err, "want one seed document 000_*.txt")
}

func TestUserProgramFindsTheListingAroundMain(t *testing.T) {
	cases := []struct {
		name, doc, want, err string
	}{
		{"prose, code, prose",
			"説明です。\n\n#include <stdio.h>\n\nint main(void)\n{\n    puts(\"{\");\n}\n\n以上。\n",
			"#include <stdio.h>\n\nint main(void)\n{\n    puts(\"{\");\n}\n", ""},
		{"braces in comments and chars",
			"#include <x.h>\nint main(int c, char **v)\n{\n    /* } */ char b = '}'; // }\n    if (c) {\n    }\n}\ntail\n",
			"#include <x.h>\nint main(int c, char **v)\n{\n    /* } */ char b = '}'; // }\n    if (c) {\n    }\n}\n", ""},
		{"no main", "#include <x.h>\nvoid f(void) {}\n", "", "no `int main(`"},
		{"unclosed main", "#include <x.h>\nint main(void)\n{\n", "", "closing brace"},
		{"listing not starting with #", "散文\nstatic int x;\nint main(void)\n{\n}\n", "", "does not start with a # line"},
		{"kernel listing", "#include <linux/module.h>\nint main(void)\n{\n}\nmodule_init(x);\n", "", "not a user program"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := userProgram(tc.doc)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// The three builds the lead's Makefile makes; each is skipped when its
// compiler (or the i386 C library) is not installed.
func TestExtractedProgramsCompileWithTheThreeToolchains(t *testing.T) {
	dir := seedsDir(t)
	out := t.TempDir()
	written, err := extractAll(dir, out)
	require.NoError(t, err)
	variants := []struct {
		name string
		cc   string
		args []string
	}{
		{"glibc64", "gcc", []string{"-static", "-O1"}},
		{"musl64", "musl-gcc", []string{"-static", "-O1"}},
		{"i386", "gcc", []string{"-m32", "-static", "-O1"}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			if _, err := exec.LookPath(v.cc); err != nil {
				t.Skipf("%s not installed", v.cc)
			}
			for _, src := range written {
				bin := strings.TrimSuffix(src, ".c") + "." + v.name
				cmd := exec.Command(v.cc, append(v.args, "-o", bin, src)...)
				msg, err := cmd.CombinedOutput()
				if err != nil && v.name == "i386" && strings.Contains(string(msg), "cannot find") {
					t.Skipf("no i386 C library: %s", msg)
				}
				require.NoError(t, err, "%s", msg)
			}
			if v.name != "glibc64" {
				return
			}
			if _, err := os.Stat("/dev/fd_test"); err == nil {
				return // a host with the real module: nothing to predict
			}
			// On a host without the module the seed fails the way it says.
			cmd := exec.Command(strings.TrimSuffix(written[0], ".c") + ".glibc64")
			msg, err := cmd.CombinedOutput()
			require.Error(t, err)
			require.Equal(t, 255, cmd.ProcessState.ExitCode(), "exit(-1)")
			require.Equal(t, "open: No such file or directory\n", string(msg))
		})
	}
}
