// Package kernel is the nucleus that hosts the Go runtime on bare metal
// (threads for the runtime's Ms, futex, the runtime's mmap over real page
// tables, epoll/eventfd for the netpoller, signal delivery to the runtime)
// and, above the runtime, the process and task model.
package kernel
