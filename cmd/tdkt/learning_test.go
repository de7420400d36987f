package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/service"
)

// TestLearningImportCommand: `tdkt learning import` checks a workbook as
// the API's preview does, printing its progress and each refused row
// (nothing written), and with -commit writes it.
func TestLearningImportCommand(t *testing.T) {
	ctx := context.Background()
	db, err := models.Open("sqlite:"+filepath.Join(t.TempDir(), "t.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Apply(ctx, db, seed.Options{DemoPassword: "x"}); err != nil {
		t.Fatal(err)
	}
	svc := service.New(service.Config{DB: db, Log: slog.New(slog.DiscardHandler)})
	who, err := svc.CallerByUsername(ctx, "vanthu.phuongdian")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CallerByUsername(ctx, "khong-co"); err == nil {
		t.Fatal("an unknown account accepted")
	}
	workbook := func(title string) []byte {
		tpl, err := svc.RegisterTemplate()
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(tpl.Body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for i, name := range []string{"Hộ ông Phạm Văn Chín", "Hộ bà Lê Thị Mười"} {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := f.SetSheetRow("Danh hiệu học tập", cell, &[]any{"Hộ gia đình", name, strings.TrimPrefix(strings.TrimPrefix(name, "Hộ ông "), "Hộ bà "),
				nil, "", "Khu phố Bình Minh", title, 2026, 88, nil, "21/QĐ-UBND", "30/11/2026"}); err != nil {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	dian := seed.NewCommuneID("Phường Dĩ An")
	count := func() (n int64) { db.Model(&models.LearningRecognition{}).Where("year = 2026").Count(&n); return n }

	var out, progress bytes.Buffer
	if err := importRegister(ctx, svc, who, dian, workbook("Gia đình văn hóa"), true, &out, &progress); err == nil {
		t.Fatal("a workbook with wrong titles imported")
	}
	if !strings.Contains(out.String(), "dòng 2") || !strings.Contains(out.String(), "dòng 3") || count() != 0 {
		t.Fatalf("refused rows not printed, or written (%d):\n%s", count(), out.String())
	}
	out.Reset()
	progress.Reset()
	if err := importRegister(ctx, svc, who, dian, workbook("Gia đình học tập"), false, &out, &progress); err != nil {
		t.Fatalf("preview: %v\n%s", err, out.String())
	}
	if !strings.Contains(progress.String(), "Kiểm tra 2/2 dòng (100%)") || !strings.Contains(out.String(), "Kiểm tra xong: 2 dòng") || count() != 0 {
		t.Fatalf("preview printed %q / %q, wrote %d", progress.String(), out.String(), count())
	}
	out.Reset()
	if err := importRegister(ctx, svc, who, dian, workbook("Gia đình học tập"), true, &out, &progress); err != nil {
		t.Fatalf("commit: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Đã ghi: 2 dòng") || count() != 2 {
		t.Fatalf("commit printed %q, wrote %d", out.String(), count())
	}
}
