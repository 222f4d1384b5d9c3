package main

import (
	"debug/elf"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestOnePage(t *testing.T) {
	names := []string{"a", "b", "c"}
	sym := func(name string, at, size uint64) elf.Symbol { return elf.Symbol{Name: name, Value: at, Size: size} }

	// The group from 0x804d4000 to 0x804d4660: one page, in any order.
	require.NoError(t, onePage([]elf.Symbol{sym("c", 0x804d44a0, 0x1c0), sym("x", 0x804d3000, 0x5000), sym("a", 0x804d4000, 0x2a0), sym("b", 0x804d42a0, 0xa0)}, names))
	// Ending exactly at the page's end is still one page.
	require.NoError(t, onePage([]elf.Symbol{sym("a", 0x804d4000, 0x800), sym("b", 0x804d4800, 0x400), sym("c", 0x804d4c00, 0x400)}, names))

	// One byte over.
	err := onePage([]elf.Symbol{sym("a", 0x804d4000, 0x800), sym("b", 0x804d4800, 0x400), sym("c", 0x804d4c00, 0x401)}, names)
	require.ErrorContains(t, err, "cross a page")
	// The tail placed before the group, on the page below (what a static
	// symbol did before the check).
	err = onePage([]elf.Symbol{sym("c", 0x804d3ca0, 0x160), sym("a", 0x804d4000, 0x2a0), sym("b", 0x804d42a0, 0xa0)}, names)
	require.ErrorContains(t, err, "cross a page")
	// A renamed function is not silently left out.
	err = onePage([]elf.Symbol{sym("a", 0x804d4000, 0x2a0), sym("b", 0x804d42a0, 0xa0)}, names)
	require.ErrorContains(t, err, "[c]")
}
