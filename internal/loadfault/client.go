package loadfault

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/routing"
)

type client struct {
	base, password string
	mu             sync.Mutex
	tokens         map[string]string
	retried        atomic.Int64 // calls repeated after a connection error or 5xx
}

// nomination runs one nomination through every level, retrying each step
// with the same Idempotency-Key across the crash. It returns the ID once
// the submission was acknowledged.
func (c *client) nomination(ctx context.Context, i int, submitted *atomic.Int64) (string, error) {
	id, err := c.submit(ctx, i)
	if err != nil {
		return "", err
	}
	submitted.Add(1)
	for _, u := range []string{"xet.donghoa", "xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		if err := c.retry(ctx, u, "POST", "/api/v1/nominations/"+id+"/decisions", map[string]string{"action": "approve"},
			fmt.Sprintf("approve-%d-%s", i, u), nil); err != nil {
			return "", err
		}
	}
	return id, nil
}

// submit creates the i-th nomination and submits it: it then waits at the
// commune.
func (c *client) submit(ctx context.Context, i int) (string, error) {
	name := fmt.Sprintf("Nguyễn Thị %s", []string{"An", "Bình", "Chi", "Dung", "Giang", "Hà", "Lan", "Mai"}[i%8])
	d, err := forms.ExampleFor(forms.KindIndividual, name, routing.BangKhenTinh, 500000+i)
	if err != nil {
		return "", err
	}
	var n struct{ ID string }
	if err := c.retry(ctx, "donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": "thu-nghiem",
		"nominee_kind": "individual", "nominee_name": name, "award": "bang-khen-tinh", "dossier": d}, fmt.Sprintf("create-%d", i), &n); err != nil {
		return "", err
	}
	if err := c.retry(ctx, "donvi.donghoa", "POST", "/api/v1/nominations/"+n.ID+"/submit", nil, fmt.Sprintf("submit-%d", i), nil); err != nil {
		return "", err
	}
	return n.ID, nil
}

// retry repeats a call while the server is down or answers 5xx.
func (c *client) retry(ctx context.Context, user, method, path string, body any, key string, out any) error {
	var err error
	for attempt := 0; attempt < 200 && ctx.Err() == nil; attempt++ {
		err = c.call(ctx, user, method, path, body, key, out)
		var status statusError
		if err == nil || (errors.As(err, &status) && status < 500) {
			return err
		}
		c.retried.Add(1)
		time.Sleep(250 * time.Millisecond)
	}
	return fmt.Errorf("%s %s: gave up: %w", method, path, err)
}

type statusError int

func (s statusError) Error() string { return fmt.Sprintf("HTTP %d", int(s)) }

func (c *client) call(ctx context.Context, user, method, path string, body any, key string, out any) error {
	tok, err := c.token(ctx, user)
	if err != nil {
		return err
	}
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %w: %s", method, path, statusError(res.StatusCode), raw)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

func (c *client) token(ctx context.Context, user string) (string, error) {
	c.mu.Lock()
	tok, ok := c.tokens[user]
	c.mu.Unlock()
	if ok {
		return tok, nil
	}
	b, _ := json.Marshal(map[string]string{"username": user, "password": c.password})
	req, _ := http.NewRequestWithContext(ctx, "POST", c.base+"/api/v1/auth/login", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		return "", fmt.Errorf("login %s: HTTP %d", user, res.StatusCode)
	}
	c.mu.Lock()
	c.tokens[user] = out.Token
	c.mu.Unlock()
	return out.Token, nil
}
