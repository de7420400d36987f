package architecture

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// goPackage is what `go list -json` says of one package.
type goPackage struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// list runs `go list -json` on patterns (from the module root).
func list(t *testing.T, args ...string) []goPackage {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, args...)...)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	var pkgs []goPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func has(list []string, prefixes ...string) []string {
	var found []string
	for _, p := range list {
		for _, pre := range prefixes {
			if p == pre || strings.HasPrefix(p, pre+"/") {
				found = append(found, p)
			}
		}
	}
	return found
}

// TestServiceKnowsNoHTTP: the rules and their orchestration are reachable
// without an HTTP server — no echo, no net/http (its server comes with
// it), no HTML templates — so any adapter can call them. (net/http itself
// is among the service's dependencies through the Temporal SDK's gRPC
// client; the service's own code imports none of it, and echo is nowhere
// below it.)
func TestServiceKnowsNoHTTP(t *testing.T) {
	for _, p := range list(t, "-deps=false", "./service/...", "./access/...") {
		if bad := has(p.Imports, "github.com/labstack/echo/v4", "net/http", "html/template", "github.com/tdkt/tdkt/api", "github.com/tdkt/tdkt/web"); len(bad) > 0 {
			t.Errorf("%s imports %v", p.ImportPath, bad)
		}
	}
	for _, p := range list(t, "./service") {
		if bad := has(p.Deps, "github.com/labstack/echo/v4"); len(bad) > 0 {
			t.Errorf("%s depends on %v", p.ImportPath, bad)
		}
	}
}

// TestAdaptersStayThin: the API reaches the database only through the
// service (no gorm), and the web UI calls the service, not the API through
// an in-process recorder.
func TestAdaptersStayThin(t *testing.T) {
	for _, p := range list(t, "./api") {
		if bad := has(p.Imports, "gorm.io/gorm"); len(bad) > 0 {
			t.Errorf("%s imports %v", p.ImportPath, bad)
		}
	}
	for _, p := range list(t, "./web") {
		if bad := has(p.Imports, "net/http/httptest", "gorm.io/gorm", "github.com/tdkt/tdkt/api"); len(bad) > 0 {
			t.Errorf("%s imports %v", p.ImportPath, bad)
		}
	}
}

// TestWorkflowsStayDeterministic: the workflows import no database, HTTP
// or network package (their determinism is also checked by replay tests).
func TestWorkflowsStayDeterministic(t *testing.T) {
	for _, p := range list(t, "./workflows", "./access", "./routing") {
		if bad := has(p.Imports, "gorm.io/gorm", "github.com/labstack/echo/v4", "net", "net/http", "os", "math/rand", "math/rand/v2", "crypto/rand"); len(bad) > 0 {
			t.Errorf("%s imports %v", p.ImportPath, bad)
		}
	}
}
