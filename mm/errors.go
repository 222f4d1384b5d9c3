package mm

import "github.com/ringo-os/ringo/abi"

// Short names for the errnos mm returns most.
const (
	errFault = abi.EFAULT
	errBusy  = abi.EBUSY
	errInval = abi.EINVAL
	errNoMem = abi.ENOMEM
)
