package main

import (
	"bytes"
	"io"
	"testing"

	"github.com/cavaliergopher/cpio"
	"github.com/stretchr/testify/require"
)

func TestInitramfsRoundTrip(t *testing.T) {
	img, err := packInitramfs([]initramfsFile{
		{Guest: "/init", Data: []byte("\x7fELF...")},
		{Guest: "/etc/ringo/argv", Data: []byte("prog\x00a\x00"), Mode: 0o644},
	})
	require.NoError(t, err)
	r := cpio.NewReader(bytes.NewReader(img))
	got := map[string]string{}
	for {
		h, err := r.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		b, _ := io.ReadAll(r)
		kind := "f"
		if h.Mode&cpio.TypeDir != 0 && h.Mode&cpio.TypeReg == 0 {
			kind = "d"
		}
		got[h.Name] = kind + ":" + string(b)
	}
	require.Equal(t, map[string]string{
		"dev": "d:", "proc": "d:", "tmp": "d:", "etc": "d:", "etc/ringo": "d:",
		"init": "f:\x7fELF...", "etc/ringo/argv": "f:prog\x00a\x00",
	}, got)
}

func TestInitramfsRejectsRelativePaths(t *testing.T) {
	_, err := packInitramfs([]initramfsFile{{Guest: "init"}})
	require.Error(t, err)
	_, err = packInitramfs([]initramfsFile{{Guest: "/a/../b"}})
	require.Error(t, err)
}
