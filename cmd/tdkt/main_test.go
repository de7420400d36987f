package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestDevSurvivesKill9 builds the binary, runs `tdkt dev`, leaves a
// nomination waiting at the district, kills the process with SIGKILL,
// starts it again on the same data directory and approves the nomination
// onward to acceptance. Finally SIGTERM must shut it down cleanly.
func TestDevSurvivesKill9(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "tdkt")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := t.TempDir()
	httpPort, temporalPort := freePort(t), freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)

	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "dev", "-data", data, "-http", fmt.Sprintf("127.0.0.1:%d", httpPort),
			"-temporal-port", fmt.Sprint(temporalPort), "-log", "warn")
		var logs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if cmd.ProcessState == nil {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}
			if t.Failed() {
				t.Logf("tdkt dev output:\n%s", logs.String())
			}
		})
		deadline := time.Now().Add(60 * time.Second)
		for {
			res, err := http.Get(base + "/readyz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					return cmd
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("tdkt dev not ready: %v\n%s", err, logs.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	c := &httpClient{t: t, base: base, tokens: map[string]string{}}

	cmd := start()
	r := c.do("donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": "thu-nghiem",
		"nominee_kind": "collective", "nominee_name": "Chi hội Khuyến học khu phố Đông Tân", "award": "bang-khen-tinh"})
	id, _ := r["id"].(string)
	c.do("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/submit", nil)
	r = c.do("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"})
	if r["current_level"] != "district" {
		t.Fatalf("not at the district: %v", r)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	cmd = start()
	c.tokens = map[string]string{} // tokens stay valid (the key is kept), but log in again as a user would
	r = c.do("xet.dian", "GET", "/api/v1/nominations/"+id, nil)
	if r["status"] != "in_review" || r["current_level"] != "district" {
		t.Fatalf("after kill -9: %v", r)
	}
	for _, u := range []string{"xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		c.do(u, "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"})
	}
	r = c.do("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil)
	if r["status"] != "accepted" {
		t.Fatalf("final: %v", r)
	}
	list := c.do("canbo.sonoivu", "GET", "/api/v1/nominations", nil)
	if list["total"] != float64(1) {
		t.Fatalf("after restart the nomination exists %v times", list["total"])
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("SIGTERM: exit %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("tdkt dev did not stop within 30 s of SIGTERM")
	}
}

type httpClient struct {
	t      *testing.T
	base   string
	tokens map[string]string
}

func (c *httpClient) do(user, method, path string, body any) map[string]any {
	c.t.Helper()
	if _, ok := c.tokens[user]; !ok {
		c.tokens[user] = "" // avoid recursion while logging in
		r := c.send("", "POST", "/api/v1/auth/login", map[string]string{"username": user, "password": DemoPassword})
		c.tokens[user], _ = r["token"].(string)
	}
	return c.send(c.tokens[user], method, path, body)
}

func (c *httpClient) send(token, method, path string, body any) map[string]any {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		c.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
