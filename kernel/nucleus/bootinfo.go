package nucleus

// What the boot loader told us, copied out of the Multiboot structure by
// package boot before anything else runs, and the kernel command line.
//
// Fixed-size arrays only: filled beneath the runtime, read by Go code above
// it (BootInfoCopy).

// MemRegion is one entry of the firmware memory map (e820 types: 1 usable
// RAM, 2 reserved, 3 ACPI reclaimable, 4 ACPI NVS, 5 bad).
type MemRegion struct {
	Base, Len uint64
	Type      uint32
}

// MemUsable is the e820 type of ordinary RAM.
const MemUsable = 1

// BootInfo is the parsed boot information.
type BootInfo struct {
	Regions    [64]MemRegion
	NRegions   int
	Cmdline    [512]byte
	CmdlineLen int
	// InitrdStart/End: the first Multiboot module, physical, [start, end).
	InitrdStart, InitrdEnd uint64
	// InfoStart/End: the Multiboot structure itself.
	InfoStart, InfoEnd uint64
}

var boot *BootInfo

// CmdlineString returns the kernel command line (above the runtime).
func CmdlineString() string { return string(boot.Cmdline[:boot.CmdlineLen]) }

// Initrd returns the initrd's bytes through the direct map, or nil.
func Initrd() []byte {
	if boot.InitrdEnd <= boot.InitrdStart {
		return nil
	}
	n := int(boot.InitrdEnd - boot.InitrdStart)
	return unsafeSlice(phys2virt(boot.InitrdStart), n)
}

// MemoryMap returns a copy of the firmware memory map.
func MemoryMap() []MemRegion {
	return append([]MemRegion(nil), boot.Regions[:boot.NRegions]...)
}

// cmdlineHas reports whether the command line contains the word w
// (space-separated), nosplit for use beneath the runtime.
//
//go:nosplit
func cmdlineHas(w string) bool {
	line := boot.Cmdline[:boot.CmdlineLen]
	for i := 0; i < len(line); {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		j := i
		for j < len(line) && line[j] != ' ' {
			j++
		}
		if j-i == len(w) {
			eq := true
			for k := 0; k < len(w); k++ {
				if line[i+k] != w[k] {
					eq = false
					break
				}
			}
			if eq {
				return true
			}
		}
		i = j
	}
	return false
}
