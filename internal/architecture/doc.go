// Package architecture holds no code: its tests check the layering the
// README's "How it fits together" describes — the service layer knows no
// HTTP server, the API no database library, the web UI no in-process HTTP
// round trip — by reading the Go import graph, so that a shortcut across
// the layers fails the build's tests instead of landing quietly.
package architecture
