package abi

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestErrnoPrintsLinuxName(t *testing.T) {
	require.Equal(t, "EBADF", fmt.Sprint(EBADF))
	require.Equal(t, "bad file descriptor", EBADF.Message())
	require.Equal(t, "ENOIOCTLCMD", ENOIOCTLCMD.Name())
	require.Equal(t, "errno 999", Errno(999).Name())
}

func TestErrnoNegIsTwosComplement(t *testing.T) {
	require.Equal(t, uint64(0xfffffffffffffff7), EBADF.Neg())
}

func TestErrnoWorksWithErrorsIs(t *testing.T) {
	err := fmt.Errorf("open: %w", ENOENT)
	require.True(t, errors.Is(err, ENOENT))
	require.False(t, errors.Is(err, EBADF))
}

func TestErrnoOf(t *testing.T) {
	require.Zero(t, ErrnoOf(nil))
	require.Equal(t, EBADF, ErrnoOf(EBADF))
	require.Equal(t, EBADF, ErrnoOf(fmt.Errorf("fd 3: %w", EBADF)), "wrapped")
	require.Equal(t, EIO, ErrnoOf(errors.New("not an errno")), "a kernel bug becomes EIO")
}
