// Package restclient is test and tool harness, not part of the product: the
// JSON client that the load and benchmark tools (cmd/tdkt-load) and the
// process tests drive tdkt's API with. It logs each user in once, then
// sends their calls with the token. The tdkt binary does not link it
// (internal/deploy checks).
package restclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// Client calls one tdkt API as any of the users sharing Password.
type Client struct {
	Base     string       // the API's URL, e.g. http://127.0.0.1:8080
	Password string       // every user's password (the demo accounts')
	HTTP     *http.Client // nil: http.DefaultClient

	requests atomic.Int64
	login    sync.Mutex // one login at a time: logins are rate-limited per address
	tokens   sync.Map   // user → token
}

// StatusError is an answer outside 2xx.
type StatusError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.Status, e.Body)
}

// Requests counts the requests sent, logins included.
func (c *Client) Requests() int64 { return c.requests.Load() }

// Call sends method path as user, logging them in first if need be, with
// body as JSON (nil: none) and key, if not empty, as the Idempotency-Key;
// a 2xx answer with a body is decoded into out (nil: ignored). A connection error is
// returned as it is, another status as *StatusError.
func (c *Client) Call(ctx context.Context, user, method, path string, body any, key string, out any) error {
	token, err := c.token(ctx, user)
	if err != nil {
		return err
	}
	return c.send(ctx, token, method, path, body, key, out)
}

func (c *Client) token(ctx context.Context, user string) (string, error) {
	if t, ok := c.tokens.Load(user); ok {
		return t.(string), nil
	}
	c.login.Lock()
	defer c.login.Unlock()
	if t, ok := c.tokens.Load(user); ok {
		return t.(string), nil // another caller logged them in meanwhile
	}
	var r struct{ Token string }
	if err := c.send(ctx, "", "POST", "/api/v1/auth/login", map[string]string{"username": user, "password": c.Password}, "", &r); err != nil {
		return "", fmt.Errorf("login %s: %w", user, err)
	}
	if r.Token == "" {
		return "", fmt.Errorf("login %s: no token in the answer", user)
	}
	c.tokens.Store(user, r.Token)
	return r.Token, nil
}

func (c *Client) send(ctx context.Context, token, method, path string, body any, key string, out any) error {
	c.requests.Add(1)
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read the answer: %w", method, path, err)
	}
	if res.StatusCode >= 300 {
		return &StatusError{Method: method, Path: path, Status: res.StatusCode, Body: string(raw)}
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}
