package exec

// The initial program break (mm->start_brk), §6.5.

import "io"

// RandomizeBrk returns mm->start_brk for a task started with
// randomize_va_space = 2 (Linux's default): one guard page after the image
// unless the brk was moved to ELF_ET_DYN_BASE (static PIE), then a random
// page offset below 1 GiB (32 MiB for ia32). It reads 8 bytes from rnd; an
// error from rnd is returned unchanged. With randomization off the brk is
// simply Plan.StartBrk.
//
// Mirrors the "brk" handling at the end of load_elf_binary and
// arch/x86/kernel/process.c:arch_randomize_brk.
func (p *Plan) RandomizeBrk(rnd io.Reader) (uint64, error) {
	brk := p.StartBrk
	if !p.brkMoved {
		brk += PageSize
	}
	return randomizePage(brk, p.ABI.brkRndRange(), rnd)
}
