// Package devtemporal runs a Temporal server inside the tdkt process for
// `tdkt dev` and the end-to-end tests. Unlike temporaltest (in-memory
// only), its state lives in a SQLite file, so workflows survive a restart
// or a kill -9 of the process; or, for tests of production operations such
// as pg_dump and pg_restore, in PostgreSQL databases laid out as a
// production cluster's.
package devtemporal

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

// Options configure the embedded server.
type Options struct {
	// DBFile is the SQLite file holding the server's state; created with
	// its schema on first start.
	DBFile string
	// PostgresURL and PostgresVisibilityURL (postgres://user:pass@host:port/db),
	// when set, keep the state in these two PostgreSQL databases instead of
	// DBFile, as a production cluster does, so that backups can be taken
	// and restored with pg_dump and pg_restore. The databases must exist;
	// their schema is created on first start.
	PostgresURL, PostgresVisibilityURL string
	// Host and Port of the frontend (gRPC). Port 0 picks a free port.
	Host string
	Port int
	// Namespaces to register (idempotent).
	Namespaces []string
	// SearchAttributes registered on new namespaces.
	SearchAttributes map[string]enumspb.IndexedValueType
	Logger           *slog.Logger
}

// Server is a running embedded Temporal server.
type Server struct {
	srv  temporal.Server
	addr string
}

const clusterName = "active"

// historyCacheSize bounds the embedded history service's cache of
// workflows (its default suits a cluster's dedicated hosts, not a laptop).
const historyCacheSize = 2000

// Start creates the schema if needed, registers the namespaces and starts
// the frontend, history, matching and worker services in this process.
func Start(opts Options) (*Server, error) {
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if len(opts.Namespaces) == 0 {
		opts.Namespaces = []string{"default"}
	}
	ports, err := freePorts(opts.Host, 8)
	if err != nil {
		return nil, err
	}
	if opts.Port == 0 {
		opts.Port = ports[7]
	}
	persistence, err := preparePersistence(opts)
	if err != nil {
		return nil, err
	}
	frontend := net.JoinHostPort(opts.Host, fmt.Sprint(opts.Port))
	service := func(grpc, membership int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: grpc, MembershipPort: membership, BindOnIP: opts.Host}}
	}
	conf := &config.Config{
		Global: config.Global{
			Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: opts.Host},
		},
		Persistence: persistence,
		ClusterMetadata: &cluster.Config{
			FailoverVersionIncrement: 10,
			MasterClusterName:        clusterName,
			CurrentClusterName:       clusterName,
			ClusterInformation: map[string]cluster.ClusterInformation{clusterName: {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             frontend,
			}},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services: map[string]config.Service{
			"frontend": service(opts.Port, ports[0]),
			"history":  service(ports[1], ports[2]),
			"matching": service(ports[3], ports[4]),
			"worker":   service(ports[5], ports[6]),
		},
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
			History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
			Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
		}},
		PublicClient: config.PublicClient{HostPort: frontend},
	}
	logger := slogAdapter{opts.Logger}
	authorizer, err := authorization.GetAuthorizerFromConfig(&conf.Global.Authorization)
	if err != nil {
		return nil, fmt.Errorf("temporal authorizer: %w", err)
	}
	claimMapper, err := authorization.GetClaimMapperFromConfig(&conf.Global.Authorization, logger)
	if err != nil {
		return nil, fmt.Errorf("temporal claim mapper: %w", err)
	}
	hostsOf := func(port int) static.Hosts {
		return static.SingleLocalHost(net.JoinHostPort(opts.Host, fmt.Sprint(port)))
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(map[primitives.ServiceName]static.Hosts{
			primitives.FrontendService: hostsOf(opts.Port),
			primitives.HistoryService:  hostsOf(ports[1]),
			primitives.MatchingService: hostsOf(ports[3]),
			primitives.WorkerService:   hostsOf(ports[5]),
		}),
		temporal.WithLogger(logger),
		temporal.WithAuthorizer(authorizer),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 200,
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key():      true,
			// The history service caches every workflow it touched in the
			// last hour, up to 128,000: with 10,000 open nominations that
			// cache, not the data, was most of the process's memory. A
			// workflow out of it is read back from the database.
			dynamicconfig.HistoryCacheHostLevelMaxSize.Key(): historyCacheSize,
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("start temporal server: %w", err)
	}
	return &Server{srv: srv, addr: frontend}, nil
}

// preparePersistence creates the store's schema on first start and
// registers the namespaces (a no-op for those that exist).
func preparePersistence(opts Options) (config.Persistence, error) {
	if opts.PostgresURL != "" || opts.PostgresVisibilityURL != "" {
		return preparePostgres(opts)
	}
	conf, err := prepareSQLite(opts)
	if err != nil {
		return config.Persistence{}, err
	}
	return config.Persistence{
		DefaultStore:     "sqlite",
		VisibilityStore:  "sqlite",
		NumHistoryShards: 1,
		DataStores:       map[string]config.DataStore{"sqlite": {SQL: conf}},
	}, nil
}

// prepareSQLite creates the SQLite schema on first start and registers the
// namespaces.
func prepareSQLite(opts Options) (*config.SQL, error) {
	if err := os.MkdirAll(filepath.Dir(opts.DBFile), 0o750); err != nil {
		return nil, fmt.Errorf("temporal store dir: %w", err)
	}
	conf := &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		DatabaseName: opts.DBFile,
		// WAL lets readers and the writer share the file; committed
		// workflow state survives a kill -9 of the process.
		MaxConns:     4,
		MaxIdleConns: 4,
		ConnectAttributes: map[string]string{
			"mode":         "rwc",
			"journal_mode": "wal",
			"synchronous":  "normal",
			"busy_timeout": "10000",
		},
	}
	if _, err := os.Stat(opts.DBFile); os.IsNotExist(err) {
		if err := sqliteschema.SetupSchema(conf); err != nil {
			os.Remove(opts.DBFile)
			return nil, fmt.Errorf("temporal schema: %w", err)
		}
	}
	if err := createNamespaces(conf, opts); err != nil {
		return nil, err
	}
	return conf, nil
}

// createNamespaces registers the namespaces in the store before the server
// starts. The sqlite schema package's helper writes through the generic SQL
// persistence interface, so it serves the PostgreSQL store too.
func createNamespaces(conf *config.SQL, opts Options) error {
	var namespaces []*sqliteschema.NamespaceConfig
	for _, ns := range opts.Namespaces {
		nc, err := sqliteschema.NewNamespaceConfig(clusterName, ns, false, opts.SearchAttributes)
		if err != nil {
			return fmt.Errorf("namespace %s: %w", ns, err)
		}
		namespaces = append(namespaces, nc)
	}
	if err := sqliteschema.CreateNamespaces(conf, namespaces...); err != nil {
		return fmt.Errorf("temporal namespaces: %w", err)
	}
	return nil
}

// Address is the frontend's host:port for SDK clients and the CLI.
func (s *Server) Address() string { return s.addr }

// Stop shuts the services down.
func (s *Server) Stop() error { return s.srv.Stop() }

// WaitReady blocks until the frontend accepts TCP connections.
func (s *Server) WaitReady(ctx context.Context) error {
	for {
		conn, err := net.DialTimeout("tcp", s.addr, time.Second)
		if err == nil {
			conn.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("temporal frontend %s not ready: %w", s.addr, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func freePorts(host string, n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
