package deploy

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/tdkt/tdkt/internal/config"
)

// testEnv is the environment the compose file is interpolated with: the
// values a deployer must provide (every ${VAR:?…} in the file). They are test
// values, deliberately different from anything written in the file, so the
// checks can tell that the secrets came from interpolation.
var testEnv = map[string]string{
	"JWT_SECRET":        "test-jwt-secret-from-the-environment-0123456789",
	"POSTGRES_PASSWORD": "test-postgres-password-from-env",
}

// Service names the deployment is expected to have.
const (
	svcPostgres   = "postgres"
	svcTemporal   = "temporal"
	svcTemporalUI = "temporal-ui"
	svcAPI        = "api"
	svcWorker     = "worker"
	svcMigrate    = "migrate"
)

// tdktServices maps each service running the tdkt image to the process
// (subcommand) it runs; the process is also the name config.FromEnv and
// config.Vars[].UsedBy know it by.
var tdktServices = map[string]string{
	svcAPI:     "api",
	svcWorker:  "worker",
	svcMigrate: "migrate",
}

func sortedTdktServices() []string {
	names := make([]string, 0, len(tdktServices))
	for name := range tdktServices {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// deployment is what the checks look at: the raw files and the compose
// project loaded from them.
type deployment struct {
	root         string // repository root
	composeText  string
	dockerfile   string
	dockerignore string
	project      *types.Project
}

func readDeployment(t *testing.T) *deployment {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found at %s: %v", root, err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		return string(b)
	}
	return &deployment{
		root:         root,
		composeText:  read("docker-compose.yml"),
		dockerfile:   read("Dockerfile"),
		dockerignore: read(".dockerignore"),
	}
}

// load parses composeText into project, interpolating with testEnv only (not
// the OS environment, not an .env file).
func (d *deployment) load() error {
	env := types.Mapping{}
	for k, v := range testEnv {
		env[k] = v
	}
	p, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir: d.root,
		ConfigFiles: []types.ConfigFile{{
			Filename: filepath.Join(d.root, "docker-compose.yml"),
			Content:  []byte(d.composeText),
		}},
		Environment: env,
	})
	if err != nil {
		return fmt.Errorf("loading docker-compose.yml: %w", err)
	}
	d.project = p
	return nil
}

// problems collects what a check found wrong.
type problems []string

func (p *problems) add(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

type check struct {
	name string
	run  func(d *deployment) problems
}

// checks are run by TestDeployment against the real files and by
// TestChecksCatchBrokenDeployments against broken variants of them.
var checks = []check{
	{"services", checkServices},
	{"tdkt-image", checkTdktImage},
	{"commands", checkCommands},
	{"env-declared", checkEnvDeclared},
	{"env-required", checkEnvRequired},
	{"env-accepted", checkEnvAccepted},
	{"shared-settings", checkSharedSettings},
	{"temporal-address", checkTemporalAddress},
	{"database", checkDatabase},
	{"temporal-persistence", checkTemporalPersistence},
	{"http-port", checkHTTPPort},
	{"depends-on", checkDependsOn},
	{"data-dir", checkDataDir},
	{"secrets", checkSecrets},
	{"dockerfile-build", checkDockerfileBuild},
	{"dockerfile-runtime", checkDockerfileRuntime},
	{"dockerignore", checkDockerignore},
}

func TestDeployment(t *testing.T) {
	d := readDeployment(t)
	if err := d.load(); err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			for _, p := range c.run(d) {
				t.Error(p)
			}
		})
	}
}

// ---- helpers ---------------------------------------------------------------

func (d *deployment) service(name string) (types.ServiceConfig, bool) {
	s, ok := d.project.Services[name]
	return s, ok
}

// environment returns the service's resolved environment; keys listed without
// a value (which compose would take from the host) map to "".
func environment(s types.ServiceConfig) map[string]string {
	m := make(map[string]string, len(s.Environment))
	for k, v := range s.Environment {
		if v != nil {
			m[k] = *v
		} else {
			m[k] = ""
		}
	}
	return m
}

func lookupIn(env map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
}

func varByName(name string) (config.Var, bool) {
	for _, v := range config.Vars {
		if v.Name == name {
			return v, true
		}
	}
	return config.Var{}, false
}

// processConfig is what the tdkt binary would resolve from the service's
// environment.
func (d *deployment) processConfig(svc string) (config.Config, error) {
	s, ok := d.service(svc)
	if !ok {
		return config.Config{}, fmt.Errorf("service %q is missing", svc)
	}
	return config.FromEnv(tdktServices[svc], lookupIn(environment(s)))
}

// exposesPort reports whether the service listens on port for other
// containers: a ports entry with that target or an expose entry.
func exposesPort(s types.ServiceConfig, port int) bool {
	for _, p := range s.Ports {
		if int(p.Target) == port {
			return true
		}
	}
	for _, e := range s.Expose {
		e, _, _ = strings.Cut(e, "/")
		lo, hi, isRange := strings.Cut(e, "-")
		if !isRange {
			hi = lo
		}
		l, err1 := strconv.Atoi(lo)
		h, err2 := strconv.Atoi(hi)
		if err1 == nil && err2 == nil && l <= port && port <= h {
			return true
		}
	}
	return false
}

// postgresServer describes what the postgres service creates, with the
// postgres image's defaults applied.
type postgresServer struct {
	user, password, database, port string
}

func (d *deployment) postgres() (postgresServer, bool) {
	s, ok := d.service(svcPostgres)
	if !ok {
		return postgresServer{}, false
	}
	env := environment(s)
	pg := postgresServer{user: "postgres", port: "5432", password: env["POSTGRES_PASSWORD"]}
	if v := env["POSTGRES_USER"]; v != "" {
		pg.user = v
	}
	pg.database = pg.user
	if v := env["POSTGRES_DB"]; v != "" {
		pg.database = v
	}
	if v := env["PGPORT"]; v != "" {
		pg.port = v
	}
	return pg, true
}

func hostPort(addr string) (host string, port int, err error) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, fmt.Errorf("port %q is not a number", p)
	}
	return h, n, nil
}

// ---- compose checks ----------------------------------------------------------

func checkServices(d *deployment) (ps problems) {
	for _, name := range []string{svcPostgres, svcTemporal, svcTemporalUI, svcAPI, svcWorker, svcMigrate} {
		if _, ok := d.service(name); !ok {
			ps.add("service %q is missing", name)
		}
	}
	if s, ok := d.service(svcPostgres); ok && !strings.HasPrefix(s.Image, "postgres:") {
		ps.add("service %s runs image %q, want postgres:*", svcPostgres, s.Image)
	}
	if s, ok := d.service(svcTemporal); ok && !strings.HasPrefix(s.Image, "temporalio/") {
		ps.add("service %s runs image %q, want a temporalio/* server image", svcTemporal, s.Image)
	}
	return ps
}

// checkTdktImage: api, worker and migrate are built from the repository's
// Dockerfile with the repository as context, and run its ENTRYPOINT.
func checkTdktImage(d *deployment) (ps problems) {
	images := map[string]bool{}
	for _, name := range sortedTdktServices() {
		s, ok := d.service(name)
		if !ok {
			ps.add("service %q is missing", name)
			continue
		}
		images[s.Image] = true
		if s.Build == nil {
			ps.add("service %s has no build section; it must be built from the repository's Dockerfile", name)
			continue
		}
		if filepath.Clean(s.Build.Context) != d.root {
			ps.add("service %s: build context is %q, want the repository root %q (\".\")", name, s.Build.Context, d.root)
		}
		dockerfile := s.Build.Dockerfile
		if dockerfile == "" {
			dockerfile = "Dockerfile"
		}
		if !filepath.IsAbs(dockerfile) {
			dockerfile = filepath.Join(s.Build.Context, dockerfile)
		}
		if dockerfile != filepath.Join(d.root, "Dockerfile") {
			ps.add("service %s is built from %s, want the repository's Dockerfile", name, dockerfile)
		} else if _, err := os.Stat(dockerfile); err != nil {
			ps.add("service %s: %v", name, err)
		}
		if len(s.Entrypoint) > 0 {
			ps.add("service %s overrides the entrypoint with %q; the image's ENTRYPOINT (the tdkt binary) must run", name, s.Entrypoint)
		}
	}
	if len(images) > 1 {
		ps.add("api, worker and migrate must run the same image, got %d different image names", len(images))
	}
	return ps
}

func checkCommands(d *deployment) (ps problems) {
	for _, name := range sortedTdktServices() {
		s, ok := d.service(name)
		if !ok {
			ps.add("service %q is missing", name)
			continue
		}
		want := []string{tdktServices[name]}
		if !slices.Equal([]string(s.Command), want) {
			ps.add("service %s runs command %q, want %q", name, []string(s.Command), want)
		}
	}
	return ps
}

// checkEnvDeclared: every variable set on a tdkt container is declared in
// config.Vars and read by that process (anything else is a typo or a setting
// the binary ignores).
func checkEnvDeclared(d *deployment) (ps problems) {
	for _, name := range sortedTdktServices() {
		s, ok := d.service(name)
		if !ok {
			ps.add("service %q is missing", name)
			continue
		}
		process := tdktServices[name]
		for key, val := range s.Environment {
			v, declared := varByName(key)
			switch {
			case !declared:
				ps.add("service %s sets %s, which config.Vars does not declare", name, key)
			case !slices.Contains(v.UsedBy, process):
				ps.add("service %s sets %s, which process %q does not read (UsedBy %v)", name, key, process, v.UsedBy)
			}
			if val == nil {
				ps.add("service %s lists %s without a value, so it would come from the host's environment", name, key)
			}
		}
	}
	return ps
}

// checkEnvRequired: every Required variable of the process is set, non-empty.
func checkEnvRequired(d *deployment) (ps problems) {
	for _, name := range sortedTdktServices() {
		s, ok := d.service(name)
		if !ok {
			ps.add("service %q is missing", name)
			continue
		}
		env := environment(s)
		for _, v := range config.Vars {
			if v.Required && slices.Contains(v.UsedBy, tdktServices[name]) && env[v.Name] == "" {
				ps.add("service %s does not set %s, which process %q requires", name, v.Name, tdktServices[name])
			}
		}
	}
	return ps
}

// validLogLevels is config.Vars' documented set for LOG_LEVEL, which
// config.FromEnv itself does not validate.
var validLogLevels = []string{"debug", "info", "warn", "error"}

// checkEnvAccepted: the binary accepts each container's environment.
func checkEnvAccepted(d *deployment) (ps problems) {
	for _, name := range sortedTdktServices() {
		cfg, err := d.processConfig(name)
		if err != nil {
			ps.add("service %s: config.FromEnv(%q) rejects its environment: %v", name, tdktServices[name], err)
			continue
		}
		if !slices.Contains(validLogLevels, cfg.LogLevel) {
			ps.add("service %s: LOG_LEVEL %q is not one of %v", name, cfg.LogLevel, validLogLevels)
		}
		if name == svcMigrate {
			continue
		}
		if u, err := url.Parse(cfg.PublicBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ps.add("service %s: PUBLIC_BASE_URL %q is not an absolute http(s) URL", name, cfg.PublicBaseURL)
		}
	}
	return ps
}

// checkSharedSettings: api and worker must agree on everything they share
// (the api starts workflows on the task queue the worker polls, both use the
// same database and files), and migrate migrates that same database.
func checkSharedSettings(d *deployment) (ps problems) {
	api, err1 := d.processConfig(svcAPI)
	worker, err2 := d.processConfig(svcWorker)
	migrate, err3 := d.processConfig(svcMigrate)
	if err1 != nil || err2 != nil || err3 != nil {
		ps.add("cannot compare settings, a process rejects its environment (see env-accepted): %v", []error{err1, err2, err3})
		return ps
	}
	same := func(what, a, w string) {
		if a != w {
			ps.add("%s differs: api has %q, worker has %q", what, a, w)
		}
	}
	same("DATABASE_URL", api.DatabaseURL, worker.DatabaseURL)
	same("TEMPORAL_ADDRESS", api.TemporalAddress, worker.TemporalAddress)
	same("TEMPORAL_NAMESPACE", api.TemporalNamespace, worker.TemporalNamespace)
	same("TEMPORAL_TASK_QUEUE", api.TaskQueue, worker.TaskQueue)
	same("PUBLIC_BASE_URL", api.PublicBaseURL, worker.PublicBaseURL)
	same("DATA_DIR", api.DataDir, worker.DataDir)
	if migrate.DatabaseURL != api.DatabaseURL {
		ps.add("migrate's DATABASE_URL %q differs from the api's %q", migrate.DatabaseURL, api.DatabaseURL)
	}
	return ps
}

// checkTemporalAddress: TEMPORAL_ADDRESS (of api, worker and the UI) names a
// compose service that listens on that port, and the namespace the processes
// use is the one that service registers.
func checkTemporalAddress(d *deployment) (ps problems) {
	type client struct {
		service, address, namespace string
	}
	var clients []client
	for _, name := range []string{svcAPI, svcWorker} {
		cfg, err := d.processConfig(name)
		if err != nil {
			ps.add("service %s: %v", name, err)
			continue
		}
		clients = append(clients, client{name, cfg.TemporalAddress, cfg.TemporalNamespace})
	}
	if ui, ok := d.service(svcTemporalUI); ok {
		clients = append(clients, client{svcTemporalUI, environment(ui)["TEMPORAL_ADDRESS"], ""})
	} else {
		ps.add("service %q is missing", svcTemporalUI)
	}
	for _, c := range clients {
		host, port, err := hostPort(c.address)
		if err != nil {
			ps.add("service %s: TEMPORAL_ADDRESS %q is not host:port: %v", c.service, c.address, err)
			continue
		}
		target, ok := d.service(host)
		if !ok {
			ps.add("service %s: TEMPORAL_ADDRESS %q does not name a compose service", c.service, c.address)
			continue
		}
		if host != svcTemporal {
			ps.add("service %s: TEMPORAL_ADDRESS %q points at service %s, want %s", c.service, c.address, host, svcTemporal)
		}
		if !exposesPort(target, port) {
			ps.add("service %s: TEMPORAL_ADDRESS %q, but service %s neither publishes nor exposes port %d", c.service, c.address, host, port)
		}
		if c.namespace != "" {
			registered := environment(target)["DEFAULT_NAMESPACE"]
			if registered == "" {
				registered = "default" // auto-setup's default
			}
			if c.namespace != registered {
				ps.add("service %s uses Temporal namespace %q, but service %s registers %q (DEFAULT_NAMESPACE)", c.service, c.namespace, host, registered)
			}
		}
	}
	return ps
}

// checkDatabase: DATABASE_URL points at the postgres service, with the
// credentials and database that service creates.
func checkDatabase(d *deployment) (ps problems) {
	pg, ok := d.postgres()
	if !ok {
		ps.add("service %q is missing", svcPostgres)
		return ps
	}
	for _, name := range sortedTdktServices() {
		cfg, err := d.processConfig(name)
		if err != nil {
			ps.add("service %s: %v", name, err)
			continue
		}
		u, err := url.Parse(cfg.DatabaseURL)
		if err != nil {
			ps.add("service %s: DATABASE_URL does not parse: %v", name, err)
			continue
		}
		if u.Scheme != "postgres" && u.Scheme != "postgresql" {
			ps.add("service %s: DATABASE_URL scheme is %q, want postgres", name, u.Scheme)
		}
		if u.Hostname() != svcPostgres {
			ps.add("service %s: DATABASE_URL host is %q, want the %s service", name, u.Hostname(), svcPostgres)
		}
		if port := u.Port(); port != "" && port != pg.port {
			ps.add("service %s: DATABASE_URL port is %s, postgres listens on %s", name, port, pg.port)
		}
		if db := strings.TrimPrefix(u.Path, "/"); db != pg.database {
			ps.add("service %s: DATABASE_URL database is %q, but postgres creates %q (POSTGRES_DB)", name, db, pg.database)
		}
		if u.User.Username() != pg.user {
			ps.add("service %s: DATABASE_URL user is %q, postgres creates %q", name, u.User.Username(), pg.user)
		}
		if pw, _ := u.User.Password(); pw != pg.password {
			ps.add("service %s: DATABASE_URL password differs from postgres' POSTGRES_PASSWORD", name)
		}
	}
	return ps
}

// checkTemporalPersistence: the Temporal server keeps its state in the
// postgres service, in databases of its own.
func checkTemporalPersistence(d *deployment) (ps problems) {
	pg, ok := d.postgres()
	t, ok2 := d.service(svcTemporal)
	if !ok || !ok2 {
		ps.add("services %q and %q are both needed", svcPostgres, svcTemporal)
		return ps
	}
	env := environment(t)
	get := func(key, def string) string {
		if v := env[key]; v != "" {
			return v
		}
		return def
	}
	if db := env["DB"]; db != "postgres12" && db != "postgres12_pgx" {
		ps.add("temporal: DB is %q, want postgres12", db)
	}
	if seeds := env["POSTGRES_SEEDS"]; seeds != svcPostgres {
		ps.add("temporal: POSTGRES_SEEDS is %q, want the %s service", seeds, svcPostgres)
	}
	if port := env["DB_PORT"]; port != pg.port {
		ps.add("temporal: DB_PORT is %q, postgres listens on %s", port, pg.port)
	}
	if env["POSTGRES_USER"] != pg.user {
		ps.add("temporal: POSTGRES_USER is %q, postgres creates %q", env["POSTGRES_USER"], pg.user)
	}
	if env["POSTGRES_PWD"] != pg.password {
		ps.add("temporal: POSTGRES_PWD differs from postgres' POSTGRES_PASSWORD")
	}
	main, visibility := get("DBNAME", "temporal"), get("VISIBILITY_DBNAME", "temporal_visibility")
	for _, db := range []string{main, visibility} {
		if db == pg.database {
			ps.add("temporal: database %q is the application's database", db)
		}
		if db == pg.user {
			ps.add("temporal: database %q equals the user name, so auto-setup would not create it", db)
		}
	}
	if main == visibility {
		ps.add("temporal: DBNAME and VISIBILITY_DBNAME are both %q", main)
	}
	return ps
}

// checkHTTPPort: the api's published container port is the one HTTP_ADDR
// listens on, the image exposes it, and the healthcheck probes /healthz on it
// with a program the image has.
func checkHTTPPort(d *deployment) (ps problems) {
	cfg, err := d.processConfig(svcAPI)
	if err != nil {
		ps.add("service api: %v", err)
		return ps
	}
	_, port, err := hostPort(cfg.HTTPAddr)
	if err != nil {
		ps.add("api: HTTP_ADDR %q is not [host]:port: %v", cfg.HTTPAddr, err)
		return ps
	}
	api, _ := d.service(svcAPI)
	published := false
	for _, p := range api.Ports {
		if int(p.Target) == port && p.Published != "" {
			published = true
		}
	}
	if !published {
		ps.add("api listens on %d (HTTP_ADDR %q) but publishes no port with container port %d (ports: %v)", port, cfg.HTTPAddr, port, api.Ports)
	}
	df := parseDockerfile(d.dockerfile)
	if rt := df.runtime(); rt == nil || !slices.Contains(rt.all("EXPOSE"), strconv.Itoa(port)) {
		ps.add("the Dockerfile's runtime stage does not EXPOSE %d", port)
	}
	hc := api.HealthCheck
	if hc == nil || hc.Disable || len(hc.Test) < 2 {
		ps.add("api has no healthcheck")
		return ps
	}
	probe := strings.Join(hc.Test[1:], " ")
	if !strings.Contains(probe, fmt.Sprintf(":%d/healthz", port)) {
		ps.add("api healthcheck %q does not probe /healthz on port %d", probe, port)
	}
	if hc.Test[0] == "CMD" {
		prog := filepath.Base(hc.Test[1])
		if rt := df.runtime(); rt == nil || !rt.installs(prog) {
			ps.add("api healthcheck runs %q, which the Dockerfile's runtime stage does not install", prog)
		}
	}
	return ps
}

// checkDependsOn: the start-up order. migrate runs once postgres is healthy;
// api and worker start after migrate succeeded, postgres is healthy and
// temporal has started.
func checkDependsOn(d *deployment) (ps problems) {
	want := map[string]map[string][]string{
		svcMigrate:  {svcPostgres: {types.ServiceConditionHealthy}},
		svcTemporal: {svcPostgres: {types.ServiceConditionHealthy}},
	}
	for _, name := range []string{svcAPI, svcWorker} {
		want[name] = map[string][]string{
			svcPostgres: {types.ServiceConditionHealthy},
			svcTemporal: {types.ServiceConditionStarted, types.ServiceConditionHealthy},
			svcMigrate:  {types.ServiceConditionCompletedSuccessfully},
		}
	}
	for _, name := range []string{svcMigrate, svcTemporal, svcAPI, svcWorker} {
		s, ok := d.service(name)
		if !ok {
			ps.add("service %q is missing", name)
			continue
		}
		for dep, conditions := range want[name] {
			got, ok := s.DependsOn[dep]
			switch {
			case !ok:
				ps.add("service %s does not depend on %s", name, dep)
			case !slices.Contains(conditions, got.Condition):
				ps.add("service %s depends on %s with condition %q, want one of %v", name, dep, got.Condition, conditions)
			case !got.Required:
				ps.add("service %s: its dependency on %s is not required", name, dep)
			}
		}
	}
	if pg, ok := d.service(svcPostgres); ok && (pg.HealthCheck == nil || pg.HealthCheck.Disable || len(pg.HealthCheck.Test) == 0) {
		ps.add("postgres has no healthcheck, so service_healthy on it never holds")
	}
	if m, ok := d.service(svcMigrate); ok && m.Restart != "" && m.Restart != types.RestartPolicyNo {
		ps.add("migrate has restart policy %q; a one-shot job must not be restarted", m.Restart)
	}
	return ps
}

// checkDataDir: api and worker share one named volume mounted at DATA_DIR,
// and the image prepares that directory (VOLUME) for its non-root user.
func checkDataDir(d *deployment) (ps problems) {
	df := parseDockerfile(d.dockerfile)
	rt := df.runtime()
	workdir := "/"
	if rt != nil {
		if w := rt.all("WORKDIR"); len(w) > 0 {
			workdir = w[len(w)-1]
		}
	}
	sources := map[string]bool{}
	for _, name := range []string{svcAPI, svcWorker} {
		cfg, err := d.processConfig(name)
		if err != nil {
			ps.add("service %s: %v", name, err)
			continue
		}
		dir := cfg.DataDir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(workdir, dir)
		}
		s, _ := d.service(name)
		var mount *types.ServiceVolumeConfig
		for i, v := range s.Volumes {
			if filepath.Clean(v.Target) == filepath.Clean(dir) {
				mount = &s.Volumes[i]
			}
		}
		if mount == nil {
			ps.add("service %s: nothing is mounted at DATA_DIR %s, its files would be lost with the container", name, dir)
			continue
		}
		if mount.Type != types.VolumeTypeVolume {
			ps.add("service %s: DATA_DIR %s is a %s mount, want a named volume", name, dir, mount.Type)
			continue
		}
		if _, ok := d.project.Volumes[mount.Source]; !ok {
			ps.add("service %s mounts volume %q, which is not declared", name, mount.Source)
		}
		sources[mount.Source] = true
		if rt == nil || !slices.Contains(rt.all("VOLUME"), filepath.Clean(dir)) {
			ps.add("DATA_DIR %s is not a VOLUME of the Dockerfile's runtime stage, so the non-root user may not be able to write it", dir)
		}
	}
	if len(sources) > 1 {
		ps.add("api and worker mount different volumes at DATA_DIR: %v", sources)
	}
	return ps
}

var (
	// secretKey matches variable names whose values are secrets.
	secretKey = regexp.MustCompile(`(?i)(SECRET|PASSWORD|PASSWD|PWD|PRIVATE_KEY|API_KEY|ACCESS_KEY)`)
	// envLine matches `KEY: value`, `- KEY=value` and `- KEY: value` lines.
	envLine = regexp.MustCompile(`^\s*(?:-\s*)?["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*[:=]\s*(.*?)\s*$`)
	// urlPassword matches the password of a URL with user information.
	urlPassword = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:"']+:(\$\{[^}]*\}|[^\s@/"']+)@`)
	// requiredVar is an interpolation that fails when the variable is unset
	// or empty and has no default value: ${NAME:?message}.
	requiredVar = regexp.MustCompile(`^\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]*\}$`)
)

func unquote(v string) string {
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	return v
}

// checkSecrets: no secret value is written in docker-compose.yml. In the raw
// text every secret-named setting and every password inside a URL is exactly
// a ${VAR:?…} interpolation (no literal, no default); and after loading, the
// api's JWT_SECRET and the database password are the values given in the
// environment.
func checkSecrets(d *deployment) (ps problems) {
	jwtLines := 0
	for i, line := range strings.Split(d.composeText, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if m := envLine.FindStringSubmatch(line); m != nil && secretKey.MatchString(m[1]) {
			if m[1] == "JWT_SECRET" {
				jwtLines++
			}
			if v := unquote(m[2]); v != "" && !requiredVar.MatchString(v) {
				ps.add("docker-compose.yml:%d: %s is set to %q; secrets must be ${%s:?…} interpolations without a default", i+1, m[1], v, m[1])
			}
		}
		for _, m := range urlPassword.FindAllStringSubmatch(line, -1) {
			if !requiredVar.MatchString(m[1]) {
				ps.add("docker-compose.yml:%d: a URL embeds the password %q; it must be a ${VAR:?…} interpolation", i+1, m[1])
			}
		}
	}
	if jwtLines == 0 {
		ps.add("docker-compose.yml never sets JWT_SECRET")
	}
	if api, ok := d.service(svcAPI); ok && environment(api)["JWT_SECRET"] != testEnv["JWT_SECRET"] {
		ps.add("the api's JWT_SECRET is not the value of the JWT_SECRET environment variable")
	}
	if pg, ok := d.postgres(); ok && pg.password != testEnv["POSTGRES_PASSWORD"] {
		ps.add("postgres' POSTGRES_PASSWORD is not the value of the POSTGRES_PASSWORD environment variable")
	}
	return ps
}

// ---- Dockerfile checks -------------------------------------------------------

type instruction struct {
	cmd  string // upper case
	args string
}

type stage struct {
	from         string
	instructions []instruction
}

// all returns the arguments of every cmd instruction, split into words (a
// JSON array form is split into its elements).
func (s *stage) all(cmd string) []string {
	var out []string
	for _, in := range s.instructions {
		if in.cmd == cmd {
			out = append(out, words(in.args)...)
		}
	}
	return out
}

// installs reports whether a RUN instruction of the stage installs prog with
// apt-get.
func (s *stage) installs(prog string) bool {
	for _, in := range s.instructions {
		if in.cmd != "RUN" {
			continue
		}
		for _, part := range strings.Split(in.args, "&&") {
			w := strings.Fields(part)
			if len(w) > 2 && (w[0] == "apt-get" || w[0] == "apt") && slices.Contains(w, "install") && slices.Contains(w, prog) {
				return true
			}
		}
	}
	return false
}

func words(args string) []string {
	args = strings.TrimSpace(args)
	if strings.HasPrefix(args, "[") && strings.HasSuffix(args, "]") {
		var out []string
		for _, w := range strings.Split(args[1:len(args)-1], ",") {
			out = append(out, strings.Trim(strings.TrimSpace(w), `"`))
		}
		return out
	}
	return strings.Fields(args)
}

type dockerfile struct {
	stages []*stage
}

func (df dockerfile) runtime() *stage {
	if len(df.stages) == 0 {
		return nil
	}
	return df.stages[len(df.stages)-1]
}

// parseDockerfile splits a Dockerfile into stages and instructions, joining
// continuation lines and dropping comments. It is not a full parser
// (heredocs are not supported), just enough for the checks.
func parseDockerfile(text string) dockerfile {
	var df dockerfile
	var logical []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && cur.Len() == 0) {
			continue
		}
		if strings.HasSuffix(trimmed, `\`) {
			cur.WriteString(strings.TrimSuffix(trimmed, `\`))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(trimmed)
		logical = append(logical, cur.String())
		cur.Reset()
	}
	if cur.Len() > 0 {
		logical = append(logical, cur.String())
	}
	for _, l := range logical {
		cmd, args, _ := strings.Cut(l, " ")
		in := instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			df.stages = append(df.stages, &stage{from: in.args})
			continue
		}
		if len(df.stages) > 0 {
			s := df.stages[len(df.stages)-1]
			s.instructions = append(s.instructions, in)
		}
	}
	return df
}

// goBuild is the `go build` command of a RUN instruction: its -o output and
// the package it builds (the last argument).
var goBuild = regexp.MustCompile(`\bgo build\b((?:\s+\S+)*?)\s+-o\s+(\S+)((?:\s+\S+)*)$`)

// goBuild returns the -o output and the package of the build stage's (the
// first stage's) last `go build` command; empty if there is none.
func (df dockerfile) goBuild() (output, target string) {
	if len(df.stages) == 0 {
		return "", ""
	}
	for _, in := range df.stages[0].instructions {
		if in.cmd != "RUN" {
			continue
		}
		if m := goBuild.FindStringSubmatch(in.args); m != nil {
			output, target = m[2], ""
			if rest := strings.Fields(m[3]); len(rest) > 0 {
				target = rest[len(rest)-1]
			}
		}
	}
	return output, target
}

// checkDockerfileBuild: the Dockerfile builds ./cmd/tdkt, that package
// exists, and the built binary is what the runtime stage runs.
func checkDockerfileBuild(d *deployment) (ps problems) {
	df := parseDockerfile(d.dockerfile)
	if len(df.stages) < 2 {
		ps.add("the Dockerfile has %d stage(s), want a build stage and a runtime stage", len(df.stages))
		return ps
	}
	build := df.stages[0]
	if !strings.HasPrefix(build.from, "golang:") {
		ps.add("the build stage is FROM %q, want golang:*", build.from)
	}
	output, target := df.goBuild()
	if target != "./cmd/tdkt" {
		ps.add("the Dockerfile's go build command targets %q, want ./cmd/tdkt", target)
	}
	if target != "" {
		dir := filepath.Join(d.root, filepath.FromSlash(target))
		gofiles, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		if _, err := os.Stat(dir); err != nil {
			ps.add("the Dockerfile builds %s, but %s does not exist", target, dir)
		} else if len(gofiles) == 0 {
			ps.add("the Dockerfile builds %s, but %s holds no Go files", target, dir)
		}
	}
	rt := df.runtime()
	entry := rt.all("ENTRYPOINT")
	if len(entry) != 1 || entry[0] != "/usr/local/bin/tdkt" {
		ps.add("the runtime ENTRYPOINT is %q, want [\"/usr/local/bin/tdkt\"]", entry)
	}
	copied := false
	for _, in := range rt.instructions {
		w := words(in.args)
		if in.cmd == "COPY" && len(w) == 3 && strings.HasPrefix(w[0], "--from=") && w[1] == output && len(entry) == 1 && w[2] == entry[0] {
			copied = true
		}
	}
	if !copied {
		ps.add("the runtime stage does not copy the built binary %q to the ENTRYPOINT %q", output, entry)
	}
	return ps
}

// checkDockerfileRuntime: the runtime image runs as a non-root user.
func checkDockerfileRuntime(d *deployment) (ps problems) {
	rt := parseDockerfile(d.dockerfile).runtime()
	if rt == nil {
		ps.add("the Dockerfile has no stage")
		return ps
	}
	users := rt.all("USER")
	if len(users) == 0 {
		ps.add("the runtime stage sets no USER, so it runs as root")
	} else if u, _, _ := strings.Cut(users[len(users)-1], ":"); u == "root" || u == "0" {
		ps.add("the runtime stage runs as %q", users[len(users)-1])
	}
	return ps
}

// checkDockerignore: secrets and the git history stay out of the build
// context, and nothing the build needs is excluded.
func checkDockerignore(d *deployment) (ps problems) {
	lines := map[string]bool{}
	for _, l := range strings.Split(d.dockerignore, "\n") {
		l = strings.TrimSuffix(strings.TrimSpace(l), "/")
		lines[strings.TrimPrefix(l, "/")] = true
	}
	for _, want := range []string{".env", ".git"} {
		if !lines[want] {
			ps.add(".dockerignore does not exclude %s", want)
		}
	}
	for _, need := range []string{"*", "go.mod", "go.sum", "cmd", "internal", "**/*.go", "*.go"} {
		if lines[need] {
			ps.add(".dockerignore excludes %s, which the build needs", need)
		}
	}
	return ps
}

// ---- the checks can fail -----------------------------------------------------

// TestChecksCatchBrokenDeployments breaks the real deployment in one way at a
// time and expects the named check to notice, so that no check passes
// vacuously.
func TestChecksCatchBrokenDeployments(t *testing.T) {
	base := readDeployment(t)
	type mutation struct {
		name  string
		check string
		// text edits the files before loading; project edits the loaded
		// project. Either may be nil.
		text    func(d *deployment) bool // false: the edit did not apply
		project func(p *types.Project)
	}
	replaceIn := func(field func(d *deployment) *string, re, repl string) func(d *deployment) bool {
		rx := regexp.MustCompile(re)
		return func(d *deployment) bool {
			s := field(d)
			if !rx.MatchString(*s) {
				return false
			}
			*s = rx.ReplaceAllString(*s, repl)
			return true
		}
	}
	compose := func(d *deployment) *string { return &d.composeText }
	dockerfileText := func(d *deployment) *string { return &d.dockerfile }
	svc := func(name string, f func(s *types.ServiceConfig)) func(p *types.Project) {
		return func(p *types.Project) {
			s := p.Services[name]
			f(&s)
			p.Services[name] = s
		}
	}
	setEnv := func(name, key, value string) func(p *types.Project) {
		return svc(name, func(s *types.ServiceConfig) {
			env := types.MappingWithEquals{}
			for k, v := range s.Environment {
				env[k] = v
			}
			env[key] = &value
			s.Environment = env
		})
	}
	unsetEnv := func(name, key string) func(p *types.Project) {
		return svc(name, func(s *types.ServiceConfig) {
			env := types.MappingWithEquals{}
			for k, v := range s.Environment {
				if k != key {
					env[k] = v
				}
			}
			s.Environment = env
		})
	}
	mutations := []mutation{
		{name: "temporal-ui removed", check: "services",
			project: func(p *types.Project) { delete(p.Services, svcTemporalUI) }},
		{name: "worker built elsewhere", check: "tdkt-image",
			project: svc(svcWorker, func(s *types.ServiceConfig) { s.Build = &types.BuildConfig{Context: "/elsewhere"} })},
		{name: "api runs a prebuilt image", check: "tdkt-image",
			project: svc(svcAPI, func(s *types.ServiceConfig) { s.Build = nil })},
		{name: "worker runs the api", check: "commands",
			project: svc(svcWorker, func(s *types.ServiceConfig) { s.Command = types.ShellCommand{"api"} })},
		{name: "undeclared variable", check: "env-declared", project: setEnv(svcAPI, "HTTP_PORT", "8080")},
		{name: "variable the worker does not read", check: "env-declared", project: setEnv(svcWorker, "HTTP_ADDR", ":8080")},
		{name: "JWT_SECRET missing", check: "env-required", project: unsetEnv(svcAPI, "JWT_SECRET")},
		{name: "DATABASE_URL missing on migrate", check: "env-required", project: unsetEnv(svcMigrate, "DATABASE_URL")},
		{name: "bad TOKEN_TTL", check: "env-accepted", project: setEnv(svcAPI, "TOKEN_TTL", "eight hours")},
		{name: "short JWT_SECRET", check: "env-accepted", project: setEnv(svcAPI, "JWT_SECRET", "too-short")},
		{name: "bad LOG_LEVEL", check: "env-accepted", project: setEnv(svcWorker, "LOG_LEVEL", "verbose")},
		{name: "task queues differ", check: "shared-settings", project: setEnv(svcWorker, "TEMPORAL_TASK_QUEUE", "other")},
		{name: "temporal on localhost", check: "temporal-address", project: setEnv(svcAPI, "TEMPORAL_ADDRESS", "localhost:7233")},
		{name: "temporal on a wrong port", check: "temporal-address", project: setEnv(svcWorker, "TEMPORAL_ADDRESS", "temporal:7234")},
		{name: "namespace not registered", check: "temporal-address", project: setEnv(svcTemporal, "DEFAULT_NAMESPACE", "production")},
		{name: "database on another host", check: "database",
			project: setEnv(svcWorker, "DATABASE_URL", "postgres://tdkt:"+testEnv["POSTGRES_PASSWORD"]+"@db:5432/tdkt?sslmode=disable")},
		{name: "database postgres does not create", check: "database", project: setEnv(svcPostgres, "POSTGRES_DB", "app")},
		{name: "temporal persists elsewhere", check: "temporal-persistence", project: setEnv(svcTemporal, "POSTGRES_SEEDS", "localhost")},
		{name: "temporal shares the app database", check: "temporal-persistence", project: setEnv(svcTemporal, "DBNAME", "tdkt")},
		{name: "api listens on another port", check: "http-port", project: setEnv(svcAPI, "HTTP_ADDR", ":9090")},
		{name: "api healthcheck elsewhere", check: "http-port",
			project: svc(svcAPI, func(s *types.ServiceConfig) {
				s.HealthCheck = &types.HealthCheckConfig{Test: types.HealthCheckTest{"CMD", "curl", "-f", "http://127.0.0.1:8080/"}}
			})},
		{name: "healthcheck tool not installed", check: "http-port",
			project: svc(svcAPI, func(s *types.ServiceConfig) {
				s.HealthCheck = &types.HealthCheckConfig{Test: types.HealthCheckTest{"CMD", "wget", "-q", "http://127.0.0.1:8080/healthz"}}
			})},
		{name: "worker does not wait for migrate", check: "depends-on",
			project: svc(svcWorker, func(s *types.ServiceConfig) { delete(s.DependsOn, svcMigrate) })},
		{name: "api waits only for postgres to start", check: "depends-on",
			text: replaceIn(compose, `(?s)(\n  api:.*?postgres:\n\s+condition: )service_healthy`, "${1}service_started")},
		{name: "migrate restarts", check: "depends-on",
			project: svc(svcMigrate, func(s *types.ServiceConfig) { s.Restart = types.RestartPolicyUnlessStopped })},
		{name: "worker data not shared", check: "data-dir",
			project: svc(svcWorker, func(s *types.ServiceConfig) { s.Volumes = nil })},
		{name: "literal JWT_SECRET", check: "secrets",
			text: replaceIn(compose, `JWT_SECRET: \$\{JWT_SECRET:\?[^}]*\}`, "JWT_SECRET: "+testEnv["JWT_SECRET"])},
		{name: "JWT_SECRET with a default", check: "secrets",
			text: replaceIn(compose, `\$\{JWT_SECRET:\?[^}]*\}`, "$${JWT_SECRET:-a-default-secret-that-is-long-enough-0123}")},
		{name: "literal database password", check: "secrets",
			text: replaceIn(compose, `postgres://tdkt:\$\{POSTGRES_PASSWORD:\?[^}]*\}@`, "postgres://tdkt:hunter2@")},
		{name: "literal temporal password", check: "secrets",
			text: replaceIn(compose, `POSTGRES_PWD: .*`, "POSTGRES_PWD: "+testEnv["POSTGRES_PASSWORD"])},
		{name: "builds another package", check: "dockerfile-build",
			text: replaceIn(dockerfileText, `\./cmd/tdkt\b`, "./cmd/not-there")},
		{name: "binary copied elsewhere", check: "dockerfile-build",
			text: replaceIn(dockerfileText, `/out/tdkt /usr/local/bin/tdkt`, "/out/tdkt /usr/bin/tdkt")},
		{name: "runs as root", check: "dockerfile-runtime",
			text: replaceIn(dockerfileText, `(?m)^USER .*$`, "USER root")},
		{name: "port not exposed", check: "http-port",
			text: replaceIn(dockerfileText, `(?m)^EXPOSE .*$`, "EXPOSE 9090")},
		{name: ".env in the build context", check: "dockerignore",
			text: func(d *deployment) bool {
				before := d.dockerignore
				d.dockerignore = regexp.MustCompile(`(?m)^\.env$`).ReplaceAllString(d.dockerignore, "")
				return d.dockerignore != before
			}},
	}
	// What each check reports on the real files (nothing, once they are
	// right): a mutation must add a problem to that.
	loaded := *base
	if err := loaded.load(); err != nil {
		t.Fatal(err)
	}
	byName := map[string]check{}
	baseline := map[string]problems{}
	for _, c := range checks {
		byName[c.name] = c
		baseline[c.name] = c.run(&loaded)
	}
	tested := map[string]bool{}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			c, ok := byName[m.check]
			if !ok {
				t.Fatalf("no check named %q", m.check)
			}
			tested[m.check] = true
			d := *base
			if m.text != nil && !m.text(&d) {
				t.Fatalf("the edit does not apply to the current files; update this mutation")
			}
			if err := d.load(); err != nil {
				t.Fatal(err)
			}
			if m.project != nil {
				m.project(d.project)
			}
			var found problems
			for _, p := range c.run(&d) {
				if !slices.Contains(baseline[m.check], p) {
					found = append(found, p)
				}
			}
			if len(found) == 0 {
				t.Errorf("check %q did not notice: %s", m.check, m.name)
			}
			for _, p := range found {
				t.Logf("%s: %s", m.check, p)
			}
		})
	}
	for _, c := range checks {
		if !tested[c.name] {
			t.Errorf("check %q has no mutation showing it can fail", c.name)
		}
	}
}
