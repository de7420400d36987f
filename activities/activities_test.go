package activities

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/internal/testkit/pgtest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/notify"
	"github.com/tdkt/tdkt/notify/notifytest"
	"github.com/tdkt/tdkt/workflows"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func databases(t *testing.T) map[string]*gorm.DB {
	out := map[string]*gorm.DB{}
	for name, url := range map[string]string{
		"sqlite":   "sqlite:" + filepath.Join(t.TempDir(), "a.db"),
		"postgres": pgtest.DSN(t),
	} {
		db, err := models.Open(url, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := models.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := seed.Apply(ctx, db, seed.Options{DemoPassword: "x"}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if s, err := db.DB(); err == nil {
				s.Close()
			}
		})
		out[name] = db
	}
	return out
}

func nomination(t *testing.T, db *gorm.DB) {
	n := models.Nomination{ID: "n-1", RoundID: "so-ket-2025", UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
		NomineeKind: "individual", NomineeName: "Nguyễn Thị Hồng", Award: "bang-khen-tinh", Dossier: "{}",
		Status: workflows.StatusDraft}
	if err := db.Create(&n).Error; err != nil {
		t.Fatal(err)
	}
}

// run executes one activity in Temporal's activity test environment.
func run(t *testing.T, fn any, args ...any) (workflows.Deadline, error) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(fn)
	v, err := env.ExecuteActivity(fn, args...)
	var dl workflows.Deadline
	if err == nil && v != nil && v.HasValue() {
		_ = v.Get(&dl)
	}
	return dl, err
}

// TestProjectTransitionIsIdempotent projects each transition twice and an
// old one after a newer one: the read model ends up the same.
func TestProjectTransitionIsIdempotent(t *testing.T) {
	for name, db := range databases(t) {
		t.Run(name, func(t *testing.T) {
			a := &Activities{DB: db, Log: slog.New(slog.DiscardHandler)}
			nomination(t, db)
			// Received Thursday 12 Feb 2026 10:00 in Vietnam: ten working
			// days across Tết end on Thursday 5 March.
			at := time.Date(2026, 2, 12, 3, 0, 0, 0, time.UTC)
			submit := workflows.Transition{NominationID: "n-1", Seq: 1, Action: workflows.ActionSubmit,
				FromStatus: workflows.StatusDraft, ToStatus: workflows.StatusInReview, Step: 0, Level: "commune",
				UnitID: seed.CommuneID("dong-hoa"), Actor: workflows.Actor{UserID: "u", UnitID: seed.CommuneID("dong-hoa")},
				DossierVersion: 1, At: at}
			approve := submit
			approve.Seq, approve.Action, approve.FromStatus = 2, workflows.ActionApprove, workflows.StatusInReview
			approve.Step, approve.Level, approve.UnitID = 1, "district", seed.DistrictID("di-an")
			for i, tr := range []workflows.Transition{submit, submit, approve, approve, submit} {
				dl, err := run(t, a.ProjectTransition, tr)
				if err != nil {
					t.Fatalf("projection %d: %v", i, err)
				}
				if want := time.Date(2026, 3, 6, 0, 0, 0, 0, calendar.Zone); !dl.DueAt.Equal(want) {
					t.Fatalf("projection %d: due %s, want %s", i, dl.DueAt.In(calendar.Zone), want)
				}
				// The reminder: two working days before the last day.
				if want := time.Date(2026, 3, 3, 0, 0, 0, 0, calendar.Zone); !dl.RemindAt.Equal(want) {
					t.Fatalf("projection %d: remind %s, want %s", i, dl.RemindAt.In(calendar.Zone), want)
				}
			}
			var n models.Nomination
			db.First(&n, "id = ?", "n-1")
			if n.Seq != 2 || n.CurrentLevel != "district" || n.Status != workflows.StatusInReview || n.DueAt == nil || n.SubmittedAt == nil {
				t.Fatalf("read model %+v", n)
			}
			var steps int64
			db.Model(&models.ReviewStep{}).Where("nomination_id = ?", "n-1").Count(&steps)
			if steps != 2 {
				t.Fatalf("%d audit rows, want 2", steps)
			}
		})
	}
}

// TestNotifyDeadline sends a reminder to the step's reviewers and an
// escalation to the unit's head over a real SMTP server; a failed delivery
// fails the activity, and its retry sends each message once.
func TestNotifyDeadline(t *testing.T) {
	db := databases(t)["sqlite"]
	inbox, addr := notifytest.Start(t)
	a := &Activities{DB: db, Log: slog.New(slog.DiscardHandler), BaseURL: "https://tdkt.example.vn",
		Mail: notify.SMTP{Addr: addr, From: "tdkt@tdkt.local"}}
	nomination(t, db)
	// A second reviewer of the district, not its head.
	db.Create(&models.User{ID: "u-2", Username: "xet.dian2", FullName: "Chuyên viên", Email: "xet.dian2@tdkt.local",
		Role: models.RoleReviewer, UnitID: seed.DistrictID("di-an"), PasswordHash: "x"})
	db.Model(&models.Nomination{}).Where("id = ?", "n-1").Update("seq", 3)
	due := time.Date(2025, 3, 14, 0, 0, 0, 0, calendar.Zone)
	notice := workflows.Notice{Kind: workflows.NoticeReminder, NominationID: "n-1", Seq: 3, Step: 1,
		Level: "district", UnitID: seed.DistrictID("di-an"), DueAt: due}

	inbox.SetFailing(true)
	if _, err := run(t, a.NotifyDeadline, notice); err == nil {
		t.Fatal("delivery to a refusing server succeeded")
	}
	inbox.SetFailing(false)
	for i := 0; i < 2; i++ {
		if _, err := run(t, a.NotifyDeadline, notice); err != nil {
			t.Fatalf("retry %d: %v", i, err)
		}
	}
	got := inbox.Messages()
	if len(got) != 2 {
		t.Fatalf("%d reminders delivered, want 2 (one per district reviewer)", len(got))
	}
	if subject := got[0].Header().Get("Subject"); !strings.Contains(subject, "=?utf-8?") {
		t.Fatalf("subject not RFC 2047 encoded: %q", subject)
	}
	var row models.Outbox
	db.Where("recipient = ?", "xet.dian@tdkt.local").First(&row)
	if row.Status != models.OutboxSent || row.Attempts != 2 || !strings.Contains(row.Body, "13/03/2025") ||
		!strings.Contains(row.Body, "https://tdkt.example.vn/nominations/n-1") {
		t.Fatalf("outbox row %+v", row)
	}

	notice.Kind = workflows.NoticeEscalation
	if _, err := run(t, a.NotifyDeadline, notice); err != nil {
		t.Fatal(err)
	}
	got = inbox.Messages()
	if len(got) != 3 || len(got[2].To) != 1 || got[2].To[0] != "xet.dian@tdkt.local" {
		t.Fatalf("escalation went to %v, want only the head", got[len(got)-1].To)
	}
	var n models.Nomination
	db.First(&n, "id = ?", "n-1")
	if n.EscalatedAt == nil {
		t.Fatal("nomination not flagged as escalated")
	}
}

// TestDeliverPendingRelaysTheOutbox: a message left pending (the mail
// server was down) is sent by the relay, once.
func TestDeliverPendingRelaysTheOutbox(t *testing.T) {
	db := databases(t)["sqlite"]
	inbox, addr := notifytest.Start(t)
	a := &Activities{DB: db, Log: slog.New(slog.DiscardHandler), Mail: notify.SMTP{Addr: addr, From: "tdkt@tdkt.local"}}
	db.Create(&models.Outbox{Key: "k1", Kind: "reminder", Recipient: "a@tdkt.local", Subject: "Nhắc hạn", Body: "…", Status: models.OutboxPending})
	db.Create(&models.Outbox{Key: "k2", Kind: "reminder", Recipient: "b@tdkt.local", Subject: "Đã gửi", Body: "…", Status: models.OutboxSent})
	for i := 0; i < 2; i++ {
		if err := a.DeliverPending(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := inbox.Messages(); len(got) != 1 || got[0].To[0] != "a@tdkt.local" {
		t.Fatalf("relayed %+v", got)
	}
}

func TestRemindAnnualReport(t *testing.T) {
	db := databases(t)["sqlite"]
	inbox, addr := notifytest.Start(t)
	a := &Activities{DB: db, Log: slog.New(slog.DiscardHandler), Mail: notify.SMTP{Addr: addr, From: "tdkt@tdkt.local"}}
	for i := 0; i < 2; i++ {
		if _, err := run(t, a.RemindAnnualReport, 2026); err != nil {
			t.Fatal(err)
		}
	}
	var nominators int64
	db.Model(&models.User{}).Where("role = ?", models.RoleNominator).Count(&nominators)
	got := inbox.Messages()
	if int64(len(got)) != nominators || nominators == 0 {
		t.Fatalf("%d reminders for %d nominating bodies", len(got), nominators)
	}
	var row models.Outbox
	db.First(&row, "kind = ?", "annual-reminder")
	if !strings.Contains(row.Body, "trước ngày 20 tháng 11 năm 2026") {
		t.Fatalf("body %q", row.Body)
	}
}
