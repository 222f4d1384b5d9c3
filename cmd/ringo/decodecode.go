package main

// decodeCode disassembles the "Code:" line of an oops, as Linux's
// scripts/decodecode does: the bytes before the <xx> marker are decoded
// from the first offset that lines up with the faulting instruction, the
// faulting instruction is marked "<-- trapping instruction".

import (
	"encoding/hex"
	"fmt"
	"strings"

	"golang.org/x/arch/x86/x86asm"
)

func decodeCode(s string) []string {
	var code []byte
	mark := -1
	for _, f := range strings.Fields(s) {
		if strings.HasPrefix(f, "<") && strings.HasSuffix(f, ">") {
			mark = len(code)
			f = strings.Trim(f, "<>")
		}
		b, err := hex.DecodeString(f)
		if err != nil || len(b) != 1 {
			return nil
		}
		code = append(code, b[0])
	}
	if mark < 0 {
		return nil
	}
	// Find the earliest start whose decoding lands exactly on mark.
	start := mark
	for s := 0; s < mark; s++ {
		if decodesTo(code[s:], mark-s) {
			start = s
			break
		}
	}
	var out []string
	for pc := start; pc < len(code); {
		inst, err := x86asm.Decode(code[pc:], 64)
		if err != nil {
			break
		}
		line := fmt.Sprintf("Code: %+4d: %-24x %s", pc-mark, code[pc:pc+inst.Len], x86asm.GNUSyntax(inst, 0, nil))
		if pc == mark {
			line += "\t<-- trapping instruction"
		}
		out = append(out, line)
		pc += inst.Len
	}
	return out
}

func decodesTo(code []byte, target int) bool {
	pc := 0
	for pc < target {
		inst, err := x86asm.Decode(code[pc:], 64)
		if err != nil {
			return false
		}
		pc += inst.Len
	}
	return pc == target
}
