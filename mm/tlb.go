package mm

// TLB is how mm tells the CPU that a translation changed. arch/amd64
// implements it on the metal with INVLPG and a CR3 reload (flush_tlb_page,
// flush_tlb_mm); on the host RecordingTLB counts the calls so tests can
// check that a changed PTE was invalidated.
type TLB interface {
	// Invlpg drops any cached translation of the page holding va.
	Invlpg(va uint64)
	// FlushAll drops every non-global cached translation (a CR3 reload).
	FlushAll()
}

// RecordingTLB is the host's TLB: it remembers what was invalidated.
type RecordingTLB struct {
	Invalidated map[uint64]int // page address -> number of INVLPGs
	Flushes     int
}

// NewRecordingTLB returns an empty RecordingTLB.
func NewRecordingTLB() *RecordingTLB { return &RecordingTLB{Invalidated: map[uint64]int{}} }

// Invlpg implements TLB.
func (t *RecordingTLB) Invlpg(va uint64) { t.Invalidated[pageRoundDown(va)]++ }

// FlushAll implements TLB.
func (t *RecordingTLB) FlushAll() { t.Flushes++ }

// NopTLB is a TLB for address spaces no CPU is running (benchmarks, tests
// that do not look at invalidations).
type NopTLB struct{}

// Invlpg implements TLB.
func (NopTLB) Invlpg(uint64) {}

// FlushAll implements TLB.
func (NopTLB) FlushAll() {}
