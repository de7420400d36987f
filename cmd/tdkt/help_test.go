package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// TestHelpExitsZero: `tdkt <command> --help` (and -h) prints the command's
// usage and exits 0 without logging an error, as every Go command does; a
// flag the command does not have exits 2 with the flag package's
// explanation, still without an error log. Help used to exit 1 with an
// ERROR line, and `tdkt api --help` started the API.
func TestHelpExitsZero(t *testing.T) {
	bin := buildBinary(t)
	run := func(args ...string) (int, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		// No configuration: a command that ignored --help and started
		// would fail on it (exit 1), not hang.
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir()}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), out.String()
		}
		if err != nil {
			t.Fatalf("tdkt %v: %v", args, err)
		}
		return 0, out.String()
	}
	for _, c := range []string{"dev", "api", "worker", "migrate", "doctor", "backup", "learning"} {
		for _, h := range []string{"--help", "-h"} {
			code, out := run(c, h)
			if code != 0 || strings.Contains(out, "ERROR") || !strings.Contains(strings.ToLower(out), "usage") {
				t.Errorf("tdkt %s %s: exit %d, output:\n%s", c, h, code, out)
			}
		}
		code, out := run(c, "-no-such-flag")
		if code != 2 || strings.Contains(out, "ERROR") || !strings.Contains(out, "no-such-flag") {
			t.Errorf("tdkt %s -no-such-flag: exit %d, output:\n%s", c, code, out)
		}
	}
}
