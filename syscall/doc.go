// Package syscall holds Ringo's system call tables, one declarative table per
// ABI (x86_64, i386 compat, x32) with Linux's numbers, and the argument
// conversion each ABI needs (LINUX-SEMANTICS §1).
package syscall
