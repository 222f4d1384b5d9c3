package fs

import (
	"fmt"
	"strings"

	"github.com/ringo-os/ringo/abi"
)

// This file is drivers/char/misc.c: major 10, minors fixed or dynamic, a
// /dev node per device and the /proc/misc list.

// MiscMajor is MISC_MAJOR.
const MiscMajor = 10

// MiscDynamicMinor is MISC_DYNAMIC_MINOR: "pick one for me".
const MiscDynamicMinor = 255

// miscDynamicFirst is where 6.16+ (and 6.12 stable) hand out dynamic
// minors: 256 upward, up to MINORMASK.
const miscDynamicFirst = 256

// MiscDevice mirrors struct miscdevice.
type MiscDevice struct {
	Minor    uint32 // MiscDynamicMinor to allocate; set by MiscRegister
	Name     string
	Nodename string // /dev name if not Name (may contain '/')
	Mode     uint32 // node permissions; 0 means 0600
	Fops     FileOperations
}

// MiscRegister mirrors misc_register: EINVAL for a fixed minor above 255
// or a name that cannot be a device name; EBUSY for a minor in use or no
// dynamic minor left; EEXIST for a name already in /dev. The device goes
// to the head of the list and its node appears in devtmpfs.
func (v *VFS) MiscRegister(m *MiscDevice) error {
	node := m.Nodename
	if node == "" {
		node = m.Name
	}
	if m.Name == "" || strings.ContainsRune(m.Name, 0) || strings.ContainsRune(node, 0) ||
		strings.HasPrefix(node, "/") || strings.HasSuffix(node, "/") || strings.Contains(node, "//") {
		return abi.EINVAL
	}
	for _, part := range strings.Split(node, "/") {
		if part == "." || part == ".." || len(part) > NAME_MAX {
			return abi.EINVAL
		}
	}
	v.devMu.Lock()
	minor := m.Minor
	if minor == MiscDynamicMinor {
		minor = 0
		for n := uint32(miscDynamicFirst); n <= MinorMask; n++ {
			if !v.miscDyn[n] {
				minor = n
				break
			}
		}
		if minor == 0 {
			v.devMu.Unlock()
			return abi.EBUSY
		}
	} else {
		if minor > 255 {
			v.devMu.Unlock()
			return abi.EINVAL
		}
		for _, o := range v.misc {
			if o.Minor == minor {
				v.devMu.Unlock()
				return abi.EBUSY
			}
		}
	}
	v.devMu.Unlock()
	mode := m.Mode
	if mode == 0 {
		mode = 0o600
	}
	if err := v.devtmpfsCreateNode(node, S_IFCHR|mode&0o7777, MkDev(MiscMajor, minor)); err != 0 {
		return err
	}
	v.devMu.Lock()
	if minor >= miscDynamicFirst {
		v.miscDyn[minor] = true
	}
	m.Minor = minor
	v.misc = append([]*MiscDevice{m}, v.misc...)
	v.devMu.Unlock()
	return nil
}

// MiscDeregister mirrors misc_deregister: the node goes, the minor is
// freed (a dynamic one is set back to MiscDynamicMinor).
func (v *VFS) MiscDeregister(m *MiscDevice) {
	v.devMu.Lock()
	found := false
	for i, o := range v.misc {
		if o == m {
			v.misc = append(v.misc[:i:i], v.misc[i+1:]...)
			found = true
			break
		}
	}
	if found && m.Minor >= miscDynamicFirst {
		delete(v.miscDyn, m.Minor)
	}
	v.devMu.Unlock()
	if !found {
		return
	}
	node := m.Nodename
	if node == "" {
		node = m.Name
	}
	v.devtmpfsDeleteNode(node)
	if m.Minor >= miscDynamicFirst {
		m.Minor = MiscDynamicMinor
	}
}

// miscFops mirrors misc_fops: the operations of major 10 until misc_open
// replaces them with the driver's.
type miscFops struct{ NoopLlseek }

// Open mirrors misc_open: ENODEV for an unregistered minor; otherwise
// private_data = the miscdevice (before the driver's open, as 4.x+ do),
// the driver's fops replace misc_fops and its open runs.
func (miscFops) Open(inode *Inode, f *File) error {
	v := f.vfs
	minor := inode.Rdev.Minor()
	v.devMu.Lock()
	var m *MiscDevice
	for _, o := range v.misc {
		if o.Minor == minor {
			m = o
			break
		}
	}
	v.devMu.Unlock()
	if m == nil {
		return abi.ENODEV
	}
	f.PrivateData = m
	f.Op = m.Fops
	if op, ok := f.Op.(Opener); ok {
		return op.Open(inode, f)
	}
	return nil
}

// procMisc renders /proc/misc: "%3i %s\n", newest first.
func (v *VFS) procMisc() string {
	v.devMu.Lock()
	defer v.devMu.Unlock()
	var b strings.Builder
	for _, m := range v.misc {
		fmt.Fprintf(&b, "%3d %s\n", m.Minor, m.Name)
	}
	return b.String()
}
