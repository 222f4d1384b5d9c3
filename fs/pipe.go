package fs

import (
	"fmt"
	"sync"

	"github.com/ringo-os/ringo/abi"
)

// This file is fs/pipe.c: pipe2(2), a ring of page-sized buffers (16 by
// default = 64 KiB), blocking and O_NONBLOCK I/O, EPIPE, atomic writes of
// up to PIPE_BUF bytes, packet mode (O_DIRECT), FIONREAD, and
// F_GETPIPE_SZ/F_SETPIPE_SZ.

const (
	pipeDefBuffers = 16      // PIPE_DEF_BUFFERS
	pipeMaxSize    = 1 << 20 // /proc/sys/fs/pipe-max-size default
)

// pipe mirrors struct pipe_inode_info.
type pipe struct {
	mu       sync.Mutex // pipe->mutex
	ring     pipeRing   // the buffers (pipe_buffer.go)
	maxUsage int        // slots the pipe may use (max_usage)
	readers  int
	writers  int
	rdWait   WaitQueue // readers wait here for data (rd_wait)
	wrWait   WaitQueue // writers wait here for room (wr_wait)
}

func newPipe() *pipe { return &pipe{ring: newPipeRing(pipeDefBuffers), maxUsage: pipeDefBuffers} }

// full is pipe_full(head, tail, max_usage). Preconditions: p.mu held.
func (p *pipe) full() bool { return p.ring.occupancy() >= p.maxUsage }

// available is the unread byte count (FIONREAD). Preconditions: p.mu held.
func (p *pipe) available() int { return p.ring.bytes }

// pipeFops mirrors pipefifo_fops. It has no llseek: lseek is ESPIPE.
type pipeFops struct{}

// Pipe2 mirrors pipe2(2): fds[0] reads, fds[1] writes. Flags other than
// O_CLOEXEC|O_NONBLOCK|O_DIRECT|O_NOTIFICATION_PIPE are EINVAL;
// notification pipes need CONFIG_WATCH_QUEUE, which Ringo lacks (ENOPKG).
func (v *VFS) Pipe2(c *Caller, flags uint32) ([2]int, abi.Errno) {
	if flags&^(O_CLOEXEC|O_NONBLOCK|O_DIRECT|O_NOTIFICATION_PIPE) != 0 {
		return [2]int{-1, -1}, abi.EINVAL
	}
	if flags&O_NOTIFICATION_PIPE != 0 {
		return [2]int{-1, -1}, errENOPKG
	}
	r, w := v.CreatePipeFiles(flags)
	fd0, err := c.Files.GetUnusedFdFlags(flags, c.NoFile)
	if err != 0 {
		r.DecRef()
		w.DecRef()
		return [2]int{-1, -1}, err
	}
	fd1, err := c.Files.GetUnusedFdFlags(flags, c.NoFile)
	if err != 0 {
		c.Files.PutUnusedFd(fd0)
		r.DecRef()
		w.DecRef()
		return [2]int{-1, -1}, err
	}
	c.Files.FdInstall(fd0, r)
	c.Files.FdInstall(fd1, w)
	return [2]int{fd0, fd1}, 0
}

// errENOPKG is ENOPKG (65), "package not installed".
const errENOPKG = abi.Errno(65)

// CreatePipeFiles mirrors create_pipe_files: a read file and a write file
// on one pipefs inode (S_IFIFO|0600), both stream files.
func (v *VFS) CreatePipeFiles(flags uint32) (r, w *File) {
	inode := v.newInode(v.pipeSb, S_IFIFO|0o600)
	p := newPipe()
	p.readers, p.writers = 1, 1
	inode.Private = p
	name := fmt.Sprintf("pipe:[%d]", inode.Ino)
	mk := func(acc uint32) *File {
		f := v.newFile(inode, pipeFops{}, acc|flags&(O_NONBLOCK|O_DIRECT))
		f.pseudoName = name
		f.Mode |= FModeStream
		f.setCanReadWrite()
		return f
	}
	return mk(O_RDONLY), mk(O_WRONLY)
}

func pipeOf(f *File) *pipe { return f.Inode.Private.(*pipe) }

// Read mirrors pipe_read.
func (pipeFops) Read(c *Caller, f *File, dst []byte, pos *int64) (int, error) {
	if len(dst) == 0 {
		return 0, nil
	}
	p := pipeOf(f)
	p.mu.Lock()
	defer p.mu.Unlock()
	ret := 0
	for {
		if !p.ring.empty() {
			wasFull := p.full()
			for !p.ring.empty() && ret < len(dst) {
				n, packet := p.ring.consumeOldest(dst[ret:])
				ret += n
				if packet {
					break // a packet is read whole or its rest is dropped
				}
			}
			if wasFull || ret > 0 {
				p.wrWait.Wake(EPOLLOUT | EPOLLWRNORM)
			}
			return ret, nil
		}
		if p.writers == 0 {
			return 0, nil
		}
		if f.Nonblocking() {
			return 0, abi.EAGAIN
		}
		if err := waitEvent(c, &p.mu, &p.rdWait, nil, func() bool { return !p.ring.empty() || p.writers == 0 }); err != 0 {
			return 0, err
		}
	}
}

// Write mirrors pipe_write. A write of at most PIPE_BUF bytes needs one
// slot (or fits the tail of the last one) and so is never split. Finding
// no reader, at the start or after the last one left while the writer
// slept, sends SIGPIPE and ends the write: EPIPE if nothing was written,
// else the count. (Lock order: p.mu, then the signal lock.)
func (pipeFops) Write(c *Caller, f *File, src []byte, pos *int64) (int, error) {
	if len(src) == 0 {
		return 0, nil
	}
	p := pipeOf(f)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.readers == 0 {
		c.sendSig(abi.SIGPIPE)
		return 0, abi.EPIPE
	}
	packet := f.Flags()&O_DIRECT != 0
	ret := 0
	// Merge the sub-page remainder into the newest buffer if it fits
	// whole behind that buffer's data (PIPE_BUF_FLAG_CAN_MERGE).
	if chars := len(src) % pageSize; chars != 0 && !p.ring.empty() && !packet {
		last := p.ring.newest()
		if !last.packet && last.offset+last.len+chars <= pageSize {
			ret = p.ring.appendNewest(src[:chars])
			p.rdWait.Wake(EPOLLIN | EPOLLRDNORM)
			if ret == len(src) {
				return ret, nil
			}
		}
	}
	for {
		if p.readers == 0 {
			c.sendSig(abi.SIGPIPE)
			if ret == 0 {
				return 0, abi.EPIPE
			}
			return ret, nil
		}
		if !p.full() {
			ret += p.ring.push(src[ret:], packet)
			p.rdWait.Wake(EPOLLIN | EPOLLRDNORM)
			if ret == len(src) {
				return ret, nil
			}
			continue
		}
		if f.Nonblocking() {
			if ret == 0 {
				return 0, abi.EAGAIN
			}
			return ret, nil
		}
		if err := waitEvent(c, &p.mu, &p.wrWait, nil, func() bool { return !p.full() || p.readers == 0 }); err != 0 {
			if ret > 0 {
				return ret, nil
			}
			return 0, err
		}
	}
}

// Poll mirrors pipe_poll.
func (pipeFops) Poll(f *File, pt *PollTable) PollMask {
	p := pipeOf(f)
	PollWait(pt, &p.rdWait)
	PollWait(pt, &p.wrWait)
	p.mu.Lock()
	defer p.mu.Unlock()
	var m PollMask
	if f.Mode&FModeRead != 0 {
		if !p.ring.empty() {
			m |= EPOLLIN | EPOLLRDNORM
		}
		if p.writers == 0 {
			m |= EPOLLHUP
		}
	}
	if f.Mode&FModeWrite != 0 {
		if !p.full() {
			m |= EPOLLOUT | EPOLLWRNORM
		}
		if p.readers == 0 {
			m |= EPOLLERR
		}
	}
	return m
}

// UnlockedIoctl mirrors pipe_ioctl: FIONREAD is the bytes buffered.
func (pipeFops) UnlockedIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	if cmd != FIONREAD {
		return 0, abi.ENOIOCTLCMD
	}
	p := pipeOf(f)
	p.mu.Lock()
	n := p.available()
	p.mu.Unlock()
	return 0, errOrNil(c.putUserInt32(arg, int32(n)))
}

// CompatIoctl: pipe_ioctl's FIONREAD layout is the same for 32-bit callers.
func (o pipeFops) CompatIoctl(c *Caller, f *File, cmd uint32, arg uintptr) (int64, error) {
	return o.UnlockedIoctl(c, f, cmd, uintptr(uint32(arg)))
}

// Release mirrors pipe_release: the peer learns about EOF/EPIPE.
func (pipeFops) Release(inode *Inode, f *File) {
	p := pipeOf(f)
	p.mu.Lock()
	if f.Mode&FModeRead != 0 {
		p.readers--
	}
	if f.Mode&FModeWrite != 0 {
		p.writers--
	}
	p.rdWait.Wake(EPOLLIN | EPOLLHUP)
	p.wrWait.Wake(EPOLLOUT | EPOLLERR)
	p.mu.Unlock()
}

// roundPipeSize mirrors round_pipe_size: 0 for > 2^31.
func roundPipeSize(size uint64) uint64 {
	if size > 1<<31 {
		return 0
	}
	if size < pageSize {
		return pageSize
	}
	n := uint64(1)
	for n < size {
		n <<= 1
	}
	return n
}

// pipeFcntl mirrors pipe_fcntl: EBADF on a non-pipe.
func pipeFcntl(c *Caller, f *File, cmd uint32, arg uint32) (int64, abi.Errno) {
	if _, ok := f.Op.(pipeFops); !ok {
		return 0, abi.EBADF
	}
	p := pipeOf(f)
	p.mu.Lock()
	defer p.mu.Unlock()
	if cmd == F_GETPIPE_SZ {
		return int64(p.maxUsage * pageSize), 0
	}
	size := roundPipeSize(uint64(arg))
	slots := int(size / pageSize)
	if slots == 0 {
		return 0, abi.EINVAL
	}
	if slots > p.maxUsage && size > pipeMaxSize && !c.Privileged {
		return 0, abi.EPERM
	}
	if slots < p.ring.occupancy() {
		return 0, abi.EBUSY
	}
	p.ring.resize(slots)
	p.maxUsage = slots
	p.wrWait.Wake(EPOLLOUT | EPOLLWRNORM)
	return int64(size), 0
}

// fifoOps is the i_fop of a FIFO node (mknod S_IFIFO): opens share one
// pipe per inode. Differs from Linux: a blocking open does not wait for
// the other end (fifo_open's wait_for_partner); O_WRONLY|O_NONBLOCK
// without readers is ENXIO as in Linux.
type fifoOps struct{}

func (fifoOps) Open(inode *Inode, f *File) error {
	inode.mu.Lock()
	p, _ := inode.Private.(*pipe)
	if p == nil {
		p = newPipe()
		inode.Private = p
	}
	inode.mu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if f.Mode&FModeWrite != 0 && f.Mode&FModeRead == 0 && p.readers == 0 && f.Nonblocking() {
		return abi.ENXIO
	}
	if f.Mode&FModeRead != 0 {
		p.readers++
	}
	if f.Mode&FModeWrite != 0 {
		p.writers++
	}
	f.Op = pipeFops{}
	f.Mode |= FModeStream
	f.Mode &^= FModeLseek | FModePread | FModePwrite | FModeAtomicPos
	return nil
}
