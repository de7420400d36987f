package service

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/models/seed"
)

// BenchmarkRegisterImport100k checks and commits a workbook of 100,000
// household recognitions of one phường on SQLite (tdkt dev's engine) and
// reports the seconds each stage took (the bar: ≤ 60 s for the import).
// Run: go test -run XXX -bench RegisterImport100k -benchtime 1x ./service
func BenchmarkRegisterImport100k(b *testing.B) {
	const rows = 100_000
	tpl, err := registerTemplate()
	if err != nil {
		b.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		b.Fatal(err)
	}
	sw, err := f.NewStreamWriter(sheetRecognitions)
	if err != nil {
		b.Fatal(err)
	}
	head, _ := f.GetRows(sheetRecognitions)
	header := make([]any, len(head[0]))
	for i, h := range head[0] {
		header[i] = h
	}
	if err := sw.SetRow("A1", header); err != nil {
		b.Fatal(err)
	}
	for i := range rows {
		name := fmt.Sprintf("Hộ số %06d", i)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, household(name, "Gia đình học tập", 2026, 85, "15/11/2026")); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	f.Close()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := adminService(&testing.T{})
		clerk := callerOf(&testing.T{}, s, "vanthu.phuongdian")
		b.StartTimer()
		ctx := context.Background()
		t0 := time.Now()
		out, err := s.ImportRegister(ctx, clerk, seed.NewCommuneID("Phường Dĩ An"), buf.Bytes(), ImportOptions{})
		if err != nil || len(out.Errors) != 0 {
			b.Fatalf("preview: %v %v", err, out.Errors[:min(3, len(out.Errors))])
		}
		preview := time.Since(t0)
		t0 = time.Now()
		if _, err := s.ImportRegister(ctx, clerk, seed.NewCommuneID("Phường Dĩ An"), buf.Bytes(), ImportOptions{Commit: true}); err != nil {
			b.Fatalf("commit: %v", err)
		}
		b.ReportMetric(preview.Seconds(), "preview_s")
		b.ReportMetric(time.Since(t0).Seconds(), "commit_s")
	}
}
