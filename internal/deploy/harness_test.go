package deploy

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// harnessPatterns are the test and tool harness packages: the test helpers
// and the load, fault and benchmark command with everything under it.
var harnessPatterns = []string{"./internal/testkit/...", "./cmd/tdkt-load/..."}

// knownHarness must be among them (relative to the module path), so that a
// move that empties a pattern does not make the check pass vacuously.
var knownHarness = []string{
	"internal/testkit/pgcluster", "internal/testkit/pgtest", "internal/testkit/pdftest", "internal/testkit/restclient",
	"cmd/tdkt-load", "cmd/tdkt-load/internal/loadfault", "cmd/tdkt-load/internal/bench",
}

// TestProductionBinaryExcludesHarness: the package the Dockerfile builds
// into the production image links none of the test and tool harness
// (`go list -deps`, with the build stage's ENV, e.g. CGO_ENABLED=0). Test
// files may import the harness; the binary may not.
func TestProductionBinaryExcludesHarness(t *testing.T) {
	d := readDeployment(t)
	df := parseDockerfile(d.dockerfile)
	_, target := df.goBuild()
	if target == "" {
		t.Fatal("the Dockerfile has no go build command")
	}
	var env []string
	if len(df.stages) > 0 {
		env = stageEnv(df.stages[0])
	}
	module := strings.TrimSpace(goList(t, d.root, nil, "-m"))

	harness := strings.Fields(goList(t, d.root, nil, harnessPatterns...))
	for _, p := range knownHarness {
		if !slices.Contains(harness, module+"/"+p) {
			t.Errorf("%s is not among the harness packages %v: update harnessPatterns or knownHarness", p, harnessPatterns)
		}
	}

	// The check itself: it finds the harness in the load command...
	if found := harnessIn(t, d.root, env, "./cmd/tdkt-load", harness); len(found) == 0 {
		t.Error("the check finds no harness package in ./cmd/tdkt-load, which is made of it")
	}
	// ...and none in the production binary.
	for _, chain := range harnessIn(t, d.root, env, target, harness) {
		t.Errorf("the production binary (%s) links harness package %s: %s", target, chain[len(chain)-1],
			strings.Join(chain, " → "))
	}
}

// harnessIn returns, for every harness package that pkg depends on, an
// import chain from pkg to it.
func harnessIn(t *testing.T, root string, env []string, pkg string, harness []string) [][]string {
	t.Helper()
	out := goList(t, root, env, "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", pkg)
	imports := map[string][]string{}
	var start string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		imports[f[0]] = f[1:]
		start = f[0] // -deps lists pkg itself last
	}
	// Breadth first from pkg: the shortest chain to each package.
	from := map[string]string{start: ""}
	queue := []string{start}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, q := range imports[p] {
			if _, seen := from[q]; !seen {
				from[q] = p
				queue = append(queue, q)
			}
		}
	}
	var chains [][]string
	for _, h := range harness {
		if _, ok := from[h]; !ok {
			continue
		}
		var chain []string
		for p := h; p != ""; p = from[p] {
			chain = append([]string{p}, chain...)
		}
		chains = append(chains, chain)
	}
	return chains
}

// stageEnv returns the KEY=VALUE settings of a stage's ENV instructions.
func stageEnv(s *stage) []string {
	var env []string
	for _, in := range s.instructions {
		if in.cmd != "ENV" {
			continue
		}
		w := strings.Fields(in.args)
		if len(w) >= 2 && !strings.Contains(w[0], "=") { // the legacy ENV KEY VALUE form
			env = append(env, w[0]+"="+strings.Join(w[1:], " "))
			continue
		}
		for _, kv := range w {
			if k, v, ok := strings.Cut(kv, "="); ok {
				env = append(env, k+"="+strings.Trim(v, `"`))
			}
		}
	}
	return env
}

// goList runs `go list args...` in the repository root.
func goList(t *testing.T, root string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}
