package models_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
)

// TestConflictsAreNotLoggedAsErrors: a unique-key violation, which every
// caller answers, leaves no ERROR line; a real failure still does.
func TestConflictsAreNotLoggedAsErrors(t *testing.T) {
	var logs bytes.Buffer
	db, err := models.Open("sqlite:"+filepath.Join(t.TempDir(), "log.db"), slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	step := models.ReviewStep{NominationID: "n1", Seq: 1, Action: "submit", ToStatus: "in_review", At: time.Now()}
	if err := db.Create(&step).Error; err != nil {
		t.Fatal(err)
	}
	dup := step
	dup.ID = 0
	if err := db.Create(&dup).Error; !errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Fatalf("duplicate: %v", err)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Fatalf("a duplicate key was logged as an error:\n%s", logs.String())
	}
	if err := db.Exec("SELECT * FROM no_such_table").Error; err == nil {
		t.Fatal("a query of a missing table succeeded")
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "no_such_table") {
		t.Fatalf("a real failure was not logged:\n%s", logs.String())
	}
}
