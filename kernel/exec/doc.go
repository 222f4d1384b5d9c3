// Package exec turns an executable file and an argument list into what a new
// user process starts from: a load plan (which pages of the file go where,
// with which protection, which ranges are zero-filled), the initial stack
// image with its auxiliary vector, and the initial register state.
//
// It mirrors Linux's fs/binfmt_elf.c (load_elf_binary, elf_load,
// create_elf_tables), fs/compat_binfmt_elf.c (the i386 flavour of the same
// code) and the argument half of fs/exec.c (bprm_stack_limits, copy_strings,
// setup_arg_pages). It maps nothing itself: the kernel's execve reads the
// plan and asks mm to build the address space. That keeps the package
// host-testable and free of any dependency on mm, fs or the nucleus.
//
// The steps, in the order execve takes them:
//
//  1. CopyStrings — count argv/envp, apply the E2BIG limits, lay out the
//     strings at the top of the stack (Linux does this before it even looks
//     at the file).
//  2. Load — read and validate the ELF header and program headers
//     (ENOEXEC for anything that is not a static x86-64 or i386 program).
//  3. Image.Plan — place the segments (static PIE: relative to where the
//     caller's mmap put the image), compute entry, AT_PHDR and the brk.
//  4. BuildStack — stack top, argc/argv/envp/auxv, final stack pointer.
//  5. StartThread — the register state the task enters ring 3 with.
//
// Randomness (stack placement, AT_RANDOM bytes, brk offset) is read from an
// io.Reader the caller passes, so every layout is reproducible in tests.
package exec
