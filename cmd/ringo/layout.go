package main

// The build's one layout check. Under QEMU's TCG a jump to another page of
// code, or a block that runs on into the next page, is a lookup of the
// jump cache rather than a chained jump (bench/jumpcache.go). The system
// call's way into ring 3 and back is a group of assembly functions in
// kernel/nucleus/user_amd64.s that jump to one another; enterUser's
// PCALIGN $2048 and their order in that file keep them in one 4 KiB page,
// as long as the group stays under 2 KiB. This check says so when it no
// longer does, rather than letting every system call pay for it.

import (
	"bytes"
	"debug/elf"
	"fmt"
)

// hotGroup is the assembly that every system call from ring 3 runs: the
// entry into ring 3, the three exits, and the exits' shared tail.
var hotGroup = []string{
	modulePath + "/kernel/nucleus.enterUser.abi0",
	modulePath + "/kernel/nucleus.syscallEntry",
	modulePath + "/kernel/nucleus.syscall32Entry",
	modulePath + "/kernel/nucleus.int80Entry",
	modulePath + "/kernel/nucleus.userExitTail",
}

// checkHotLayout fails when the linked kernel's hotGroup is not within one
// page.
func checkHotLayout(linked []byte) error {
	f, err := elf.NewFile(bytes.NewReader(linked))
	if err != nil {
		return err
	}
	syms, err := f.Symbols()
	if err != nil {
		return err
	}
	return onePage(syms, hotGroup)
}

// onePage reports an error unless the functions named lie in one 4 KiB
// page, from the first one's start to the last one's end.
func onePage(syms []elf.Symbol, names []string) error {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	var lo, hi uint64
	found := 0
	for _, s := range syms {
		if !want[s.Name] {
			continue
		}
		want[s.Name] = false
		found++
		end := s.Value + max(s.Size, 1)
		if found == 1 || s.Value < lo {
			lo = s.Value
		}
		if found == 1 || end > hi {
			hi = end
		}
	}
	if found != len(names) {
		var missing []string
		for _, n := range names {
			if want[n] {
				missing = append(missing, n)
			}
		}
		return fmt.Errorf("layout check: no symbol %v in the kernel", missing)
	}
	if lo>>12 != (hi-1)>>12 {
		return fmt.Errorf("layout check: the system call's entry and exits (%#x-%#x, %d bytes) cross a page: "+
			"keep them together and under 2 KiB in kernel/nucleus/user_amd64.s", lo, hi, hi-lo)
	}
	return nil
}
