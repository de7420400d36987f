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
//
// Like the database's count, an attempt is claimed before its (dummy)
// password check, so parallel guesses lock out as they do on an account.
type unknownLogins struct {
	mu sync.Mutex
	m  map[string]*unknownLogin
}

type unknownLogin struct {
	failed int
	until  time.Time
}

const maxUnknownLogins = 10000

// claim takes one attempt on name (Service.claimAttempt for an account):
// its number, or false and the lock-out's end when name is locked or its
// last attempts are being checked (which locks it).
func (u *unknownLogins) claim(name string, now time.Time) (int, time.Time, bool) {
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
	if now.Before(e.until) {
		return 0, e.until, false
	}
	if e.failed >= maxFailedLogins {
		e.failed, e.until = 0, now.Add(lockout).UTC()
		return 0, e.until, false
	}
	e.failed++
	return e.failed, time.Time{}, true
}

// fail records that attempt n on name was wrong; it returns the lock-out's
// end when this failure locks it, as the database does for an account.
func (u *unknownLogins) fail(name string, n int, now time.Time) (time.Time, bool) {
	if n < maxFailedLogins {
		return time.Time{}, false
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	e := u.m[name]
	if e == nil { // forgotten wholesale meanwhile
		e = &unknownLogin{}
		u.m[name] = e
	}
	e.failed, e.until = 0, now.Add(lockout).UTC()
	return e.until, true
}
