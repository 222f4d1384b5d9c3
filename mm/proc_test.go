package mm

import (
	"encoding/binary"
	"testing"

	"github.com/ringo-os/ringo/abi"
	"github.com/stretchr/testify/require"
)

func TestMapsLinesAreByteIdenticalToLinux(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	bin := &fakeFile{read: true, name: "/bin/seed2", ino: 1234}
	f, _ := newDriverFile(t)
	_, err := as.Mmap(0x400000, PageSize, ProtRead|ProtExec, MapPrivate|MapFixed, 3, 0, lookupOf(bin))
	require.NoError(t, err)
	_, err = as.Mmap(0x401000, PageSize, rw, MapPrivate|MapFixed, 3, PageSize, lookupOf(bin))
	require.NoError(t, err)
	require.NoError(t, as.SetStartBrk(0x402000))
	as.Brk(0x403000)
	_, err = as.Mmap(0x7ffff7ff0000, PageSize, rw, MapShared|MapFixed, 3, 0, lookupOf(f))
	require.NoError(t, err)
	_, err = as.Mmap(0x7ffff7ff2000, PageSize, rw, MapShared|MapAnonymous|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	_, err = as.Mmap(0x7ffff7ff4000, 2*PageSize, ProtNone, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	_, err = as.SetupStack(33 * PageSize)
	require.NoError(t, err)
	want := "" +
		"00400000-00401000 r-xp 00000000 08:01 1234                               /bin/seed2\n" +
		"00401000-00402000 rw-p 00001000 08:01 1234                               /bin/seed2\n" +
		"00402000-00403000 rw-p 00000000 00:00 0                                  [heap]\n" +
		"7ffff7ff0000-7ffff7ff1000 rw-s 00000000 08:01 4026531842                 /proc/lkmc_mmap\n" +
		"7ffff7ff2000-7ffff7ff3000 rw-s 00000000 00:01 1                          /dev/zero (deleted)\n" +
		"7ffff7ff4000-7ffff7ff6000 ---p 00000000 00:00 0 \n" +
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
	require.Equal(t, want, as.Maps())
}
func TestMapsOfCompatTaskUsesEightDigitAddresses(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout32())
	_, err := as.Mmap2(0x08048000, PageSize, ProtRead, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	require.Equal(t, "08048000-08049000 r--p 00000000 00:00 0 \n", as.Maps())
}

func TestPagemapReadRules(t *testing.T) {
	e := newEnv(t, 16)
	as := e.newAS(t, Layout64())
	a, err := as.Mmap(base, 2*PageSize, rw, anonPriv|MapFixed, -1, 0, nil)
	require.NoError(t, err)
	require.True(t, as.UserAccess(a+PageSize, AccessWrite).OK())
	off := int64(a>>12) * 8
	for _, c := range []struct {
		name  string
		off   int64
		n     int
		wantN int
		err   error
	}{
		{"count not a multiple of 8", off, 4, 0, abi.EINVAL},
		{"offset not a multiple of 8", 3, 8, 0, abi.EINVAL},
		{"negative offset", -8, 8, 0, abi.EINVAL},
		{"count 0", off, 0, 0, nil},
		{"two entries", off, 16, 16, nil},
		{"past the end", int64(TaskSize64>>12) * 8, 8, 0, nil},
		{"huge offset", 1<<62 - 8, 8, 0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			buf := make([]byte, c.n)
			n, err := as.ReadPagemap(buf, c.off, true)
			require.Equal(t, c.wantN, n)
			if c.err != nil {
				require.ErrorIs(t, err, c.err)
			} else {
				require.NoError(t, err)
			}
		})
	}
	buf := make([]byte, 16)
	_, err = as.ReadPagemap(buf, off, true)
	require.NoError(t, err)
	require.Zero(t, binary.LittleEndian.Uint64(buf), "untouched page")
	second := binary.LittleEndian.Uint64(buf[8:])
	require.Equal(t, PMPresent|PMExclusive, second&^PMPFNMask)
	require.Equal(t, as.pt.Walk(a+PageSize).Addr()>>12, second&PMPFNMask)
}
