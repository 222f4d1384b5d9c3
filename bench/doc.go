// Package bench is the host side of `make bench`: it packs the benchmark
// program (user/bench/bench.c) into an initramfs, fetches the Linux kernel
// Ringo is compared with, parses the BENCH lines the guest prints, and turns
// several boots of each kernel into a table (text and CSV) and an SVG chart.
//
// Booting is not done here: the QEMU command line belongs to cmd/ringo
// (Machine.args), so that Ringo and Linux run on exactly the same machine.
// cmd/ringo hands this package one BootFunc per kernel (a Side) and Compare
// does the rest.
//
// It also reads QEMU's execution logs into a per-function profile of one
// loop iteration (tcgprof.go, `ringo profile`): guest instructions, which
// under TCG are what time follows, counted exactly.
package bench
