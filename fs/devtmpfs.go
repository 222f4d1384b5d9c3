package fs

import (
	"strings"

	"github.com/ringo-os/ringo/abi"
)

// This file is drivers/base/devtmpfs.c: a ramfs instance mounted at /dev
// whose nodes appear when a device registers, plus the boot-time devices
// (drivers/char/mem.c majors 1 and tty majors 5).

const devtmpfsMagic = 0x01021994

// mountDevtmpfs builds /dev and the boot devices.
func (v *VFS) mountDevtmpfs() {
	sb := &SuperBlock{Type: "devtmpfs", Magic: devtmpfsMagic, Dev: v.anonDev(), BlockSize: pageSize}
	root := newDentry("/", nil, v.newRamfsInode(sb, S_IFDIR|0o755, 0))
	v.ns.Lock()
	devDir, _ := v.createLocked(nil, v.root, "dev", S_IFDIR|0o755, 0)
	v.ns.Unlock()
	m, _ := v.Mount(Path{v.root.Mnt, devDir}, sb, root, 0)
	v.devRoot = Path{m, root}

	v.RegisterChrdev(memMajor, "mem", memFops{})
	v.RegisterChrdev(ttyMajor, "tty", ttyFops{})
	v.RegisterChrdev(MiscMajor, "misc", miscFops{})
	for _, d := range memDevices {
		v.devtmpfsCreateNode(d.name, S_IFCHR|d.mode, MkDev(memMajor, d.minor))
	}
	v.devtmpfsCreateNode("tty", S_IFCHR|0o666, MkDev(ttyMajor, 0))
	v.devtmpfsCreateNode("console", S_IFCHR|0o600, MkDev(ttyMajor, 1))
}

// DeviceCreate mirrors device_create for a driver that registered a
// major with RegisterChrdev: the node /dev/<name> appears.
func (v *VFS) DeviceCreate(name string, dev DevT, mode uint32) error {
	if name == "" || strings.ContainsRune(name, 0) || strings.HasPrefix(name, "/") {
		return abi.EINVAL
	}
	if err := v.devtmpfsCreateNode(name, S_IFCHR|mode&0o7777, dev); err != 0 {
		return err
	}
	return nil
}

// DeviceDestroy mirrors device_destroy: the node goes.
func (v *VFS) DeviceDestroy(name string) { v.devtmpfsDeleteNode(name) }

// devtmpfsCreateNode mirrors devtmpfs's handle_create: intermediate
// directories are created ("net/tun"); an existing name is EEXIST.
func (v *VFS) devtmpfsCreateNode(name string, mode uint32, dev DevT) abi.Errno {
	v.ns.Lock()
	defer v.ns.Unlock()
	dir := v.devRoot
	parts := strings.Split(name, "/")
	for _, p := range parts[:len(parts)-1] {
		d := dir.Dentry.children[p]
		if d == nil {
			var err abi.Errno
			if d, err = v.createLocked(nil, dir, p, S_IFDIR|0o755, 0); err != 0 {
				return err
			}
		} else if !d.Inode.IsDir() {
			return abi.ENOTDIR
		}
		dir = Path{dir.Mnt, d}
	}
	_, err := v.createLocked(nil, dir, parts[len(parts)-1], mode, dev)
	return err
}

// devtmpfsDeleteNode mirrors handle_remove.
func (v *VFS) devtmpfsDeleteNode(name string) {
	v.ns.Lock()
	defer v.ns.Unlock()
	d := v.devRoot.Dentry
	for _, p := range strings.Split(name, "/") {
		if d = d.children[p]; d == nil {
			return
		}
	}
	delete(d.Parent.children, d.Name)
	d.deleted = true
	d.Inode.dropLink()
}
