package service

import (
	"sync"
	"time"
)

// unknownLogins counts failed logins on usernames that have no account,
// so that they lock out exactly like real accounts: a 429 after the fifth
// wrong password must not tell whoever guesses that a username exists.
// Real accounts keep their count in the database (shared by every api
// process); this one is per process and bounded, which is enough to make
// the two answers alike for anyone not already able to spread attempts
// over several processes faster than the per-IP limit allows.
type unknownLogins struct {
	mu sync.Mutex
	m  map[string]*unknownLogin
}

type unknownLogin struct {
	failed int
	until  time.Time
}

const maxUnknownLogins = 10000

// lockedUntil reports whether name is locked out now, and until when.
func (u *unknownLogins) lockedUntil(name string, now time.Time) (time.Time, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if e, ok := u.m[name]; ok && now.Before(e.until) {
		return e.until, true
	}
	return time.Time{}, false
}

// fail records a failed login on name; it returns the lock-out's end when
// this failure locks it, as the database does for a real account.
func (u *unknownLogins) fail(name string, now time.Time) (time.Time, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.m == nil || len(u.m) >= maxUnknownLogins {
		u.m = map[string]*unknownLogin{} // forget the oldest guesses wholesale
	}
	e := u.m[name]
	if e == nil {
		e = &unknownLogin{}
		u.m[name] = e
	}
	if !e.until.IsZero() && !now.Before(e.until) {
		*e = unknownLogin{} // a lock-out that ended starts a new count
	}
	e.failed++
	if e.failed >= maxFailedLogins {
		e.failed, e.until = 0, now.Add(lockout).UTC()
		return e.until, true
	}
	return time.Time{}, false
}
