package fs

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Two generators are keyed apart, a stream never repeats a block, and
// concurrent readers each get whole, distinct reads.
func TestCRNGStreams(t *testing.T) {
	a, b := NewCRNG(), NewCRNG()
	x, y, z := make([]byte, 64), make([]byte, 64), make([]byte, 64)
	n, err := a.Read(x)
	require.NoError(t, err)
	require.Equal(t, 64, n)
	a.Read(y)
	b.Read(z)
	require.NotEqual(t, x, y, "the stream moves on")
	require.NotEqual(t, x, z, "each generator has its own key")
	require.NotEqual(t, make([]byte, 64), x)

	seen := make(map[[32]byte]bool)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				var buf [32]byte
				a.Read(buf[:])
				mu.Lock()
				seen[buf] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Len(t, seen, 800)
}
