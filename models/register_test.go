package models_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/internal/testkit/pgtest"
	"github.com/tdkt/tdkt/models"
)

// TestRegisterNumbersUnderConcurrency issues register numbers from many
// transactions at once, on both engines: the numbers are distinct and
// consecutive from 1, without gaps.
func TestRegisterNumbersUnderConcurrency(t *testing.T) {
	for name, url := range map[string]string{"postgres": pgtest.DSN(t), "sqlite": "sqlite:" + filepath.Join(t.TempDir(), "r.db")} {
		t.Run(name, func(t *testing.T) {
			db, err := models.Open(url, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			if err := models.Migrate(context.Background(), db); err != nil {
				t.Fatal(err)
			}
			const workers, each = 12, 3
			var mu sync.Mutex
			var got []int
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := db.Transaction(func(tx *gorm.DB) error {
						first, err := models.ReserveRegisterNumbers(tx, "so-noi-vu", 2026, each)
						if err != nil {
							return err
						}
						mu.Lock()
						for i := 0; i < each; i++ {
							got = append(got, first+i)
						}
						mu.Unlock()
						return nil
					})
					if err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			sort.Ints(got)
			for i, n := range got {
				if n != i+1 {
					t.Fatalf("numbers %v: want 1..%d without gaps or repeats", got, workers*each)
				}
			}
			if len(got) != workers*each {
				t.Fatalf("%d numbers, want %d", len(got), workers*each)
			}
		})
	}
}
