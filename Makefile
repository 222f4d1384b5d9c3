# Ringo: two commands do all set-up on a fresh machine.
#   make qemu   boots Ringo and runs its suites
#   make test   host tests, then the QEMU suites
GO     ?= go
RINGO  := build/ringo-tool
MEM    ?= 512M
# qboot: QEMU's minimal firmware (Debian's qemu-system-data ships it).
QBOOT  ?= /usr/share/qemu/qboot.rom

.PHONY: run qemu test host-test qemu-test crashtest gdb build vet clean user user-test bench pgo

$(RINGO): FORCE
	@mkdir -p build
	$(GO) build -o $(RINGO) ./cmd/ringo

FORCE:

build: $(RINGO)
	$(RINGO) build

# make qemu: the in-kernel suite, then every program of build/user run as
# a real process (user/expect.txt says how each must end).
qemu: $(RINGO) user
	$(RINGO) qemu -m $(MEM)

qemu-4g: $(RINGO) user
	$(RINGO) qemu -m 4G

# make run PROG=path/to/static-elf ARGS="..." runs one program on Ringo.
run: $(RINGO)
	$(RINGO) run -- $(PROG) $(ARGS)

crashtest: $(RINGO)
	$(RINGO) crashtest

gdb: $(RINGO)
	$(RINGO) gdb

# make bench: user/bench/bench.c as /init on Ringo and on Debian's stock
# Linux, same QEMU machine, BOOTS boots each; table on stdout, CSV and SVG
# in bench/results/ (bench/README.md).
BOOTS     ?= 3
BENCH_MEM ?= 256M
bench: $(RINGO)
	$(RINGO) bench --vs-linux --boots $(BOOTS) -m $(BENCH_MEM)

# make pgo: refresh cmd/kernel/default.pgo, the CPU profile the kernel
# build optimizes with (go build's -pgo=auto: inlining and devirtualizing
# along the hot paths). It is the task layer's host benchmarks, which run
# the same Go code as the metal between the traps (bench/README.md).
pgo:
	@mkdir -p build
	$(GO) test ./kernel -run '^$$' -bench 'ThroughTaskLayer' -benchtime 1s -o build/kernel.test -cpuprofile cmd/kernel/default.pgo

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

host-test:
	$(GO) test ./...

# The QEMU suites: the in-kernel self-tests with the smallest memory
# Ringo supports (128 MiB: no room there for the user suite's ~40
# programs in its initramfs) under qboot, a firmware that leaves the
# interrupt controllers as reset left them (kernel/nucleus/lapic.go), the
# full suite at 512 MiB and at 4 GiB, the
# latter on a CPU without FSGSBASE (the nucleus's WRMSR fallback), and
# the oops check.
qemu-test: $(RINGO) user
	$(RINGO) qemu -m 128M -user=false -bios $(QBOOT)
	$(RINGO) qemu -m 512M
	$(RINGO) qemu -m 4G -cpu qemu64,+pdpe1gb
	$(RINGO) crashtest

test: vet host-test qemu-test

# The ring-3 test programs (user/README.md): three static builds of each,
# and their check on this host's Linux.
user:
	$(MAKE) -C user OUT=../build/user

user-test:
	$(MAKE) -C user OUT=../build/user check

clean:
	rm -rf build
