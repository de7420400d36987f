package service

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// rateLimits holds a token bucket per (kind, client address): the login and
// public objection limits apply alike whether the request came through the
// API or a web form.
type rateLimits struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// idleBucket is how long an address's bucket is kept after its last use.
const idleBucket = 10 * time.Minute

// allow takes one token of kind for address (perMinute a minute, in bursts
// of as many) or refuses with a 429 refusal. An empty address (a tool in
// the same process) is not limited.
func (r *rateLimits) allow(kind, address string, perMinute int, now time.Time) error {
	if address == "" {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.buckets == nil {
		r.buckets = map[string]*bucket{}
	}
	if now.Sub(r.swept) > idleBucket {
		for k, b := range r.buckets {
			if now.Sub(b.seen) > idleBucket {
				delete(r.buckets, k)
			}
		}
		r.swept = now
	}
	key := kind + "\x00" + address
	b := r.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(perMinute)/60), perMinute)}
		r.buckets[key] = b
	}
	b.seen = now
	if !b.lim.AllowN(now, 1) {
		return TooMany(60, "Quá nhiều yêu cầu từ địa chỉ này; thử lại sau một phút.",
			"Too many requests from this address; retry in a minute.")
	}
	return nil
}

// allowObjection takes one of the address's public objections for this
// minute, or refuses with a 429 (Object asks it first).
func (s *Service) allowObjection(address string) error {
	return s.limits.allow("objection", address, objectionsPerMinute, time.Now()) // wall time: a pinned test clock must not stop the refill
}
