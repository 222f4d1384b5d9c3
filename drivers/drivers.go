package drivers

// This file is the module loader's view of the package: every driver is a
// Module with Linux's module_init/module_exit pair, and Register loads all
// of them into one VFS at boot (the kernel's do_initcalls).

import "github.com/ringo-os/ringo/fs"

// Module is one loadable driver. Init mirrors module_init (register
// devices, proc entries), Exit mirrors module_exit. A Module value holds
// the registration state of one VFS, so each VFS needs its own values.
type Module interface {
	Name() string
	Init(v *fs.VFS) error
	Exit(v *fs.VFS)
}

// Modules returns fresh, unloaded instances of every driver, in load order.
func Modules() []Module {
	return []Module{&FdTest{}, &FdTestBKL{}, &FdTestNocompat{}, &LkmcMmap{}}
}

// Load initialises every module in order. If one fails, those already
// loaded are unloaded again (in reverse order) and the error is returned,
// as a failing initcall leaves no half-registered module behind.
func Load(v *fs.VFS) ([]Module, error) {
	mods := Modules()
	for i, m := range mods {
		if err := m.Init(v); err != nil {
			v.Log.PrErr("drivers: %s: init failed: %v", m.Name(), err)
			Unload(v, mods[:i])
			return nil, err
		}
	}
	return mods, nil
}

// Unload exits the given modules in reverse order.
func Unload(v *fs.VFS, mods []Module) {
	for i := len(mods) - 1; i >= 0; i-- {
		mods[i].Exit(v)
	}
}

// Register loads every driver into v; the kernel calls it once at boot.
func Register(v *fs.VFS) error {
	_, err := Load(v)
	return err
}
