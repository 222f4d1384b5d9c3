package amd64

import (
	"bytes"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// Memcpy and ZeroPage are plain loads and stores, so they run on the host.

func TestMemcpyEveryLengthAndAlignment(t *testing.T) {
	src := make([]byte, 300)
	for i := range src {
		src[i] = byte(i*7 + 1)
	}
	for off := 0; off < 9; off++ {
		for n := 0; n <= 200; n++ {
			dst := make([]byte, 300)
			want := make([]byte, 300)
			copy(want[off:off+n], src[3:3+n])
			if n > 0 {
				Memcpy(uintptr(unsafe.Pointer(&dst[off])), uintptr(unsafe.Pointer(&src[3])), uintptr(n))
			}
			require.True(t, bytes.Equal(want, dst), "off %d n %d: copied wrong bytes or wrote outside", off, n)
		}
	}
}

func TestZeroPageClearsExactlyOnePage(t *testing.T) {
	buf := bytes.Repeat([]byte{0xa5}, 3*4096)
	base := (uintptr(unsafe.Pointer(&buf[0])) + 4095) &^ 4095
	start := int(base - uintptr(unsafe.Pointer(&buf[0])))
	ZeroPage(base)
	for i, b := range buf {
		inside := i >= start && i < start+4096
		require.Equal(t, inside, b == 0, "byte %d (page starts at %d)", i, start)
	}
}

func BenchmarkMemcpy512(b *testing.B) {
	src, dst := make([]byte, 512), make([]byte, 512)
	for b.Loop() {
		Memcpy(uintptr(unsafe.Pointer(&dst[0])), uintptr(unsafe.Pointer(&src[0])), 512)
	}
}
