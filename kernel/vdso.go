package kernel

// Mapping the vDSO (vdso_image.go) into 64-bit processes: two frames made
// once at boot — vvar and the ELF image — shared read-only by every
// process through a VMA whose fault handler hands them out, the way
// Linux's vdso_fault/vvar_fault do (arch/x86/entry/vdso/vma.c).

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/mm"
)

// vdsoPages are the vvar frame and the image frame.
type vdsoPages struct{ vvar, image mm.PFN }

// setupVDSO fills the two frames. wallBase is CLOCK_REALTIME at the
// monotonic clock's zero, in ns.
func (k *Kernel) setupVDSO(c *VDSOClock) error {
	vvar, err := k.frames.AllocZeroed(mm.KindKernel)
	if err != nil {
		return err
	}
	image, err := k.frames.AllocZeroed(mm.KindKernel)
	if err != nil {
		k.frames.PutPage(vvar)
		return err
	}
	v := k.frames.Mem().Frame(vvar)
	binary.LittleEndian.PutUint64(v[0:], c.TSC0)
	binary.LittleEndian.PutUint64(v[8:], c.Mult)
	binary.LittleEndian.PutUint64(v[16:], uint64(k.wallBase))
	copy(k.frames.Mem().Frame(image), buildVDSOImage())
	k.vdso = &vdsoPages{vvar, image}
	return nil
}

// mapVDSO maps vvar and the image (r-x) and returns AT_SYSINFO_EHDR.
func (k *Kernel) mapVDSO(as *mm.AddressSpace) (uint64, error) {
	if k.vdso == nil {
		return 0, nil
	}
	base, err := as.DoMmap(vdsoFile{k.vdso}, 0, 2*mm.PageSize, mm.ProtRead|mm.ProtExec, mm.MapPrivate, 0)
	if err != nil {
		return 0, err
	}
	return base + mm.PageSize, nil
}

// vdsoFile is what the VMA maps: page 0 is vvar, page 1 the image.
type vdsoFile struct{ p *vdsoPages }

func (vdsoFile) IncRef()                                       {}
func (vdsoFile) DecRef()                                       {}
func (vdsoFile) MapsName() string                              { return "[vdso]" }
func (vdsoFile) MapsDevIno() (major, minor uint32, ino uint64) { return 0, 0, 0 }
func (vdsoFile) Readable() bool                                { return true }
func (vdsoFile) Writable() bool                                { return false }

func (f vdsoFile) Mmap(vma *mm.VMA) error {
	vma.Ops = vdsoOps{f.p}
	vma.Flags |= mm.VMDontExpand | mm.VMDontDump
	return nil
}

type vdsoOps struct{ p *vdsoPages }

func (vdsoOps) Open(*mm.VMA)  {}
func (vdsoOps) Close(*mm.VMA) {}

// Fault hands out the shared frames; anything past page 1 is SIGBUS.
func (o vdsoOps) Fault(vmf *mm.VMFault) mm.VMFaultResult {
	var pfn mm.PFN
	switch vmf.Pgoff {
	case 0:
		pfn = o.p.vvar
	case 1:
		pfn = o.p.image
	default:
		return mm.VMFaultSIGBUS
	}
	vmf.VMA.AddressSpace().Allocator().GetPage(pfn)
	vmf.Page = pfn
	return 0
}
