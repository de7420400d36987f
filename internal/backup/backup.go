// Package backup copies the state of a `tdkt dev` data directory while it
// runs: both SQLite databases (the application's and the embedded Temporal
// server's) through SQLite's online VACUUM INTO, which writes a consistent
// snapshot without stopping writers, plus the signing key and the stored
// files. A restore is copying the backup back as the data directory.
//
// For production on PostgreSQL it runs pg_dump and pg_restore on the
// application's and the Temporal cluster's databases (postgres.go).
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Databases are the SQLite files of a data directory.
var Databases = []string{"tdkt.db", "temporal.db"}

// Files and directories copied as they are.
var plain = []string{"jwt.key", "attachments", "certificates"}

// Dev backs up the data directory src into dst, which must not exist.
// The temporal snapshot is taken after the application's, so that every
// workflow the read model knows of is in it; the doctor reconciles the
// read model with the workflows after a restore.
func Dev(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("backup: %s already exists", dst)
	}
	if err := os.MkdirAll(dst, 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	for _, name := range Databases {
		if err := vacuumInto(ctx, filepath.Join(src, name), filepath.Join(dst, name)); err != nil {
			return err
		}
	}
	for _, name := range plain {
		if err := copyTree(filepath.Join(src, name), filepath.Join(dst, name)); err != nil {
			return err
		}
	}
	return nil
}

func vacuumInto(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+src+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", src, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return fmt.Errorf("backup: snapshot %s: %w", filepath.Base(src), err)
	}
	return nil
}

func copyTree(src, dst string) error {
	info, err := os.Stat(src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if !info.IsDir() {
		return copyFile(src, dst, info.Mode())
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o750)
		}
		if strings.HasSuffix(path, ".tmp") {
			return nil // a file being written
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return copyFile(path, target, info.Mode())
	})
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode.Perm())
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("backup: copy %s: %w", src, err)
	}
	return out.Close()
}
