package mm

// Brk is brk(2): it returns the new break on success and the current one
// on any failure, never an errno (§6.5). Mirrors mm/mmap.c:SYSCALL brk.
// Growth needs one free page (stack_guard_gap before a stack) between the
// new break and the next VMA; RLIMIT_DATA is not modelled.
func (as *AddressSpace) Brk(newBrk uint64) uint64 {
	as.mu.Lock()
	defer as.mu.Unlock()
	if newBrk < as.startBrk || newBrk > as.layout.TaskSize {
		return as.brk
	}
	newEnd, oldEnd := pageRoundUp(newBrk), pageRoundUp(as.brk)
	if newEnd == oldEnd {
		as.brk = newBrk
		return as.brk
	}
	if newBrk <= as.brk {
		// Shrinking: unmap the freed pages.
		if !as.mapCountAllows(newEnd, oldEnd, 0) {
			return as.brk
		}
		if err := as.unmapRange(newEnd, oldEnd); err != nil {
			return as.brk
		}
		as.brk = newBrk
		return as.brk
	}
	// Growing: the next VMA within a page + guard gap must stay clear.
	if i := as.findIndex(oldEnd); i < len(as.vmas) {
		next := as.vmas[i]
		gapStart := next.Start
		if next.Flags&VMGrowsDown != 0 {
			gapStart = max(next.Start, StackGuardGap) - StackGuardGap
		}
		if next.Start < newEnd+PageSize+StackGuardGap && newEnd+PageSize > gapStart {
			return as.brk
		}
	}
	if newEnd+PageSize > as.layout.TaskSize || len(as.vmas) >= MaxMapCount {
		return as.brk
	}
	// do_brk_flags: extend the heap VMA or add one; merging joins them.
	v := &VMA{Start: oldEnd, End: newEnd, Pgoff: oldEnd >> 12,
		Flags: VMRead | VMWrite | VMMayRead | VMMayWrite | VMMayExec}
	as.mergeAround(as.insertVMA(v))
	as.brk = newBrk
	return as.brk
}
