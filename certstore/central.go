package certstore

import (
	"errors"
	"fmt"

	"github.com/tdkt/tdkt/routing"
)

// ErrRecordedOnly is wrapped when a document of a central award is asked
// of tdkt: the Minister's and the Prime Minister's Bằng khen are decided,
// numbered and issued by the ministry and the Government, and Interior
// only records their decision from its number and date (issue 15, point
// 4). tdkt writes no certificate, draft, print batch or decision in their
// name, as if it were their office.
var ErrRecordedOnly = errors.New("issued by a central body: tdkt records its decision only")

// RecordedOnlyError is ErrRecordedOnly for one award, so that a refusal
// can name the body that does issue it.
type RecordedOnlyError struct {
	Award routing.AwardInfo
}

func (e *RecordedOnlyError) Error() string {
	return fmt.Sprintf("%s is issued by %s: %v", e.Award.Code, e.Award.IssuedBy, ErrRecordedOnly)
}

func (e *RecordedOnlyError) Unwrap() error { return ErrRecordedOnly }

// RecordedOnly is the one check, before any certificate or decision
// document is rendered, stored or served, that tdkt writes documents of
// award: a *RecordedOnlyError for a central award (routing.AwardInfo
// External), nil for the awards tdkt's users issue. An unknown award is
// not refused here: the caller's own lookup reports it.
func RecordedOnly(award routing.Award) error {
	a, err := routing.LookupAward(award)
	if err != nil || !a.External {
		return nil
	}
	return &RecordedOnlyError{Award: a}
}
