// Package e2e holds the end-to-end tests: the REST API, a real Temporal
// server embedded in the test process (persisted to SQLite files), the
// worker and the application database, wired as `tdkt dev` wires them.
package e2e
