package web

import (
	"fmt"

	"github.com/tdkt/tdkt/service"
)

// indicatorRow is one of the plan's indicators as the nomination page
// shows it beside a collective's dossier: the rate with its fraction,
// the target, and whether it is met (nil: the figures do not say).
type indicatorRow struct {
	Name, Value, Target string
	Met                 *bool
}

// indicatorRows formats a nomination's learning indicators, none when it
// has none.
func indicatorRows(v *service.NominationIndicators) []indicatorRow {
	if v == nil {
		return nil
	}
	rows := make([]indicatorRow, 0, len(v.Values))
	for _, x := range v.Values {
		r := indicatorRow{Name: x.Indicator.Name, Value: "—", Target: "—", Met: x.Met}
		if x.Percent != nil {
			r.Value = fmt.Sprintf("%.1f%% (%d/%d)", *x.Percent, x.Numerator, x.Denominator)
		} else if x.Numerator > 0 {
			r.Value = fmt.Sprintf("%d/—", x.Numerator)
		}
		if x.Target != nil {
			r.Target = fmt.Sprintf("%g%%", *x.Target)
		}
		rows = append(rows, r)
	}
	return rows
}
