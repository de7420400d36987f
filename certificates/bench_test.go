package certificates

import (
	"fmt"
	"io"
	"testing"

	"github.com/tdkt/tdkt/routing"
)

// The bars of DESIGN.md §5: one draft in ≤ 30 ms, 1,000 certificates in
// one PDF in ≤ 5 s. Run with: go test -run '^$' -bench . ./certificates
// The ms/op metric is the figure to compare with the bars.

func BenchmarkDraft(b *testing.B) {
	c := sample(routing.BangKhenTinh)
	c.Draft = true
	fonts := DefaultFonts()
	for b.Loop() {
		if err := Render(io.Discard, fonts, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

func BenchmarkBatch1000(b *testing.B) {
	certs := make([]Data, 1000)
	for i := range certs {
		c := sample(routing.Awards[i%len(routing.Awards)].Code)
		c.Recipient = fmt.Sprintf("Ông Nguyễn Văn Số %d", i+1)
		c.RegisterNumber = fmt.Sprintf("2025-%05d", i+1)
		// A distinct verification URL per certificate, as issued: each
		// page encodes its own QR code.
		c.VerifyURL = fmt.Sprintf("https://tdkt.example.gov.vn/verify/%026d", i+1)
		certs[i] = c
	}
	fonts := DefaultFonts()
	var size int
	for b.Loop() {
		w := &countingWriter{}
		if err := Render(w, fonts, certs...); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(size)/1e6, "MB/pdf")
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
