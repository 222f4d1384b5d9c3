// Package syscall holds Ringo's system call tables, one declarative table per
// ABI (x86_64, i386 compat, x32) with Linux's numbers, and the machinery the
// kernel's user-trap loop calls: number decoding, argument conversion by
// declared kind (LINUX-SEMANTICS §1), handler binding by Linux entry-point
// name, errno conversion and strace-like tracing.
//
// The tables are table_amd64.go, table_i386.go and table_x32.go; each reads
// like the .tbl file it mirrors. Start with dispatch.go to follow one call.
package syscall
