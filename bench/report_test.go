package bench

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenTable is a two-kernel table with every kind of cell.
func goldenTable(t *testing.T) Table {
	ringo := sideOf(t, "Ringo",
		[]string{"boot_to_main ns=120000000", "getpid ns=410.5 cycles=1000", "ioctl_enotty ns=900", "fault error=ENOSYS op=mmap", "dev ns=2000"},
		[]string{"boot_to_main ns=130000000", "getpid ns=400.25 cycles=1100", "ioctl_enotty ns=950", "fault ns=1", "dev ns=2100"},
	)
	linux := sideOf(t, "Linux",
		[]string{"boot_to_main ns=1500000000", "getpid ns=352.7 cycles=900", "ioctl_enotty ns=647.9", "fault ns=5169", "dev n/a reason=no-/dev/fd_test"},
		[]string{"boot_to_main ns=1600000000", "getpid ns=340 cycles=880", "ioctl_enotty ns=650", "fault ns=5000", "dev n/a reason=no-/dev/fd_test"},
	)
	tab, err := BuildTable([]string{ABI64}, ringo, linux)
	require.NoError(t, err)
	return tab
}

func failedSideTable(t *testing.T) Table {
	linux := sideOf(t, "Linux", []string{"getpid ns=352.7"})
	ringo := SideResult{Name: "Ringo", Err: errors.New("Ringo side failed (boot 1/3): Ringo cannot run user programs yet")}
	tab, err := BuildTable([]string{ABI64}, ringo, linux)
	require.NoError(t, err)
	return tab
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./bench -update to create it")
	require.Equal(t, string(want), string(got))
}

func TestReportsMatchGoldenFiles(t *testing.T) {
	writers := map[string]func(io.Writer, Table) error{"txt": WriteText, "csv": WriteCSV, "svg": WriteSVG}
	tables := map[string]func(*testing.T) Table{"table": goldenTable, "failed-side": failedSideTable}
	for tname, mk := range tables {
		for ext, write := range writers {
			t.Run(tname+"."+ext, func(t *testing.T) {
				var buf bytes.Buffer
				require.NoError(t, write(&buf, mk(t)))
				golden(t, tname+"."+ext, buf.Bytes())
			})
		}
	}
}

func TestCSVHasOneRecordPerRowAndEqualWidths(t *testing.T) {
	tab := goldenTable(t)
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, tab))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err, "encoding/csv also checks every record has the header's width")
	require.Len(t, recs, len(tab.Rows)+1)
	require.Equal(t, "x86_64/getpid", recs[2][0])
	require.Equal(t, "ok", recs[2][1])
	require.Equal(t, "405.375", recs[2][2], "median of 410.5 and 400.25")
	require.Equal(t, "1.1704", recs[2][len(recs[2])-1], "ratio 405.375/346.35")
}

func TestSVGIsWellFormedXMLEvenWithHostileNames(t *testing.T) {
	tab := goldenTable(t)
	tab.Sides[0].Name = `<Ringo & "friends">`
	tab.Rows[0].Path = "boot/<script>"
	var buf bytes.Buffer
	require.NoError(t, WriteSVG(&buf, tab))
	d := xml.NewDecoder(&buf)
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
}

func TestSVGOfTableWithoutNumbersSaysSo(t *testing.T) {
	tab, err := BuildTable([]string{ABI64}, SideResult{Name: "Ringo", Err: errors.New("no boot")})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteSVG(&buf, tab))
	require.Contains(t, buf.String(), "no measurements")
}

func TestFmtHumanPicksTheUnit(t *testing.T) {
	for ns, want := range map[float64]string{
		47.3: "47.3 ns", 6512: "6.51 µs", 19282: "19.3 µs", 999999: "1000 µs",
		1.55e9: "1.55 s", 4490214256: "4.49 s", 250e6: "250 ms",
	} {
		require.Equal(t, want, fmtHuman(ns), "%v", ns)
	}
}

func BenchmarkWriteSVG(b *testing.B) {
	t := &testing.T{}
	tab := goldenTable(t)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteSVG(io.Discard, tab); err != nil {
			b.Fatal(err)
		}
	}
}
