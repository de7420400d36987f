// Package pdftest is test harness, not part of the product: it reads PDFs
// back in tests with the tools a person would use, poppler's pdftotext,
// pdfinfo and pdffonts. The certificates, the decision and the round report
// are checked this way both where they are rendered (package certificates)
// and where they are served (package e2e), so the parsing of the tools'
// output lives here once.
//
// The tools are installed by scripts/install-deps.sh (Debian package
// poppler-utils); a missing tool fails the test rather than skipping it,
// so that CI cannot pass without checking.
package pdftest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Tool returns the path of a command-line tool, failing with the Debian
// package that provides it.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: install the Debian package %s (scripts/install-deps.sh does)", name, pkg)
	}
	return p
}

// Run runs a tool from the Debian package pkg and returns its standard
// output, failing the test on a non-zero exit.
func Run(t testing.TB, pkg, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(Tool(t, name, pkg), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// Write stores b in a file of a temporary directory and returns its path,
// for the tools, which read files.
func Write(t testing.TB, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Text extracts the text of page (all pages if 0) in content-stream order
// (-raw): a rotated watermark then comes out as one phrase instead of
// letters scattered by the layout analysis, and a table's cells come out
// row by row.
func Text(t testing.TB, path string, page int) string {
	t.Helper()
	args := []string{"-raw", "-enc", "UTF-8"}
	if page > 0 {
		args = append(args, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	}
	return Run(t, "poppler-utils", "pdftotext", append(args, path, "-")...)
}

// Flat collapses white space, so that a text wrapped over lines compares
// equal to the one-line input.
func Flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// Info is what pdfinfo says of a document; the page size is the first
// page's.
type Info struct {
	Pages         int
	Width, Height float64 // points
	Producer      string
	Creation      string // ISO 8601
}

// ReadInfo runs pdfinfo on path.
func ReadInfo(t testing.TB, path string) Info {
	t.Helper()
	out := Run(t, "poppler-utils", "pdfinfo", "-isodates", path)
	var info Info
	for _, line := range strings.Split(out, "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch key {
		case "Pages":
			info.Pages, _ = strconv.Atoi(val)
		case "Page size":
			if _, err := fmt.Sscanf(val, "%g x %g pts", &info.Width, &info.Height); err != nil {
				t.Fatalf("pdfinfo page size %q: %v", val, err)
			}
		case "Producer":
			info.Producer = val
		case "CreationDate":
			info.Creation = val
		}
	}
	return info
}

// Font is one row of pdffonts' table.
type Font struct {
	Name, Type string
	Embedded   bool
}

// Fonts parses pdffonts' table; the type column may hold spaces ("CID
// TrueType"), so the columns are read from the right.
func Fonts(t testing.TB, path string) []Font {
	t.Helper()
	out := Run(t, "poppler-utils", "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "---") {
		t.Fatalf("pdffonts: unexpected output:\n%s", out)
	}
	var fonts []Font
	for _, line := range lines[2:] {
		f := strings.Fields(line)
		if len(f) < 7 {
			t.Fatalf("pdffonts: short line %q", line)
		}
		n := len(f)
		// name type… encoding emb sub uni object gen
		fonts = append(fonts, Font{
			Name:     f[0],
			Type:     strings.Join(f[1:n-6], " "),
			Embedded: f[n-5] == "yes",
		})
	}
	return fonts
}
