package fs

// This file is the buffer ring of fs/pipe.c (struct pipe_buffer and the
// head/tail ring of struct pipe_inode_info), shared by pipes and by
// AF_UNIX stream sockets, whose receive queue is the same thing: bytes in
// page-sized pieces, appended at the head by the writer and consumed at
// the tail by the reader.
//
// Pages are recycled the way Linux's anon_pipe_buf_release keeps one spare
// page in pipe->tmp_page: a reader that empties a buffer parks its page,
// and the next writer takes it instead of allocating. A 1-byte
// write+read ping-pong therefore allocates nothing.
//
// Nothing here locks: every method runs under the owner's lock (pipe.mu,
// or the socket pair's lock).

// pipePage is one page of buffered data (struct page).
type pipePage = [pageSize]byte

// pipeBuffer mirrors struct pipe_buffer: the bytes [offset, offset+len)
// of page are unread.
type pipeBuffer struct {
	page   *pipePage
	offset int
	len    int
	packet bool // PIPE_BUF_FLAG_PACKET: written by an O_DIRECT writer
}

// pipeRing is the ring of pipe_inode_info: bufs[tail % size] is the
// oldest buffer, bufs[(head-1) % size] the newest; head-tail is the
// occupancy. len(bufs) is always a power of two, as ring_size is.
type pipeRing struct {
	bufs    []pipeBuffer
	head    uint
	tail    uint
	bytes   int       // unread bytes in all buffers (FIONREAD without a walk)
	tmpPage *pipePage // pipe->tmp_page: one spare page kept for reuse
}

// newPipeRing returns a ring with room for slots buffers (a power of two).
func newPipeRing(slots int) pipeRing { return pipeRing{bufs: make([]pipeBuffer, slots)} }

// occupancy is pipe_occupancy(head, tail).
func (r *pipeRing) occupancy() int { return int(r.head - r.tail) }

// empty is pipe_empty(head, tail).
func (r *pipeRing) empty() bool { return r.head == r.tail }

// size is the ring size in buffers.
func (r *pipeRing) size() int { return len(r.bufs) }

func (r *pipeRing) at(i uint) *pipeBuffer { return &r.bufs[i&uint(len(r.bufs)-1)] }

// oldest is the buffer at the tail. Preconditions: !r.empty().
func (r *pipeRing) oldest() *pipeBuffer { return r.at(r.tail) }

// newest is the buffer just below the head. Preconditions: !r.empty().
func (r *pipeRing) newest() *pipeBuffer { return r.at(r.head - 1) }

// allocPage takes the spare page if there is one (pipe_write's use of
// tmp_page), else a fresh one (alloc_page). Stale bytes in a reused page
// are never visible: a buffer exposes only what was written into it.
func (r *pipeRing) allocPage() *pipePage {
	if p := r.tmpPage; p != nil {
		r.tmpPage = nil
		return p
	}
	return new(pipePage)
}

// appendNewest copies as much of src as fits behind the newest buffer's
// data into its page and returns the count (pipe_write's merge step).
// Preconditions: !r.empty().
func (r *pipeRing) appendNewest(src []byte) int {
	b := r.newest()
	n := copy(b.page[b.offset+b.len:], src)
	b.len += n
	r.bytes += n
	return n
}

// push puts up to one page of src into a new buffer at the head and
// returns the count. Preconditions: r.occupancy() < r.size().
func (r *pipeRing) push(src []byte, packet bool) int {
	page := r.allocPage()
	n := copy(page[:], src)
	*r.at(r.head) = pipeBuffer{page: page, len: n, packet: packet}
	r.head++
	r.bytes += n
	return n
}

// consumeOldest copies up to len(dst) unread bytes of the oldest buffer
// into dst and marks them read; a packet buffer is consumed whole even
// if dst was shorter (pipe_read's PIPE_BUF_FLAG_PACKET rule). An emptied
// buffer is released. It returns the bytes copied and whether the buffer
// was a packet. Preconditions: !r.empty().
func (r *pipeRing) consumeOldest(dst []byte) (n int, packet bool) {
	b := r.oldest()
	n = copy(dst, b.page[b.offset:b.offset+b.len])
	used := n
	if b.packet {
		used = b.len
	}
	b.offset += used
	b.len -= used
	r.bytes -= used
	packet = b.packet
	if b.len == 0 {
		r.releaseOldest()
	}
	return n, packet
}

// releaseOldest mirrors anon_pipe_buf_release + tail++: the page becomes
// the spare one if the ring has none. Preconditions: !r.empty().
func (r *pipeRing) releaseOldest() {
	b := r.oldest()
	r.bytes -= b.len
	if r.tmpPage == nil {
		r.tmpPage = b.page
	}
	*b = pipeBuffer{}
	r.tail++
}

// purge drops every buffer (skb_queue_purge / free_pipe_info) and
// returns how many bytes were unread.
func (r *pipeRing) purge() int {
	n := r.bytes
	for !r.empty() {
		r.releaseOldest()
	}
	return n
}

// resize mirrors pipe_resize_ring: move the buffers to a ring of slots
// entries. Preconditions: r.occupancy() <= slots, slots a power of two.
func (r *pipeRing) resize(slots int) {
	bufs := make([]pipeBuffer, slots)
	n := r.occupancy()
	for i := 0; i < n; i++ {
		bufs[i] = *r.at(r.tail + uint(i))
	}
	r.bufs, r.tail, r.head = bufs, 0, uint(n)
}
