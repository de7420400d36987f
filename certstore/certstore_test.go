package certstore_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tdkt/tdkt/certstore"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/signing"
)

// issued is a store over a fresh database holding one issued certificate.
func issued(t *testing.T, signer *signing.Signer) (*certstore.Store, models.Decision, models.Certificate, map[string]models.Nomination) {
	t.Helper()
	db, err := models.Open("sqlite:"+filepath.Join(t.TempDir(), "c.db"), slog.New(slog.DiscardHandler))
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
	n := models.Nomination{ID: "n-1", RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
		NomineeKind: "individual", NomineeName: "Bà Nguyễn Thị Hồng", Award: "bang-khen-tinh", Dossier: "{}",
		Status: "accepted", Route: `{"steps":[]}`}
	d := models.Decision{ID: "d-1", RoundID: seed.DemoRoundID, IssuerUnitID: seed.InteriorID, Year: 2026, Number: "7/QĐ-UBND",
		SignedOn: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Lộc Hà"}
	c := models.Certificate{ID: "c-1", DecisionID: d.ID, NominationID: n.ID, IssuerUnitID: seed.InteriorID, Year: 2026,
		RegisterNumber: 1, VerifyCode: "0123456789abcdef0123456789abcdef", Status: "valid", Paper: "400x300"}
	for _, v := range []any{&n, &d, &c} {
		if err := db.Create(v).Error; err != nil {
			t.Fatal(err)
		}
	}
	s := &certstore.Store{DB: db, Ref: &models.Reference{DB: db}, Dir: t.TempDir(), Signer: signer}
	return s, d, c, map[string]models.Nomination{n.ID: n}
}

func reload(t *testing.T, s *certstore.Store, id string) models.Certificate {
	t.Helper()
	var c models.Certificate
	if err := s.DB.First(&c, "id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPutOnceWhenRunTwiceAtOnce: two renderings of a signed certificate
// at once (an activity retried while its first attempt still runs) store
// one file, whose SHA-256 is the one recorded; a later run writes nothing.
func TestPutOnceWhenRunTwiceAtOnce(t *testing.T) {
	signer, err := signing.SelfSigned("Sở Nội vụ (thử nghiệm)", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s, d, c, noms := issued(t, signer)
	if _, err := s.Read(c); !errors.Is(err, certstore.ErrNotStored) {
		t.Fatalf("before: %v", err)
	}
	var wg sync.WaitGroup
	written := make([]int, 2)
	for i := range written {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.Put(context.Background(), d, []models.Certificate{c}, noms, "https://tdkt.example", time.Now())
			if err != nil {
				t.Error(err)
			}
			written[i] = n
		}()
	}
	wg.Wait()
	if written[0]+written[1] != 1 {
		t.Fatalf("files written: %v, want one", written)
	}
	stored := reload(t, s, c.ID)
	b, err := s.Read(stored)
	if err != nil || certstore.Hash(b) != stored.PDFSHA256 {
		t.Fatalf("stored: %v", err)
	}
	if n, err := s.Put(context.Background(), d, []models.Certificate{stored}, noms, "https://tdkt.example", time.Now()); n != 0 || err != nil {
		t.Fatalf("again: %d written, %v", n, err)
	}
	// A signature is not reproducible: a lost signed file is lost.
	if err := os.Remove(s.Path(c.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(context.Background(), d, []models.Certificate{stored}, noms, "https://tdkt.example", time.Now()); !errors.Is(err, certstore.ErrIrreparable) {
		t.Fatalf("lost signed file: %v", err)
	}
}

// TestRestoreAndTamper: an unsigned certificate's lost file is rendered
// again to its recorded bytes; a file changed on disk is refused.
func TestRestoreAndTamper(t *testing.T) {
	s, d, c, noms := issued(t, nil)
	if _, err := s.Put(context.Background(), d, []models.Certificate{c}, noms, "https://tdkt.example", time.Now()); err != nil {
		t.Fatal(err)
	}
	stored := reload(t, s, c.ID)
	first, err := s.Read(stored)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(s.Path(c.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(stored); !errors.Is(err, certstore.ErrLost) {
		t.Fatalf("lost: %v", err)
	}
	if n, err := s.Put(context.Background(), d, []models.Certificate{stored}, noms, "https://tdkt.example", time.Now().Add(time.Hour)); n != 1 || err != nil {
		t.Fatalf("restore: %d, %v", n, err)
	}
	if again, err := s.Read(stored); err != nil || string(again) != string(first) {
		t.Fatalf("restored file differs: %v", err)
	}
	// Another base URL would print another QR code: not the issued bytes.
	if err := os.Remove(s.Path(c.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(context.Background(), d, []models.Certificate{stored}, noms, "https://other.example", time.Now()); !errors.Is(err, certstore.ErrIrreparable) {
		t.Fatalf("restore under another URL: %v", err)
	}
	if err := os.WriteFile(s.Path(c.ID), append(first, ' '), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(stored); !errors.Is(err, certstore.ErrIrreparable) {
		t.Fatalf("tampered: %v", err)
	}
}

// TestCentralAwardsAreNotRendered: a certificate of the Minister's or the
// Prime Minister's Bằng khen is passed over by Put (no file, no hash) and
// its data refused with ErrRecordedOnly, issued or drafted, naming the
// body that issues it; the city's Bằng khen is rendered.
func TestCentralAwardsAreNotRendered(t *testing.T) {
	s, d, c, noms := issued(t, nil)
	ctx := context.Background()
	for _, award := range []routing.Award{routing.BangKhenBo, routing.BangKhenThuTuong} {
		n := noms[c.NominationID]
		n.Award = string(award)
		central := map[string]models.Nomination{n.ID: n}
		if written, err := s.Put(ctx, d, []models.Certificate{c}, central, "https://tdkt.example", time.Now()); written != 0 || err != nil {
			t.Fatalf("%s: %d written, %v", award, written, err)
		}
		if _, err := os.Stat(s.Path(c.ID)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s: a PDF was stored: %v", award, err)
		}
		if got := reload(t, s, c.ID); got.PDFSHA256 != "" {
			t.Fatalf("%s: a hash was recorded: %s", award, got.PDFSHA256)
		}
		for _, is := range []*certstore.Issued{nil, {Certificate: c, Decision: d, BaseURL: "https://tdkt.example"}} {
			_, err := certstore.Data(ctx, s.Ref, n, is)
			var refusal *certstore.RecordedOnlyError
			if !errors.Is(err, certstore.ErrRecordedOnly) || !errors.As(err, &refusal) || refusal.Award.Code != award || refusal.Award.IssuedBy == "" {
				t.Fatalf("%s: data of the certificate (issued %v): %v", award, is != nil, err)
			}
		}
	}
	if written, err := s.Put(ctx, d, []models.Certificate{c}, noms, "https://tdkt.example", time.Now()); written != 1 || err != nil {
		t.Fatalf("the city's Bằng khen: %d written, %v", written, err)
	}
}
