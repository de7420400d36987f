package config

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

func lookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestFromEnv(t *testing.T) {
	secret := strings.Repeat("k", 32)
	c, err := FromEnv("api", lookup(map[string]string{"DATABASE_URL": "postgres://x/y", "JWT_SECRET": secret, "TOKEN_TTL": "30m"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.TemporalAddress != "localhost:7233" || c.TokenTTL != 30*time.Minute || string(c.JWTSecret) != secret {
		t.Fatalf("config %+v", c)
	}
	for name, env := range map[string]map[string]string{
		"no database":  {"JWT_SECRET": secret},
		"no secret":    {"DATABASE_URL": "postgres://x/y"},
		"short secret": {"DATABASE_URL": "postgres://x/y", "JWT_SECRET": "short"},
		"bad ttl":      {"DATABASE_URL": "postgres://x/y", "JWT_SECRET": secret, "TOKEN_TTL": "soon"},
	} {
		if _, err := FromEnv("api", lookup(env)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// The worker does not sign tokens.
	if _, err := FromEnv("worker", lookup(map[string]string{"DATABASE_URL": "sqlite:x.db"})); err != nil {
		t.Fatalf("worker: %v", err)
	}
}

// TestReadmeTable keeps the README's configuration table and Vars equal.
func TestReadmeTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\| ([^|]+) \\| ([^|]+) \\|")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		documented[m[1]] = strings.TrimSpace(m[2])
	}
	for _, v := range Vars {
		def, ok := documented[v.Name]
		if !ok {
			t.Errorf("%s is not in the README's configuration table", v.Name)
			continue
		}
		if v.Default != "" && def != "`"+v.Default+"`" {
			t.Errorf("%s: README says default %s, code says %q", v.Name, def, v.Default)
		}
		if v.Required && !strings.Contains(def, "required") {
			t.Errorf("%s: README does not say it is required", v.Name)
		}
		delete(documented, v.Name)
	}
	for name := range documented {
		t.Errorf("README documents %s, which the binary does not read", name)
	}
}
