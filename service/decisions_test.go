package service_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/service"
)

// newService is a service over a fresh SQLite database holding the seed,
// without Temporal, its clock pinned to now.
func newService(t *testing.T, now time.Time) (*service.Service, *gorm.DB) {
	t.Helper()
	db, err := models.Open("sqlite:"+filepath.Join(t.TempDir(), "s.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	ctx := context.Background()
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Apply(ctx, db, seed.Options{DemoPassword: "mat-khau"}); err != nil {
		t.Fatal(err)
	}
	return service.New(service.Config{DB: db, Log: slog.New(slog.DiscardHandler), DataDir: t.TempDir(),
		PublicBaseURL: "https://tdkt.example", Now: func() time.Time { return now }}), db
}

// caller is a seeded account as the service sees it.
func caller(t *testing.T, db *gorm.DB, username string) service.Caller {
	t.Helper()
	var who service.Caller
	if err := db.First(&who.User, "username = ?", username).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.First(&who.Unit, "id = ?", who.User.UnitID).Error; err != nil {
		t.Fatal(err)
	}
	return who
}

// passed stores n accepted Bằng khen of the province, passed by the
// council, and returns their IDs.
func passed(t *testing.T, db *gorm.DB, n int) []string {
	t.Helper()
	session := models.CouncilSession{ID: "s-1", RoundID: seed.DemoRoundID, HeldOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		MembersTotal: 11, MembersPresent: 9, ThresholdPercent: 50}
	if err := db.Create(&session).Error; err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	noms := make([]models.Nomination, n)
	votes := make([]models.CouncilVote, n)
	for i := range noms {
		ids[i] = fmt.Sprintf("n-%04d", i)
		noms[i] = models.Nomination{ID: ids[i], RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
			NomineeKind: "individual", NomineeName: fmt.Sprintf("Nguyễn Văn %04d", i), Award: "bang-khen-tinh", Dossier: "{}",
			Status: "accepted", Route: `{"steps":[]}`}
		votes[i] = models.CouncilVote{SessionID: session.ID, NominationID: ids[i], For: 9, Passed: true}
	}
	if err := db.CreateInBatches(&noms, 200).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.CreateInBatches(&votes, 500).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestIssueDecisionQueriesAreBounded: a decision over 1,200 awardees
// reads them in a handful of queries (not two per awardee; the reference
// data — units of the two days, lineage, calendar — once, each use
// checking the reference version once), numbers their
// certificates 1..1,200 and links each to the configured public URL.
func TestIssueDecisionQueriesAreBounded(t *testing.T) {
	s, db := newService(t, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
	ids := passed(t, db, 1200)
	who := caller(t, db, "canbo.sonoivu")
	var queries atomic.Int64
	if err := db.Callback().Query().After("gorm:query").Register("test:count", func(*gorm.DB) { queries.Add(1) }); err != nil {
		t.Fatal(err)
	}
	d, err := s.IssueDecision(context.Background(), who, service.IssueInput{RoundID: seed.DemoRoundID, Number: "12/QĐ-UBND",
		SignedOn: "2026-11-25", SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Lộc Hà", NominationIDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d queries", queries.Load())
	if got := queries.Load(); got > 24 {
		t.Errorf("issuing over 1,200 awardees took %d queries, want at most 24", got)
	}
	if len(d.Certificates) != 1200 || d.Year != 2026 {
		t.Fatalf("decision: %d certificates, year %d", len(d.Certificates), d.Year)
	}
	for i, c := range d.Certificates {
		if c.RegisterNumber != i+1 || c.NominationID != ids[i] || c.VerifyURL != "https://tdkt.example/verify/"+c.VerifyCode || c.Status != "valid" {
			t.Fatalf("certificate %d: %+v", i, c)
		}
	}
	// Without Temporal nothing has rendered them: a download says so.
	_, err = s.CertificatePDF(context.Background(), caller(t, db, "donvi.donghoa"), d.Certificates[0].ID)
	var refusal *service.Error
	if !errors.Is(err, service.ErrUnavailable) || !errors.As(err, &refusal) || refusal.RetryAfter == 0 {
		t.Fatalf("download before rendering: %v", err)
	}
}

// TestIssueDecisionRefusals: each nominee that cannot be awarded is named
// by its index, and nothing is stored.
func TestIssueDecisionRefusals(t *testing.T) {
	s, db := newService(t, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
	ids := passed(t, db, 3)
	if err := db.Model(&models.CouncilVote{}).Where("nomination_id = ?", ids[1]).Update("passed", false).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&models.Nomination{}).Where("id = ?", ids[2]).Update("status", "in_review").Error; err != nil {
		t.Fatal(err)
	}
	_, err := s.IssueDecision(context.Background(), caller(t, db, "canbo.sonoivu"), service.IssueInput{RoundID: seed.DemoRoundID,
		Number: "12/QĐ-UBND", SignedOn: "2026-11-25", SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Lộc Hà",
		NominationIDs: []string{ids[0], ids[1], ids[2], "khong-co", ids[0]}})
	var refusal *service.Error
	if !errors.As(err, &refusal) || !errors.Is(err, service.ErrInvalid) {
		t.Fatalf("refusal: %v", err)
	}
	want := map[string]string{"/nomination_ids/1": "The provincial council has not passed this nominee.",
		"/nomination_ids/2": "The nomination is not accepted.", "/nomination_ids/3": "No such nomination in this round.",
		"/nomination_ids/4": "Duplicate nominee."}
	if len(refusal.Fields) != len(want) {
		t.Fatalf("errors %+v", refusal.Fields)
	}
	for _, f := range refusal.Fields {
		if want[f.Pointer] != f.MessageEN {
			t.Errorf("%s: %q, want %q", f.Pointer, f.MessageEN, want[f.Pointer])
		}
	}
	var decisions int64
	if err := db.Model(&models.Decision{}).Count(&decisions).Error; err != nil || decisions != 0 {
		t.Fatalf("%d decisions stored (%v)", decisions, err)
	}
	// Only Interior issues decisions.
	if _, err := s.IssueDecision(context.Background(), caller(t, db, "quantri"), service.IssueInput{}); !errors.Is(err, service.ErrForbidden) {
		t.Fatalf("administrator: %v", err)
	}
}

// TestDecisionNumbers: a decision's number carries its issuing body's
// symbol in capitals, but for the Prime Minister's "TTg", as the
// Government writes it; other lower-case symbols are typing errors.
func TestDecisionNumbers(t *testing.T) {
	s, db := newService(t, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
	who := caller(t, db, "canbo.sonoivu")
	for number, valid := range map[string]bool{"12/QĐ-UBND": true, "1520/QĐ-TTg": true, "7/QĐ-BGDĐT": true,
		"12/qđ-ubnd": false, "12/QĐ-ttg": false, "12/QĐ-Ubnd": false, "QĐ-TTg": false} {
		// No awardee: refused whatever the number, so that only the
		// number's own error is looked at.
		_, err := s.IssueDecision(context.Background(), who, service.IssueInput{RoundID: seed.DemoRoundID,
			Number: number, SignedOn: "2026-11-25", SignerTitle: "THỦ TƯỚNG", SignerName: "Phạm Minh Chính"})
		var refusal *service.Error
		if !errors.As(err, &refusal) || !errors.Is(err, service.ErrInvalid) {
			t.Fatalf("%s: %v", number, err)
		}
		refused := false
		for _, f := range refusal.Fields {
			refused = refused || f.Pointer == "/number"
		}
		if refused == valid {
			t.Errorf("%s: number refused %v, want %v", number, refused, !valid)
		}
	}
}

// TestCentralDecisionKeepsItsSigner: the Prime Minister's decision is
// recorded with the signer it bears, though the recording body's roster
// names the city's chairman that day; left blank, the signer is asked
// for, not taken from that roster.
func TestCentralDecisionKeepsItsSigner(t *testing.T) {
	s, db := newService(t, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
	who := caller(t, db, "canbo.sonoivu")
	session := models.CouncilSession{ID: "s-1", RoundID: seed.DemoRoundID, HeldOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		MembersTotal: 11, MembersPresent: 9, ThresholdPercent: 50}
	for _, v := range []any{&session,
		&models.Nomination{ID: "n-pm", RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
			NomineeKind: "individual", NomineeName: "Lâm Văn Phúc", Award: "bang-khen-thu-tuong", Dossier: "{}",
			Status: "accepted", Route: `{"steps":[]}`},
		&models.CouncilVote{SessionID: session.ID, NominationID: "n-pm", For: 9, Passed: true},
		// The city's Interior records decisions signed since 1 July 2025.
		&models.Signer{ID: "sg-1", UnitID: seed.CityInteriorID, Name: "Nguyễn Văn Được", Title: "CHỦ TỊCH",
			ValidFrom: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if err := db.Create(v).Error; err != nil {
			t.Fatal(err)
		}
	}
	in := service.IssueInput{RoundID: seed.DemoRoundID, Number: "1520/QĐ-TTg", SignedOn: "2026-11-25", NominationIDs: []string{"n-pm"}}
	_, err := s.IssueDecision(context.Background(), who, in)
	var refusal *service.Error
	if !errors.As(err, &refusal) || !errors.Is(err, service.ErrInvalid) || len(refusal.Fields) != 2 ||
		refusal.Fields[0].Pointer != "/signer_name" || refusal.Fields[1].Pointer != "/signer_title" {
		t.Fatalf("a central decision without its signer: %v", err)
	}
	in.SignerTitle, in.SignerName = "THỦ TƯỚNG", "Nguyễn Văn An"
	d, err := s.IssueDecision(context.Background(), who, in)
	if err != nil {
		t.Fatal(err)
	}
	if d.IssuerUnitID != seed.CityInteriorID || d.SignerTitle != "THỦ TƯỚNG" || d.SignerName != "Nguyễn Văn An" ||
		d.IssuedBy != "Thủ tướng Chính phủ" || len(d.Certificates) != 1 {
		t.Fatalf("the Prime Minister's decision: %+v", d)
	}
}
