package mm

import "github.com/ringo-os/ringo/abi"

// Munmap is munmap(2). Mirrors mm/vma.c:do_vmi_munmap: unaligned start,
// start beyond TASK_SIZE, a length that runs past it, or length 0 are
// EINVAL; an unmapped range is success; partially covered VMAs are split
// (Open on the new piece) and covered ones removed (Close).
func (as *AddressSpace) Munmap(start, length uint64) error {
	task := as.layout.TaskSize
	if start&(PageSize-1) != 0 || start > task || length > task-start {
		return abi.EINVAL
	}
	length = pageRoundUp(length)
	if length == 0 {
		return abi.EINVAL
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	if !as.mapCountAllows(start, start+length, 0) {
		return abi.ENOMEM
	}
	return as.unmapRange(start, start+length)
}
