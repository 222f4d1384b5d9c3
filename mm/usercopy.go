package mm

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/abi"
	"github.com/ringo-os/ringo/arch/amd64"
)

// This file is user-memory access: copy_from_user, copy_to_user,
// strncpy_from_user, clear_user. Each page is reached the way the CPU
// would reach it from ring 3 — a walk of this address space's page table
// that enforces U/S and R/W — and a missing or read-only page is resolved
// by the fault handler (demand paging, COW) exactly as a user access would
// be. What the handler cannot resolve (no VMA, no permission, SIGBUS, a
// kernel or non-canonical address) is EFAULT. Nothing here trusts a user
// pointer or can panic on one.

// userPage returns the kernel's view of the page holding va, for an
// access of kind acc, faulting it in if needed.
//
// Preconditions: as.mu is held.
func (as *AddressSpace) userPage(va uint64, acc Access) ([]byte, error) {
	if va >= as.layout.TaskSize || as.released {
		return nil, abi.EFAULT
	}
	if page := as.pt.utlb.lookup(va, acc); page != nil {
		return page[va&(PageSize-1):], nil
	}
	for try := 0; try < 3; try++ {
		phys, ec, fault, gp := as.pt.Translate(va, acc, true)
		if gp {
			return nil, abi.EFAULT
		}
		if !fault {
			b := as.alloc.mem.Frame(PFN(phys >> amd64.PageShift))
			if b == nil {
				return nil, abi.EFAULT
			}
			as.pt.utlb.fill(va, acc, b)
			return b[phys&(PageSize-1):], nil
		}
		if r := as.faultLocked(va, acc, ec&amd64.PFProt != 0); !r.OK() {
			return nil, abi.EFAULT
		}
	}
	// The handler said "resolved" but the PTE still refuses (a driver
	// returning VMFaultNoPage without inserting anything).
	return nil, abi.EFAULT
}

// CopyIn copies len(dst) bytes from user address addr. It returns the
// number of bytes copied; if that is short, err is EFAULT. Mirrors
// copy_from_user (which returns the bytes not copied).
func (as *AddressSpace) CopyIn(dst []byte, addr uint64) (int, error) {
	return as.copyUser(dst, addr, AccessRead)
}

// CopyOut copies src to user address addr, returning the bytes copied and
// EFAULT if short. Mirrors copy_to_user.
func (as *AddressSpace) CopyOut(addr uint64, src []byte) (int, error) {
	return as.copyUser(src, addr, AccessWrite)
}

// ClearUser zeroes n bytes at user address addr. Mirrors clear_user.
func (as *AddressSpace) ClearUser(addr uint64, n uint64) (uint64, error) {
	var done uint64
	as.mu.Lock()
	defer as.mu.Unlock()
	if addr+n < addr {
		return 0, abi.EFAULT
	}
	for done < n {
		page, err := as.userPage(addr+done, AccessWrite)
		if err != nil {
			return done, err
		}
		c := min(uint64(len(page)), n-done)
		clear(page[:c])
		done += c
	}
	return done, nil
}

// copyUser copies between buf and user memory at addr: to user memory for
// AccessWrite, from it for AccessRead. The direction is a flag, not a
// copy function passed in: the compiler cannot see what a function value
// does with buf, so buf escaped, and every caller's stack buffer (a
// put_user of one int, a timespec) became a heap allocation.
func (as *AddressSpace) copyUser(buf []byte, addr uint64, acc Access) (int, error) {
	if addr+uint64(len(buf)) < addr {
		return 0, abi.EFAULT
	}
	as.mu.Lock()
	// The common case, a small copy within one page that the user TLB
	// holds (a put_user of an ioctl result, a timespec), without the
	// loop and the deferred unlock: under emulation those were most of
	// a 4-byte copy. Nothing between Lock and Unlock here can panic
	// (the slice bounds are checked), so no defer is needed; the walk
	// may call a driver's fault handler, and takes the lock again with
	// one.
	if off := addr & (PageSize - 1); off+uint64(len(buf)) <= PageSize {
		if page := as.pt.utlb.lookup(addr, acc); page != nil {
			move(page[off:], buf, acc)
			as.mu.Unlock()
			return len(buf), nil
		}
	}
	as.mu.Unlock()
	return as.copyUserWalk(buf, addr, acc)
}

// move copies between a user page and buf, in the direction acc says:
// into the page for AccessWrite, out of it for AccessRead.
func move(page, buf []byte, acc Access) {
	if acc == AccessWrite {
		copy(page, buf)
	} else {
		copy(buf, page)
	}
}

// copyUserWalk is copyUser page by page, walking the page table and
// faulting pages in as needed.
func (as *AddressSpace) copyUserWalk(buf []byte, addr uint64, acc Access) (int, error) {
	as.mu.Lock()
	defer as.mu.Unlock()
	done := 0
	for done < len(buf) {
		page, err := as.userPage(addr+uint64(done), acc)
		if err != nil {
			return done, err
		}
		n := min(len(page), len(buf)-done)
		move(page[:n], buf[done:done+n], acc)
		done += n
	}
	return done, nil
}

// StrncpyFromUser copies a NUL-terminated string from addr into dst, at
// most len(dst) bytes. It returns the string's length without the NUL;
// len(dst) means no NUL was found within dst (the caller decides whether
// that is ENAMETOOLONG). Mirrors strncpy_from_user.
func (as *AddressSpace) StrncpyFromUser(dst []byte, addr uint64) (int, error) {
	as.mu.Lock()
	defer as.mu.Unlock()
	n := 0
	for n < len(dst) {
		if addr+uint64(n) < addr {
			return 0, abi.EFAULT
		}
		page, err := as.userPage(addr+uint64(n), AccessRead)
		if err != nil {
			return 0, err
		}
		for _, c := range page {
			if n == len(dst) {
				return n, nil
			}
			dst[n] = c
			if c == 0 {
				return n, nil
			}
			n++
		}
	}
	return n, nil
}

// CopyInString reads a NUL-terminated string of at most max bytes
// (NUL excluded): EFAULT for a bad pointer, ENAMETOOLONG when no NUL is
// found in time (the getname / PATH_MAX rule).
func (as *AddressSpace) CopyInString(addr uint64, max int) (string, error) {
	if max < 0 {
		return "", abi.EINVAL
	}
	buf := make([]byte, max+1)
	n, err := as.StrncpyFromUser(buf, addr)
	if err != nil {
		return "", err
	}
	if n == len(buf) {
		return "", abi.ENAMETOOLONG
	}
	return string(buf[:n]), nil
}

// GetUser64 and friends read and write one little-endian word (get_user,
// put_user); the 32-bit ones serve compat tasks.
func (as *AddressSpace) GetUser64(addr uint64) (uint64, error) {
	var b [8]byte
	if _, err := as.CopyIn(b[:], addr); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}

// PutUser64 writes one 64-bit word to user memory.
func (as *AddressSpace) PutUser64(addr, v uint64) error {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	_, err := as.CopyOut(addr, b[:])
	return err
}

// GetUser32 reads one 32-bit word from user memory.
func (as *AddressSpace) GetUser32(addr uint64) (uint32, error) {
	var b [4]byte
	if _, err := as.CopyIn(b[:], addr); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b[:]), nil
}

// PutUser32 writes one 32-bit word to user memory.
func (as *AddressSpace) PutUser32(addr uint64, v uint32) error {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	_, err := as.CopyOut(addr, b[:])
	return err
}
