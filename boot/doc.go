// Package boot is the boot protocol: the Multiboot v1 header written into the
// linked kernel ELF by a post-link step, the 32-bit entry that switches to
// long mode, and the parsing of the Multiboot information (memory map,
// command line, initrd module).
package boot
