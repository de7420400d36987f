package loadfault

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/testkit/restclient"
	"github.com/tdkt/tdkt/routing"
)

// client is the API client of the run; it counts the calls repeated.
type client struct {
	*restclient.Client
	retried atomic.Int64 // calls repeated after a connection error or 5xx
}

func newClient(base, password string) *client {
	return &client{Client: &restclient.Client{Base: base, Password: password}}
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

// retry repeats a call while the server is down, answers 5xx, or asks to
// slow down (429).
func (c *client) retry(ctx context.Context, user, method, path string, body any, key string, out any) error {
	var err error
	for attempt := 0; attempt < 200 && ctx.Err() == nil; attempt++ {
		err = c.Call(ctx, user, method, path, body, key, out)
		var status *restclient.StatusError
		if err == nil || (errors.As(err, &status) && status.Status < 500 && status.Status != http.StatusTooManyRequests) {
			return err
		}
		c.retried.Add(1)
		time.Sleep(250 * time.Millisecond)
	}
	return fmt.Errorf("%s %s: gave up: %w", method, path, err)
}

// inParallel calls one(i) for every i in [0, n) from workers goroutines,
// each taking the next i; a failed call stops its goroutine. wait waits
// for them all and returns the first error.
func inParallel(ctx context.Context, n, workers int, one func(i int) error) (wait func() error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				if err := one(i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	return func() error {
		wg.Wait()
		close(errs)
		return <-errs
	}
}
