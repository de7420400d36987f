package calendar_test

import (
	"testing"
	"time"

	. "github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models/seed"
)

func vn(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Zone)
	if err != nil {
		panic(err)
	}
	return t
}

func seeded(t *testing.T) Calendar {
	var off, work []string
	for _, h := range seed.Holidays {
		off = append(off, h.Date)
	}
	for _, h := range seed.MakeUpWorkdays {
		work = append(work, h.Date)
	}
	c, err := New(off, work)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDue(t *testing.T) {
	c := seeded(t)
	cases := []struct {
		name     string
		received string
		n        int
		due      string // midnight ending the last day
	}{
		{"plain week", "2026-03-02 09:00", 5, "2026-03-10 00:00"}, // Mon → Mon 9 Mar
		{"received on Friday evening", "2026-03-06 18:00", 1, "2026-03-10 00:00"},
		{"received on Sunday", "2026-03-08 10:00", 1, "2026-03-10 00:00"},
		// Tết Bính Ngọ 2026: offices closed Mon 16 – Fri 20 February.
		{"spans Tết 2026", "2026-02-12 10:00", 10, "2026-03-06 00:00"},
		// Tết Ất Tỵ 2025: closed Mon 27 – Fri 31 January.
		{"spans Tết 2025", "2025-01-20 08:00", 10, "2025-02-11 00:00"},
		// 30/4 and 1/5/2025 (Wed, Thu) and the bridge day 2/5 are off.
		{"spans 30/4–1/5 2025", "2025-04-28 08:00", 3, "2025-05-07 00:00"},
		// Saturday 26/4/2025 was worked in exchange for 2/5.
		{"make-up Saturday counts", "2025-04-25 08:00", 1, "2025-04-27 00:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Due(vn(tc.received), tc.n)
			if !got.Equal(vn(tc.due)) {
				t.Fatalf("Due(%s, %d) = %s, want %s", tc.received, tc.n, got.In(Zone), tc.due)
			}
			if w := c.WorkingDaysBetween(vn(tc.received).AddDate(0, 0, 1), got); w != tc.n {
				t.Fatalf("%d working days between receipt and due, want %d", w, tc.n)
			}
		})
	}
}

func TestBefore(t *testing.T) {
	c := seeded(t)
	// Due at the end of Tuesday 24 Feb 2026: the two working days before
	// it are Monday 23 and, across Tết (16–20 Feb), Friday 13.
	got := c.Before(vn("2026-02-25 00:00"), 2)
	if want := vn("2026-02-13 00:00"); !got.Equal(want) {
		t.Fatalf("Before = %s, want %s", got.In(Zone), want)
	}
	if got := c.Before(vn("2026-03-07 00:00"), 0); !got.Equal(vn("2026-03-06 00:00")) {
		t.Fatalf("Before(…, 0) = %s", got.In(Zone))
	}
}

func TestNewRejectsBadDates(t *testing.T) {
	if _, err := New([]string{"2026-02-30x"}, nil); err == nil {
		t.Fatal("accepted a bad holiday date")
	}
}
