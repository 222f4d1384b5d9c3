package mm

import (
	"fmt"
	"strings"
)

// Meminfo is the allocator's accounting, the numbers /proc/meminfo prints.
// All values are in frames.
type Meminfo struct {
	Total, Free                           uint64
	Kernel, PageTables, Anon, Shmem, Zero uint64
}

// Meminfo takes a consistent snapshot of the counters.
func (a *FrameAllocator) Meminfo() Meminfo {
	a.mu.Lock()
	defer a.mu.Unlock()
	return Meminfo{
		Total:      a.total,
		Free:       a.nfree,
		Kernel:     a.byKind[KindKernel],
		PageTables: a.byKind[KindPageTable],
		Anon:       a.byKind[KindAnon],
		Shmem:      a.byKind[KindShmem],
		Zero:       a.byKind[KindZero],
	}
}

// String formats the snapshot as /proc/meminfo does: the name and colon
// padded to 16 columns, the value right-aligned in 8, then " kB". Mirrors
// fs/proc/meminfo.c:show_val_kb. Only the lines Ringo can fill honestly
// are printed (no swap, no page cache accounting yet).
func (m Meminfo) String() string {
	var b strings.Builder
	line := func(name string, frames uint64) {
		fmt.Fprintf(&b, "%-16s%8d kB\n", name+":", frames*PageSize/1024)
	}
	line("MemTotal", m.Total)
	line("MemFree", m.Free)
	line("MemAvailable", m.Free)
	line("AnonPages", m.Anon)
	line("Shmem", m.Shmem)
	line("PageTables", m.PageTables)
	return b.String()
}
