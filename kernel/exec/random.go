package exec

// Randomness for address-space layout. Linux draws from its CRNG; Ringo
// reads the same quantities from an io.Reader the caller passes, so a test
// can replay a layout exactly and the kernel can plug in its entropy pool.

import (
	"encoding/binary"
	"io"
	"math"
)

// getRandomLong mirrors get_random_long: 8 bytes, little-endian.
func getRandomLong(rnd io.Reader) (uint64, error) {
	var b [8]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}

// getRandomU32Below mirrors get_random_u32_below(ceil): a value in
// [0, ceil) by multiply-and-shift of a random u32.
func getRandomU32Below(rnd io.Reader, ceil uint32) (uint32, error) {
	var b [4]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return 0, err
	}
	return uint32(uint64(binary.LittleEndian.Uint32(b[:])) * uint64(ceil) >> 32), nil
}

// randomizePage mirrors mm/util.c:randomize_page: a page-aligned address in
// [start, start+rng), start first rounded up to a page.
func randomizePage(start, rng uint64, rnd io.Reader) (uint64, error) {
	if pageOffset(start) != 0 {
		rng -= pageAlign(start) - start
		start = pageAlign(start)
	}
	if start > math.MaxUint64-rng {
		rng = math.MaxUint64 - start
	}
	rng /= PageSize
	if rng == 0 {
		return start, nil
	}
	r, err := getRandomLong(rnd)
	if err != nil {
		return 0, err
	}
	return start + r%rng*PageSize, nil
}
