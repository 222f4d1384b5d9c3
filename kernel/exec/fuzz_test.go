package exec

// Hostile files: go test -fuzz=FuzzLoad explores from the checked-in seeds
// in testdata/fuzz/FuzzLoad; TestMutatedRealBinariesNeverPanic replays a
// fixed-seed stream of mutations of real binaries on every go test.

import (
	"bytes"
	"debug/elf"
	"errors"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

// execErrnos are the only errnos the loader may produce.
var execErrnos = map[abi.Errno]bool{
	abi.ENOEXEC: true, abi.EINVAL: true, abi.EIO: true, abi.EOVERFLOW: true, abi.EFAULT: true, abi.ENOMEM: true,
}

// checkAnyFile loads a file and, if it loads, plans it and builds a stack,
// checking the invariants the kernel relies on. It returns the errno of
// the first failure, or 0.
func checkAnyFile(t testing.TB, r interface {
	ReadAt([]byte, int64) (int, error)
}, size int64) abi.Errno {
	img, err := Load(r, size, Options{IA32: true})
	if err != nil {
		return requireExecError(t, err)
	}
	base := uint64(0)
	if img.Relocatable() {
		base = 0x7f0000000000
		if img.ABI == ABIIA32 {
			base = 0xf0000000
		}
	}
	pl, err := img.Plan(base)
	if err != nil {
		return requireExecError(t, err)
	}
	ts := img.ABI.TaskSize()
	for _, s := range pl.Segments {
		require.Zero(t, pageOffset(s.Start))
		require.Zero(t, pageOffset(s.FileLen))
		require.Zero(t, pageOffset(s.FileOffset))
		require.True(t, fits(s.Start, s.FileLen, ts), "file part within TASK_SIZE")
		require.LessOrEqual(t, s.AnonStart, s.AnonEnd)
		require.True(t, fits(s.AnonStart, s.AnonEnd-s.AnonStart, ts), "bss within TASK_SIZE")
		require.LessOrEqual(t, s.ZeroStart, s.ZeroEnd)
		require.LessOrEqual(t, s.ZeroEnd-s.ZeroStart, uint64(PageSize))
	}
	require.Less(t, pl.Entry, ts)
	args, err := CopyStrings("/x", []string{"x"}, []string{"A=B"}, 8<<20)
	require.NoError(t, err)
	st, err := BuildStack(StackParams{Args: args, Plan: pl, RlimitStack: 8 << 20, RandomizeVASpace: 2,
		Rand: rand.NewChaCha8([32]byte{1})})
	require.NoError(t, err)
	require.Zero(t, st.SP%16)
	require.LessOrEqual(t, st.Top, ts)
	return 0
}

func requireExecError(t testing.TB, err error) abi.Errno {
	var e *Error
	require.True(t, errors.As(err, &e), "%v is not an *exec.Error", err)
	require.True(t, execErrnos[e.Errno], "unexpected errno %v", e.Errno)
	require.NotEmpty(t, e.Reason)
	return e.Errno
}

func FuzzLoad(f *testing.F) {
	for _, s := range []elfSpec{validSpec(ABI64), validSpec(ABIIA32), pieSpec(ABI64), pieSpec(ABIIA32)} {
		f.Add(buildELF(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAnyFile(t, bytes.NewReader(data), int64(len(data)))
	})
}

// overlay is a file whose first bytes were mutated; the rest is shared
// with the original so a mutation of an 800 KiB binary copies nothing big.
type overlay struct {
	head, base []byte
	size       int64
}

func (o *overlay) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) && off+int64(n) < o.size {
		i := off + int64(n)
		if i < int64(len(o.head)) {
			p[n] = o.head[i]
		} else {
			p[n] = o.base[i]
		}
		n++
	}
	if n < len(p) {
		return n, errEOF
	}
	return n, nil
}

var errEOF = errors.New("EOF") // any error: Load must treat it as a short read

func TestMutatedRealBinariesNeverPanic(t *testing.T) {
	bases := [][]byte{buildELF(validSpec(ABI64)), buildELF(validSpec(ABIIA32)), buildELF(pieSpec(ABI64))}
	for _, name := range []string{"glibc64", "glibc64-static-pie", "musl64", "glibc-i386"} {
		if path, err := compileVariant(variantNamed(t, name)); err == nil {
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			bases = append(bases, b)
		} else {
			t.Logf("mutating hand-built files only for %s: %v", name, err)
		}
	}
	rng := rand.New(rand.NewPCG(0x5eed, 2024))
	outcomes := map[abi.Errno]int{}
	const iterations = 4000
	for i := range iterations {
		base := bases[rng.IntN(len(bases))]
		headLen := min(len(base), 4096)
		head := append([]byte(nil), base[:headLen]...)
		for range 1 + rng.IntN(8) {
			// Bias mutations towards the ELF header and program headers.
			pos := rng.IntN(min(headLen, 64+13*56))
			switch rng.IntN(3) {
			case 0:
				head[pos] = byte(rng.Uint32())
			case 1:
				head[pos] ^= 1 << rng.IntN(8)
			default:
				head[pos] = []byte{0, 0xff, 0x7f, 0x80, 1}[rng.IntN(5)]
			}
		}
		size := int64(len(base))
		if rng.IntN(4) == 0 {
			size = rng.Int64N(size + 1)
		}
		o := &overlay{head: head, base: base, size: size}
		errno := func() (e abi.Errno) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("iteration %d panicked: %v", i, r)
				}
			}()
			return checkAnyFile(t, o, size)
		}()
		outcomes[errno]++
	}
	t.Logf("outcomes over %d mutations: %v", iterations, outcomes)
	require.Greater(t, outcomes[0], iterations/20, "some mutations still load")
	require.Greater(t, outcomes[abi.ENOEXEC], iterations/20, "some mutations are rejected")
}

// TestLoadOfEveryPrefixOfARealBinary truncates a real binary at every
// length up to its program headers' end and some beyond.
func TestLoadOfEveryPrefixOfARealBinary(t *testing.T) {
	file := buildELF(validSpec(ABI64))
	if path, err := compileVariant(variantNamed(t, "glibc64")); err == nil {
		file, err = os.ReadFile(path)
		require.NoError(t, err)
	}
	ef, err := elf.NewFile(bytes.NewReader(file))
	require.NoError(t, err)
	phEnd := 64 + 56*len(ef.Progs)
	for n := 0; n <= phEnd+64; n++ {
		errno := checkAnyFile(t, bytes.NewReader(file[:n]), int64(n))
		if n < phEnd {
			require.Equal(t, abi.ENOEXEC, errno, "prefix of %d bytes", n)
		}
	}
}
