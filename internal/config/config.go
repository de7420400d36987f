// Package config reads the settings of the tdkt processes from the
// environment. Production processes (api, worker) are configured only here,
// so that a container orchestrator can set everything without flags; `dev`
// fills the same struct from flags with local defaults.
package config

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Var describes one environment variable: the README table and the
// docker-compose consistency test are generated from this list, so it is the
// single place where a setting is declared.
type Var struct {
	Name     string
	Default  string
	Required bool // required by the production processes (api, worker)
	Usage    string
	UsedBy   []string // processes that read it: "api", "worker"
}

// Vars lists every environment variable the binary reads.
var Vars = []Var{
	{Name: "DATABASE_URL", Required: true, UsedBy: []string{"api", "worker", "migrate"},
		Usage: "application database: postgres://… for PostgreSQL, sqlite:path/to/file.db for SQLite"},
	{Name: "TEMPORAL_ADDRESS", Default: "localhost:7233", UsedBy: []string{"api", "worker"},
		Usage: "host:port of the Temporal frontend"},
	{Name: "TEMPORAL_NAMESPACE", Default: "default", UsedBy: []string{"api", "worker"},
		Usage: "Temporal namespace holding the workflows"},
	{Name: "TEMPORAL_TASK_QUEUE", Default: "tdkt", UsedBy: []string{"api", "worker"},
		Usage: "task queue shared by the api (starts workflows) and the worker"},
	{Name: "HTTP_ADDR", Default: ":8080", UsedBy: []string{"api"},
		Usage: "listen address of the HTTP API and web UI"},
	{Name: "PUBLIC_BASE_URL", Default: "http://localhost:8080", UsedBy: []string{"api", "worker"},
		Usage: "external URL, printed in links and certificate QR codes"},
	{Name: "JWT_SECRET", Required: true, UsedBy: []string{"api"},
		Usage: "HMAC key (at least 32 bytes) signing access tokens"},
	{Name: "PERSON_KEY", UsedBy: []string{"api"},
		Usage: "key of the hash that stands for a person's CCCD in the register of learning titles; empty: derived from JWT_SECRET (set it before rotating that)"},
	{Name: "TOKEN_TTL", Default: "8h", UsedBy: []string{"api"},
		Usage: "lifetime of an access token (Go duration)"},
	{Name: "DATA_DIR", Default: "./data", UsedBy: []string{"api", "worker"},
		Usage: "directory for evidence files and generated documents"},
	{Name: "SMTP_ADDR", UsedBy: []string{"worker"},
		Usage: "host:port of the SMTP server for reminders and escalations; empty: messages stay in the outbox"},
	{Name: "SMTP_FROM", Default: "tdkt@localhost", UsedBy: []string{"worker"},
		Usage: "sender address of notifications"},
	{Name: "SMTP_USERNAME", UsedBy: []string{"worker"},
		Usage: "SMTP user (PLAIN authentication, over TLS or to localhost)"},
	{Name: "SMTP_PASSWORD", UsedBy: []string{"worker"},
		Usage: "SMTP password"},
	{Name: "METRICS_ADDR", Default: ":9090", UsedBy: []string{"api", "worker"},
		Usage: "listen address of the Prometheus /metrics endpoint (HTTP and Temporal SDK metrics); off disables it"},
	{Name: "CORS_ORIGINS", UsedBy: []string{"api"},
		Usage: "comma-separated origins allowed to call the API from a browser; empty: no CORS"},
	{Name: "CERTIFICATE_FONTS", UsedBy: []string{"api", "worker"},
		Usage: "directory with the TrueType family for certificates (*Regular.ttf, *Bold.ttf, *Italic.ttf); empty: the embedded Liberation Serif"},
	{Name: "SIGNING_KEY_FILE", UsedBy: []string{"api", "worker"},
		Usage: "PEM private key that signs issued certificates (PAdES); with SIGNING_CERT_FILE; empty: unsigned"},
	{Name: "SIGNING_CERT_FILE", UsedBy: []string{"api", "worker"},
		Usage: "PEM certificate chain of the signing key, the signer's certificate first"},
	{Name: "WORKFLOW_CACHE_SIZE", Default: "400", UsedBy: []string{"worker"},
		Usage: "workflows the worker keeps in memory between their tasks (the SDK's sticky cache); others are replayed from history when next needed"},
	{Name: "LOG_LEVEL", Default: "info", UsedBy: []string{"api", "worker", "migrate"},
		Usage: "debug, info, warn or error"},
}

// Config holds the resolved settings of one process.
type Config struct {
	DatabaseURL       string
	TemporalAddress   string
	TemporalNamespace string
	TaskQueue         string
	HTTPAddr          string
	PublicBaseURL     string
	JWTSecret         []byte
	PersonKey         []byte
	TokenTTL          time.Duration
	DataDir           string
	LogLevel          string
	SMTPAddr          string
	SMTPFrom          string
	SMTPUsername      string
	SMTPPassword      string
	MetricsAddr       string
	CORSOrigins       []string
	CertificateFonts  string
	SigningKeyFile    string
	SigningCertFile   string
	// WorkflowCacheSize bounds the worker's cache of running workflows:
	// each one held costs about 250 KB (its objects and its goroutines'
	// stacks, measured with 10,000 open nominations), so an unbounded
	// cache, not the data, would fill the process. A workflow out of the
	// cache is replayed from its (short) history when next needed.
	WorkflowCacheSize int
}

// Defaults returns the configuration with every default applied and nothing
// read from the environment.
func Defaults() Config {
	get := func(name string) string {
		for _, v := range Vars {
			if v.Name == name {
				return v.Default
			}
		}
		panic("config: unknown variable " + name)
	}
	ttl, _ := time.ParseDuration(get("TOKEN_TTL"))
	cache, _ := strconv.Atoi(get("WORKFLOW_CACHE_SIZE"))
	return Config{
		TemporalAddress:   get("TEMPORAL_ADDRESS"),
		TemporalNamespace: get("TEMPORAL_NAMESPACE"),
		TaskQueue:         get("TEMPORAL_TASK_QUEUE"),
		HTTPAddr:          get("HTTP_ADDR"),
		PublicBaseURL:     get("PUBLIC_BASE_URL"),
		TokenTTL:          ttl,
		DataDir:           get("DATA_DIR"),
		LogLevel:          get("LOG_LEVEL"),
		SMTPFrom:          get("SMTP_FROM"),
		MetricsAddr:       get("METRICS_ADDR"),
		WorkflowCacheSize: cache,
	}
}

// FromEnv reads the configuration of a production process. process is
// "api", "worker" or "migrate"; variables it requires must be set.
func FromEnv(process string, lookup func(string) (string, bool)) (Config, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	c := Defaults()
	for _, v := range Vars {
		val, ok := lookup(v.Name)
		if !ok || val == "" {
			if v.Required && uses(v, process) {
				return Config{}, fmt.Errorf("config: %s must be set (%s)", v.Name, v.Usage)
			}
			continue
		}
		switch v.Name {
		case "DATABASE_URL":
			c.DatabaseURL = val
		case "TEMPORAL_ADDRESS":
			c.TemporalAddress = val
		case "TEMPORAL_NAMESPACE":
			c.TemporalNamespace = val
		case "TEMPORAL_TASK_QUEUE":
			c.TaskQueue = val
		case "HTTP_ADDR":
			c.HTTPAddr = val
		case "PUBLIC_BASE_URL":
			c.PublicBaseURL = val
		case "JWT_SECRET":
			c.JWTSecret = []byte(val)
		case "PERSON_KEY":
			c.PersonKey = []byte(val)
		case "TOKEN_TTL":
			d, err := time.ParseDuration(val)
			if err != nil || d <= 0 {
				return Config{}, fmt.Errorf("config: TOKEN_TTL %q is not a positive duration", val)
			}
			c.TokenTTL = d
		case "DATA_DIR":
			c.DataDir = val
		case "LOG_LEVEL":
			c.LogLevel = val
		case "SMTP_ADDR":
			c.SMTPAddr = val
		case "SMTP_FROM":
			c.SMTPFrom = val
		case "SMTP_USERNAME":
			c.SMTPUsername = val
		case "SMTP_PASSWORD":
			c.SMTPPassword = val
		case "SIGNING_KEY_FILE":
			c.SigningKeyFile = val
		case "SIGNING_CERT_FILE":
			c.SigningCertFile = val
		case "CERTIFICATE_FONTS":
			c.CertificateFonts = val
		case "METRICS_ADDR":
			c.MetricsAddr = val
		case "WORKFLOW_CACHE_SIZE":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				return Config{}, fmt.Errorf("config: WORKFLOW_CACHE_SIZE %q is not a positive number", val)
			}
			c.WorkflowCacheSize = n
		case "CORS_ORIGINS":
			for _, o := range strings.Split(val, ",") {
				if o = strings.TrimSpace(o); o != "" {
					c.CORSOrigins = append(c.CORSOrigins, o)
				}
			}
		}
	}
	if uses(varByName("JWT_SECRET"), process) && len(c.JWTSecret) < 32 {
		return Config{}, fmt.Errorf("config: JWT_SECRET must be at least 32 bytes, got %d", len(c.JWTSecret))
	}
	return c, nil
}

func varByName(name string) Var {
	for _, v := range Vars {
		if v.Name == name {
			return v
		}
	}
	return Var{}
}

func uses(v Var, process string) bool {
	for _, p := range v.UsedBy {
		if p == process {
			return true
		}
	}
	return false
}
