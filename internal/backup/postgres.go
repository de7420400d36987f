package backup

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The PostgreSQL side of a production backup is one pg_dump archive per
// database — the application's and the Temporal cluster's two (execution
// and visibility) — restored with pg_restore into empty databases. These
// helpers run exactly the commands the README gives operators, so the test
// of a restore tests them.

// DumpPostgres writes the database at dbURL to file with `pg_dump -Fc`
// (the custom format pg_restore reads; compressed; a consistent snapshot
// taken without stopping writers). bin is the directory of the PostgreSQL
// client tools; empty: found on PATH. The dump leaves out owners and
// privileges, so it restores under any role.
func DumpPostgres(ctx context.Context, bin, dbURL, file string) error {
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("backup: %s already exists", file)
	}
	return runTool(ctx, bin, "pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file="+file, "--dbname="+dbURL)
}

// RestorePostgres loads a pg_dump archive into the empty database at dbURL
// with `pg_restore`, stopping at the first error.
func RestorePostgres(ctx context.Context, bin, file, dbURL string) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return runTool(ctx, bin, "pg_restore", "--exit-on-error", "--no-owner", "--no-privileges", "--dbname="+dbURL, file)
}

// CopyFiles copies the stored evidence and certificates of a data
// directory (DATA_DIR of the api and the worker) into dst, which is created.
func CopyFiles(src, dst string) error {
	if err := os.MkdirAll(dst, 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	for _, name := range plain {
		if name == "jwt.key" {
			continue // production's key is JWT_SECRET, not a file
		}
		if err := copyTree(filepath.Join(src, name), filepath.Join(dst, name)); err != nil {
			return err
		}
	}
	return nil
}

func runTool(ctx context.Context, bin, name string, args ...string) error {
	path := name
	if bin != "" {
		path = filepath.Join(bin, name)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	// PG* variables could point the tool at another server or database.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, redactArgs(args), err, strings.TrimSpace(out.String()))
	}
	return nil
}

// redactArgs hides passwords in the database URLs of an error message.
func redactArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if k, v, ok := strings.Cut(a, "="); ok && k == "--dbname" {
			if u, err := url.Parse(v); err == nil {
				out[i] = k + "=" + u.Redacted()
			}
		}
	}
	return strings.Join(out, " ")
}
