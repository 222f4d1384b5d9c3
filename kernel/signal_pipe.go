package kernel

// SIGPIPE: a write to a pipe without readers or to a socket whose peer
// cannot receive fails with EPIPE and sends SIGPIPE to the writing thread
// (send_sig: SI_USER from the writer itself). Its default action kills; a
// program that ignores it just sees EPIPE. As in Linux, the pipe and the
// socket send it themselves, when they find no reader (fs/pipe.go,
// fs/af_unix.go): a pipe write that already moved some bytes returns
// the count and still sends it. They reach the thread through the
// Caller's SendSig, which is sendSig below.

// sendSig is send_sig(sig, current, 0) for the VFS.
func (t *Task) sendSig(sig int) {
	t.proc.sendSigInfo(t.userInfo(int32(sig), siUSER), t)
}
