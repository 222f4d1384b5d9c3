package bench

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Two kernel addresses a profile found sharing an entry (clock_gettime's
// handler and a return address inside the function it calls), and
// neighbours that do not.
func TestJumpCacheSlot(t *testing.T) {
	require.Equal(t, 0xfa5, JumpCacheSlot(0xffffffff8052a025))
	require.Equal(t, 0xfa5, JumpCacheSlot(0xffffffff8052a160))
	require.Equal(t, 0x440, JumpCacheSlot(0x401000))
	require.Equal(t, 0x441, JumpCacheSlot(0x401040), "bits 6-11 mixed into the low bits")
	for pc := uint64(0); pc < 1<<20; pc += 4093 {
		require.Less(t, JumpCacheSlot(pc), 4096)
	}
}

// A loop whose blocks end in each way there is: a direct call on the same
// page (chained), a direct jump to another page, SYSCALL, an indirect
// call and a RET (lookups). The two kernel blocks share an entry, and
// both are entered by lookup: a collision.
const jumpLog = `IN: 
0x00401000:  e8 3b 00 00 00           callq    0x401040

IN: 
0x00401040:  e9 bb 1f 00 00           jmp      0x403000

IN: 
0x00403000:  0f 05                    syscall  

IN: 
0xffffffff8052a160:  ff d0                    callq    *%rax

IN: 
0xffffffff8052a025:  c3                       retq     

Trace 0: 0x1 [00000000/0000000000401000/00000040/ff000200] 
Trace 0: 0x2 [00000000/0000000000401040/00000040/ff000200] 
Trace 0: 0x3 [00000000/0000000000403000/00000040/ff000200] 
Trace 0: 0x4 [00000000/ffffffff8052a160/00000040/ff000200] 
Trace 0: 0x5 [00000000/ffffffff8052a025/00000040/ff000200] 
Trace 0: 0x1 [00000000/0000000000401000/00000040/ff000200] 
Trace 0: 0x2 [00000000/0000000000401040/00000040/ff000200] 
`

func TestJumpCacheLookupsAndCollisions(t *testing.T) {
	p, err := ParseTCGLog(strings.NewReader(jumpLog), 0x401000)
	require.NoError(t, err)
	require.Equal(t, "callq *%rax", p.Exits[0xffffffff8052a160], "the last instruction, without its bytes")
	it := p.Iterations[0]
	require.Equal(t, []uint64{0x403000, 0xffffffff8052a160, 0xffffffff8052a025}, p.Lookups(it),
		"0x401040 is chained (a call on its page); the jump to another page, SYSCALL and the indirect call are lookups")
	require.Equal(t, [][]uint64{{0xffffffff8052a025, 0xffffffff8052a160}}, p.JumpCacheCollisions(it))

	syms := &Symbols{addr: []uint64{0x401000, 0xffffffff8052a000, 0xffffffff8052a100}, name: []string{"marker", "github.com/ringo-os/ringo/kernel.callee", "github.com/ringo-os/ringo/kernel.handler"}}
	var out bytes.Buffer
	require.NoError(t, WriteTCGReport(&out, p, syms, 10))
	require.Contains(t, out.String(), "3 jump-cache lookups")
	require.Contains(t, out.String(), "entry 0xfa5, missed every time: kernel.callee+0x25, kernel.handler+0x60")
}
