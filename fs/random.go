package fs

// The kernel's random bytes. /dev/random, /dev/urandom, getrandom(2) and
// AT_RANDOM all read one generator, as in Linux, where they all read the
// crng of drivers/char/random.c (get_random_bytes: ChaCha20 keyed from an
// entropy pool). Ringo's crng is ChaCha8 (math/rand/v2's cryptographically
// strong generator), keyed once from the Go runtime's own random state,
// which the nucleus seeds at boot from the TSC and the RTC: there is no
// entropy device, so the key is only as unpredictable as that seed.
//
// crypto/rand would do the same job by asking the nucleus for every byte
// (getrandom), and it brings some thirty packages (crypto/internal/fips140
// and math/big among them) whose initialisation runs at every boot.

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
)

// CRNG is a locked ChaCha8 stream: safe for concurrent readers.
type CRNG struct {
	mu sync.Mutex
	c  *rand.ChaCha8
}

// NewCRNG keys a generator from the runtime's random state.
func NewCRNG() *CRNG {
	var key [32]byte
	for i := 0; i < len(key); i += 8 {
		binary.LittleEndian.PutUint64(key[i:], rand.Uint64())
	}
	return &CRNG{c: rand.NewChaCha8(key)}
}

// Read fills b; it never fails.
func (r *CRNG) Read(b []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.c.Read(b)
}
