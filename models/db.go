package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Open connects to the application database named by url:
// "postgres://…" / "postgresql://…" for PostgreSQL, "sqlite:path" for
// SQLite. SQLite runs in WAL mode with a busy timeout and
// immediate write transactions, so concurrent writers queue instead of
// failing.
func Open(url string, log *slog.Logger) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:         newGormLogger(log),
		NowFunc:        func() time.Time { return time.Now().UTC() },
		TranslateError: true,
	}
	var (
		db  *gorm.DB
		err error
	)
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		db, err = gorm.Open(postgres.Open(url), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			return nil, fmt.Errorf("open sqlite: empty path in %q", url)
		}
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("open sqlite: %w", err)
			}
		}
		dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
			"&_pragma=foreign_keys(ON)&_pragma=busy_timeout(10000)&_txlock=immediate"
		db, err = gorm.Open(sqlite.Open(dsn), cfg)
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(8)
	default:
		// A typo ("postgress://") must not quietly create a local file.
		return nil, fmt.Errorf("database URL must start with postgres://, postgresql:// or sqlite: (got %.20q…)", url)
	}
	return db, nil
}

// Dialect names the database engine behind db: "sqlite" or "postgres".
func Dialect(db *gorm.DB) string { return db.Dialector.Name() }

func newGormLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		log = slog.Default()
	}
	return expectedConflicts{logger.NewSlogLogger(log, logger.Config{
		SlowThreshold:             500 * time.Millisecond,
		IgnoreRecordNotFoundError: true,
		LogLevel:                  logger.Warn,
	})}
}

// expectedConflicts is gorm's logger, except that a unique-key violation
// is not logged as an error: every caller expects it and answers it (409
// for a taken number, "already done" for an idempotent insert), so an
// ERROR line would only hide the real ones.
type expectedConflicts struct{ logger.Interface }

func (l expectedConflicts) LogMode(level logger.LogLevel) logger.Interface {
	return expectedConflicts{l.Interface.LogMode(level)}
}

func (l expectedConflicts) Trace(ctx context.Context, begin time.Time, sql func() (string, int64), err error) {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		err = nil
	}
	l.Interface.Trace(ctx, begin, sql, err)
}
