package kernel

// Mapping the vDSO (vdso_image.go, vdso_image32.go) into processes: frames
// made once at boot — vvar and the ELF images — shared read-only by every
// process through a VMA whose fault handler hands them out, the way
// Linux's vdso_fault/vvar_fault do (arch/x86/entry/vdso/vma.c).

import (
	"encoding/binary"

	"github.com/ringo-os/ringo/mm"
)

// vdsoPages are the vvar frame and the image frame.
type vdsoPages struct{ vvar, image mm.PFN }

// setupVDSO fills the vvar frame (shared by both images) and the 64-bit
// and i386 image frames. The wall base is CLOCK_REALTIME at the monotonic
// clock's zero, in ns.
func (k *Kernel) setupVDSO(c *VDSOClock) error {
	var pfns [3]mm.PFN
	for i := range pfns {
		p, err := k.frames.AllocZeroed(mm.KindKernel)
		if err != nil {
			for _, q := range pfns[:i] {
				k.frames.PutPage(q)
			}
			return err
		}
		pfns[i] = p
	}
	v := k.frames.Mem().Frame(pfns[0])
	binary.LittleEndian.PutUint64(v[0:], c.TSC0)
	binary.LittleEndian.PutUint64(v[8:], c.Mult)
	binary.LittleEndian.PutUint64(v[16:], uint64(k.wallBase))
	copy(k.frames.Mem().Frame(pfns[1]), buildVDSOImage())
	copy(k.frames.Mem().Frame(pfns[2]), buildVDSOImage32(k.compatSyscall))
	k.vdso = &vdsoPages{pfns[0], pfns[1]}
	k.vdso32 = &vdsoPages{pfns[0], pfns[2]}
	return nil
}

// mapVDSO maps vvar and the image (r-x) and returns AT_SYSINFO_EHDR and,
// for i386, AT_SYSINFO (__kernel_vsyscall).
func (k *Kernel) mapVDSO(as *mm.AddressSpace, ia32 bool) (ehdr, entry uint64, err error) {
	pages := k.vdso
	if ia32 {
		pages = k.vdso32
	}
	if pages == nil {
		return 0, 0, nil
	}
	base, err := as.DoMmap(vdsoFile{pages}, 0, 2*mm.PageSize, mm.ProtRead|mm.ProtExec, mm.MapPrivate, 0)
	if err != nil {
		return 0, 0, err
	}
	ehdr = base + mm.PageSize
	if ia32 {
		entry = ehdr + vdsoCodeOff + uint64(vdso32Vsyscall(k.compatSyscall))
	}
	return ehdr, entry, nil
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
