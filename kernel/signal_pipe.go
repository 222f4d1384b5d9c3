package kernel

// SIGPIPE: a write to a pipe without readers or to a socket whose peer
// cannot receive fails with EPIPE and, as in Linux's pipe_write and
// sk_stream_error (without MSG_NOSIGNAL), sends SIGPIPE to the writing
// thread (send_sig: SI_USER from the writer itself). Its default action
// kills; a program that ignores it just sees EPIPE.
//
// Differences: Linux also sends it when a pipe write that already moved
// some bytes finds the readers gone (and returns the count); Ringo's
// transfer loop reports the count without the signal.

import "github.com/ringo-os/ringo/abi"

// sigpipeOnEPIPE passes a write's result through, sending SIGPIPE first
// when it is EPIPE.
func (t *Task) sigpipeOnEPIPE(n uint64, err error) (uint64, error) {
	if err == abi.EPIPE {
		t.proc.sendSigInfo(t.userInfo(sigPIPE, siUSER), t)
	}
	return n, err
}
