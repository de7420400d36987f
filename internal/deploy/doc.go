// Package deploy holds the deployment consistency checks: its tests load the
// repository's docker-compose.yml and Dockerfile and verify them against
// internal/config (every variable set on a tdkt container is declared in
// config.Vars for that process, the required ones are set, and
// config.FromEnv accepts the values) and against each other (service
// addresses, ports, databases, start-up order, build target, and that no
// secret is written into the files), and that the binary the Dockerfile
// builds links none of the test and tool harness (internal/testkit,
// cmd/tdkt-load). The package has no non-test code.
package deploy
