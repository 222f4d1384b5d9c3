package exec

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"
)

// benchFile is a real static glibc binary when gcc is present (its program
// headers are what Load reads), else the hand-built one.
func benchFile(b *testing.B) []byte {
	if path, err := compileVariant(variantNamed(b, "glibc64")); err == nil {
		file, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		return file
	}
	return buildELF(validSpec(ABI64))
}

// BenchmarkExecImage measures what execve costs in this package: load and
// validate, plan, copy the strings, build the randomized stack and the
// registers.
func BenchmarkExecImage(b *testing.B) {
	file := benchFile(b)
	argv := []string{"/bin/prog", "-l", "--color=auto", "/tmp"}
	envp := []string{"HOME=/root", "PATH=/usr/local/bin:/usr/bin:/bin", "TERM=xterm-256color", "LANG=C.UTF-8"}
	rnd := rand.NewChaCha8([32]byte{42})
	b.ReportAllocs()
	for b.Loop() {
		img, err := Load(bytes.NewReader(file), int64(len(file)), Options{IA32: true})
		if err != nil {
			b.Fatal(err)
		}
		pl, err := img.Plan(0)
		if err != nil {
			b.Fatal(err)
		}
		args, err := CopyStrings(argv[0], argv, envp, 8<<20)
		if err != nil {
			b.Fatal(err)
		}
		st, err := BuildStack(StackParams{Args: args, Plan: pl, RlimitStack: 8 << 20, RandomizeVASpace: 2, Rand: rnd})
		if err != nil {
			b.Fatal(err)
		}
		_ = StartThread(pl, st)
	}
}

// BenchmarkLoadRejectsGarbage measures the cost of refusing a non-ELF file.
func BenchmarkLoadRejectsGarbage(b *testing.B) {
	file := bytes.Repeat([]byte("#!/bin/sh\n"), 100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(bytes.NewReader(file), int64(len(file)), Options{}); err == nil {
			b.Fatal("garbage loaded")
		}
	}
}
