// Package mm is Ringo's memory manager: physical frames, x86-64 page tables
// over arch/amd64's PTE format, address spaces, VMAs with vm_operations,
// demand paging and copy-on-write, the mmap family of calls, user-memory
// access (CopyIn/CopyOut), and the /proc views (maps, pagemap).
//
// It is ordinary Go, tested on the host against simulated physical memory
// with a software MMU walker standing in for the CPU (LINUX-SEMANTICS §6-7).
package mm
