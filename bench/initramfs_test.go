package bench

import (
	"bytes"
	"io"
	"testing"

	"github.com/cavaliergopher/cpio"
	"github.com/stretchr/testify/require"
)

type readBack struct {
	mode cpio.FileMode
	data string
}

// readInitramfs reads an archive back with the same library's reader.
func readInitramfs(t *testing.T, archive []byte) (map[string]readBack, []string) {
	t.Helper()
	r := cpio.NewReader(bytes.NewReader(archive))
	got := map[string]readBack{}
	var order []string
	for {
		hdr, err := r.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		data, err := io.ReadAll(r)
		require.NoError(t, err)
		got[hdr.Name] = readBack{hdr.Mode, string(data)}
		order = append(order, hdr.Name)
	}
	return got, order
}

func TestBenchInitramfsRoundTripsThroughTheCpioReader(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, BenchInitramfs(&buf, []byte("\x7fELF64 bench"), []byte("\x7fELF32 bench!")))
	require.Equal(t, "070701", buf.String()[:6], "newc magic, the format Linux's unpacker reads")
	require.Zero(t, buf.Len()%4, "newc entries are 4-byte aligned")
	got, order := readInitramfs(t, buf.Bytes())
	require.Equal(t, []string{"dev", "proc", "init", "bench32"}, order)
	require.Equal(t, readBack{cpio.TypeDir | 0o755, ""}, got["dev"])
	require.Equal(t, readBack{cpio.TypeDir | 0o555, ""}, got["proc"])
	require.Equal(t, readBack{cpio.TypeReg | 0o755, "\x7fELF64 bench"}, got["init"])
	require.Equal(t, readBack{cpio.TypeReg | 0o755, "\x7fELF32 bench!"}, got["bench32"])
}

func TestBenchInitramfsWithoutI386HasNoBench32(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, BenchInitramfs(&buf, []byte("x"), nil))
	got, _ := readInitramfs(t, buf.Bytes())
	_, ok := got["bench32"]
	require.False(t, ok, "/init powers off instead of exec'ing a missing /bench32")
	require.Contains(t, got, "init")
}

func TestBenchInitramfsWithoutProgramIsAnError(t *testing.T) {
	require.Error(t, BenchInitramfs(io.Discard, nil, []byte("x")))
}

func TestWriteInitramfsRejectsBadEntries(t *testing.T) {
	dir := InitramfsFile{Name: "/d", Mode: 0o755, Dir: true}
	cases := []struct {
		name  string
		files []InitramfsFile
	}{
		{"relative name", []InitramfsFile{{Name: "init", Mode: 0o755}}},
		{"root itself", []InitramfsFile{{Name: "/", Mode: 0o755, Dir: true}}},
		{"empty name", []InitramfsFile{{Name: "", Mode: 0o755}}},
		{"NUL in name", []InitramfsFile{{Name: "/in\x00it", Mode: 0o755}}},
		{"dot-dot", []InitramfsFile{dir, {Name: "/d/../init", Mode: 0o755}}},
		{"trailing slash", []InitramfsFile{{Name: "/init/", Mode: 0o755}}},
		{"double slash", []InitramfsFile{dir, {Name: "/d//x", Mode: 0o755}}},
		{"duplicate", []InitramfsFile{{Name: "/init", Mode: 0o755}, {Name: "/init", Mode: 0o755}}},
		{"child before parent", []InitramfsFile{{Name: "/d/x", Mode: 0o755}, dir}},
		{"type bits in mode", []InitramfsFile{{Name: "/init", Mode: 0o100755}}},
		{"directory with data", []InitramfsFile{{Name: "/d", Mode: 0o755, Dir: true, Data: []byte("x")}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Error(t, WriteInitramfs(io.Discard, c.files))
		})
	}
}

func TestWriteInitramfsNestedFiles(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteInitramfs(&buf, []InitramfsFile{
		{Name: "/etc", Mode: 0o755, Dir: true},
		{Name: "/etc/motd", Mode: 0o644, Data: []byte("hi\n")},
		{Name: "/empty", Mode: 0o600},
	}))
	got, _ := readInitramfs(t, buf.Bytes())
	require.Equal(t, readBack{cpio.TypeReg | 0o644, "hi\n"}, got["etc/motd"])
	require.Equal(t, readBack{cpio.TypeReg | 0o600, ""}, got["empty"])
}
