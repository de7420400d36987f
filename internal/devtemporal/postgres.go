package devtemporal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"strings"

	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	p "go.temporal.io/server/common/persistence"
	"go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/persistence/sql/sqlplugin"
	postgresplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/common/resolver"
	"go.temporal.io/server/schema"
	postgresschema "go.temporal.io/server/schema/postgresql/v12"
)

// preparePostgres points the server at two PostgreSQL databases, the
// execution store and the visibility store, the layout of a production
// cluster (temporal-sql-tool's "temporal" and "temporal_visibility"). An
// empty database gets the server's current schema and its version row, as
// `temporal-sql-tool setup-schema` would write it.
func preparePostgres(opts Options) (config.Persistence, error) {
	if opts.PostgresURL == "" || opts.PostgresVisibilityURL == "" {
		return config.Persistence{}, errors.New("temporal store: PostgresURL and PostgresVisibilityURL go together")
	}
	store, err := postgresConfig(opts.PostgresURL)
	if err != nil {
		return config.Persistence{}, err
	}
	vis, err := postgresConfig(opts.PostgresVisibilityURL)
	if err != nil {
		return config.Persistence{}, err
	}
	if err := setupPostgresSchema(store, "postgresql/v12/temporal/schema.sql", postgresschema.Version); err != nil {
		return config.Persistence{}, err
	}
	if err := setupPostgresSchema(vis, "postgresql/v12/visibility/schema.sql", postgresschema.VisibilityVersion); err != nil {
		return config.Persistence{}, err
	}
	if err := createNamespaces(store, opts); err != nil {
		return config.Persistence{}, err
	}
	return config.Persistence{
		DefaultStore:     "default",
		VisibilityStore:  "visibility",
		NumHistoryShards: 1,
		DataStores: map[string]config.DataStore{
			"default":    {SQL: store},
			"visibility": {SQL: vis},
		},
	}, nil
}

// postgresConfig translates a postgres:// URL into the server's SQL store
// configuration; query parameters (sslmode, ...) become connect attributes.
func postgresConfig(raw string) (*config.SQL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return nil, fmt.Errorf("temporal store: %q is not a postgres://user@host:port/database URL", redact(raw))
	}
	conf := &config.SQL{
		PluginName:        postgresplugin.PluginNamePGX,
		ConnectAddr:       u.Host,
		ConnectProtocol:   "tcp",
		User:              u.User.Username(),
		DatabaseName:      strings.TrimPrefix(u.Path, "/"),
		MaxConns:          10,
		MaxIdleConns:      10,
		ConnectAttributes: map[string]string{},
	}
	conf.Password, _ = u.User.Password()
	if u.Port() == "" {
		conf.ConnectAddr = u.Host + ":5432"
	}
	for k, v := range u.Query() {
		conf.ConnectAttributes[k] = v[0]
	}
	if conf.DatabaseName == "" {
		return nil, fmt.Errorf("temporal store: %s names no database", redact(raw))
	}
	return conf, nil
}

func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "(unparsable URL)"
}

// setupPostgresSchema creates the embedded schema file's tables in an empty
// database and records its version; a database that has a version is left
// alone (the server itself refuses one older than it needs).
func setupPostgresSchema(conf *config.SQL, file, version string) error {
	db, err := sql.NewSQLAdminDB(sqlplugin.DbKindUnknown, conf, resolver.NewNoopResolver(), log.NewNoopLogger(), metrics.NoopMetricsHandler)
	if err != nil {
		return fmt.Errorf("temporal store %s: %w", conf.DatabaseName, err)
	}
	defer db.Close()
	if err := db.CreateSchemaVersionTables(); err != nil {
		return fmt.Errorf("temporal store %s: schema version table: %w", conf.DatabaseName, err)
	}
	if v, err := db.ReadSchemaVersion(conf.DatabaseName); err == nil && v != "" {
		return nil
	}
	text, err := fs.ReadFile(schema.Assets(), file)
	if err != nil {
		return fmt.Errorf("temporal schema %s: %w", file, err)
	}
	statements, err := p.LoadAndSplitQueryFromReaders([]io.Reader{bytes.NewReader(text)})
	if err != nil {
		return fmt.Errorf("temporal schema %s: %w", file, err)
	}
	for _, stmt := range statements {
		if err := db.Exec(stmt); err != nil {
			return fmt.Errorf("temporal store %s: %q: %w", conf.DatabaseName, firstLine(stmt), err)
		}
	}
	if err := db.UpdateSchemaVersion(conf.DatabaseName, version, version); err != nil {
		return fmt.Errorf("temporal store %s: record schema version: %w", conf.DatabaseName, err)
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
