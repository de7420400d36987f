package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
)

// The indicators of the plan for a unit and a year: each rate's numerator
// (the register's tallies, or a count), denominator (the units' counts,
// or the number of communes or districts) and target, summed over the
// unit tree in force that year and across lineage — the new Phường Thủ Dầu
// Một's 2024 figures are those of the units it comes from, with a flag
// where one of them went only in part into it.

// LearningCountInput is a count a unit records for a year.
type LearningCountInput struct {
	UnitID     string `json:"unit_id"`
	Year       int    `json:"year"`
	Measure    string `json:"measure"`
	Value      *int64 `json:"value"`
	Source     string `json:"source"`
	RecordedOn string `json:"recorded_on"`
}

// LearningCountView is a recorded count.
type LearningCountView struct {
	UnitID     string `json:"unit_id"`
	Year       int    `json:"year"`
	Measure    string `json:"measure"`
	Value      int64  `json:"value"`
	Source     string `json:"source"`
	RecordedOn string `json:"recorded_on"`
}

// RecordCount records (or corrects) a unit's count for a year. A count
// may not be below what the register already holds for the unit (700
// households recognised, 650 households recorded), nor centres below the
// centres using IT.
func (s *Service) RecordCount(ctx context.Context, who Caller, in LearningCountInput) (LearningCountView, error) {
	row, errs, err := s.checkCountInput(ctx, who, &in)
	if err != nil {
		return LearningCountView{}, err
	}
	if err := InvalidIf(errs); err != nil {
		return LearningCountView{}, err
	}
	if err := s.mayKeepRegister(ctx, who, row.UnitID); err != nil {
		return LearningCountView{}, err
	}
	var ev models.AuditEvent
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := writeCount(ctx, tx, row); err != nil {
			return err
		}
		ev = s.auditEvent(who, "learning.count", row.UnitID, map[string]any{"year": row.Year, "measure": row.Measure, "value": row.Value, "source": row.Source})
		return tx.Create(&ev).Error
	})
	if err := failed(err, "record count"); err != nil {
		return LearningCountView{}, err
	}
	s.logAudit(ev)
	return LearningCountView{UnitID: row.UnitID, Year: row.Year, Measure: row.Measure, Value: row.Value, Source: row.Source,
		RecordedOn: row.RecordedOn.Format(time.DateOnly)}, nil
}

// checkCountInput validates a count (cleaning in's text in place) and
// builds its row without writing it. Whether who keeps the unit is the
// caller's to ask (the import asks once for all its rows). What the register already holds
// is compared at writing (writeCount), within its transaction. The API
// and the workbook import both record counts through it.
func (s *Service) checkCountInput(ctx context.Context, who Caller, in *LearningCountInput) (models.LearningCount, []FieldError, error) {
	errs := cleanText(map[string]*string{"/unit_id": &in.UnitID, "/measure": &in.Measure, "/source": &in.Source, "/recorded_on": &in.RecordedOn})
	m := learning.Measure(in.Measure)
	if !learning.ValidMeasure(m) {
		errs = append(errs, FieldError{Pointer: "/measure", Message: "Chỉ số phải là households, communities, organisations, workers, civil_servants, centres hoặc centres_using_it.",
			MessageEN: "measure must be households, communities, organisations, workers, civil_servants, centres or centres_using_it."})
	}
	if in.Value == nil {
		errs = append(errs, Required("/value"))
	} else if *in.Value < 0 {
		errs = append(errs, FieldError{Pointer: "/value", Message: "Số liệu không âm.", MessageEN: "The value cannot be negative."})
	}
	if in.Source == "" {
		errs = append(errs, FieldError{Pointer: "/source", Message: "Ghi nguồn số liệu (vd. Báo cáo thống kê dân số năm 2025 của UBND phường).", MessageEN: "Give the figure's source."})
	}
	if in.Year < 2023 || in.Year > s.now().Year() {
		errs = append(errs, FieldError{Pointer: "/year", Message: fmt.Sprintf("Năm từ 2023 (đầu phong trào) đến %d.", s.now().Year()), MessageEN: "A year of the movement, up to this one."})
	}
	recorded := s.today()
	if in.RecordedOn != "" {
		recorded = parseDay("/recorded_on", in.RecordedOn, &errs)
	}
	if u, err := loadUnit(ctx, s.db, in.UnitID); err != nil {
		errs = append(errs, FieldError{Pointer: "/unit_id", Message: "Không có đơn vị này.", MessageEN: "No such unit."})
	} else if in.Year >= 2023 && in.Year <= s.now().Year() {
		errs = append(errs, s.yearUnitErrors(u, in.Year)...)
	}
	if len(errs) > 0 {
		return models.LearningCount{}, errs, nil
	}
	return models.LearningCount{UnitID: in.UnitID, Year: in.Year, Measure: in.Measure, Value: *in.Value, Source: in.Source,
		RecordedOn: recorded, RecordedBy: who.User.ID, UpdatedAt: s.now().UTC()}, nil, nil
}

// writeCount records (or corrects) a count within tx, after checkCount.
func writeCount(ctx context.Context, tx *gorm.DB, row models.LearningCount) error {
	if err := checkCount(ctx, tx, row); err != nil {
		return err
	}
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "unit_id"}, {Name: "year"}, {Name: "measure"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "source", "recorded_on", "recorded_by", "updated_at"})}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("count %s %d %s: %w", row.UnitID, row.Year, row.Measure, err)
	}
	return nil
}

// checkCount refuses a count below what it must hold: the unit's
// recognised holders it is the denominator of, or the count that is part
// of it (and a part above the whole it belongs to).
func checkCount(ctx context.Context, tx *gorm.DB, row models.LearningCount) error {
	m := learning.Measure(row.Measure)
	var min int64
	what := ""
	if c, ok := learning.Checks[m]; ok && c.Key != "" {
		t, err := models.TalliesOf(ctx, tx, row.Year, []string{row.UnitID})
		if err != nil {
			return err
		}
		min, what = t[c.Key], "số đã được công nhận trong sổ"
	}
	counts, err := models.CountsOf(ctx, tx, row.Year, []string{row.UnitID})
	if err != nil {
		return err
	}
	for _, c := range counts {
		switch {
		case m == learning.Centres && c.Measure == string(learning.CentresUsingIT) && c.Value > min:
			min, what = c.Value, "số trung tâm ứng dụng công nghệ thông tin đã ghi"
		case m == learning.CentresUsingIT && c.Measure == string(learning.Centres) && row.Value > c.Value:
			return Invalid(FieldError{Pointer: "/value", Message: fmt.Sprintf("Số trung tâm ứng dụng CNTT (%d) vượt tổng số trung tâm đã ghi (%d).", row.Value, c.Value),
				MessageEN: fmt.Sprintf("%d centres using IT is more than the %d centres recorded.", row.Value, c.Value)})
		}
	}
	if row.Value < min {
		return Invalid(FieldError{Pointer: "/value", Message: fmt.Sprintf("Số liệu %d nhỏ hơn %s của đơn vị năm %d (%d).", row.Value, what, row.Year, min),
			MessageEN: fmt.Sprintf("%d is below what the unit already holds for %d (%d).", row.Value, row.Year, min)})
	}
	return nil
}

// IndicatorsView is the plan's indicators for a unit and a year.
type IndicatorsView struct {
	UnitID   string `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Year     int    `json:"year"`
	// Day is the day whose unit tree the figures are summed over: the
	// year's last, or today for the current year.
	Day string `json:"day"`
	// Over lists the units whose trees are summed: the unit itself if it
	// was in force that day, and the units it comes from that were.
	Over []LineageView `json:"over"`
	// Partial flags figures that include units which went only in part
	// into this one.
	Partial bool             `json:"partial"`
	Values  []learning.Value `json:"values"`
	Units   []UnitIndicators `json:"units"`
	Counts  map[string]int64 `json:"counts"`
	Tallies map[string]int64 `json:"tallies"`
}

// UnitIndicators is one commune-level unit's indicators within the view,
// for the ranked table and the bars against the target.
type UnitIndicators struct {
	UnitID   string           `json:"unit_id"`
	UnitName string           `json:"unit_name"`
	Values   []learning.Value `json:"values"`
}

// Indicators computes the plan's indicators for unitID and year. Every
// signed-in user may read them: they are the movement's published
// figures, with no holder named.
func (s *Service) Indicators(ctx context.Context, who Caller, unitID, yearText string) (IndicatorsView, error) {
	ctx = s.ref.Pin(ctx)
	var errs []FieldError
	year, err := strconv.Atoi(yearText)
	if err != nil || year < 2023 || year > s.now().Year() {
		errs = append(errs, FieldError{Pointer: "/year", Message: fmt.Sprintf("Năm từ 2023 đến %d.", s.now().Year()), MessageEN: "year must be a year of the movement, up to this one."})
	}
	u, uerr := loadUnit(ctx, s.db, unitID)
	if uerr != nil {
		errs = append(errs, FieldError{Pointer: "/unit", Message: "Không có đơn vị này.", MessageEN: "No such unit."})
	}
	if err := InvalidIf(errs); err != nil {
		return IndicatorsView{}, err
	}
	day := s.figuresDay(year)
	tree, err := s.treeOn(ctx, day)
	if err != nil {
		return IndicatorsView{}, err
	}
	lineage, err := s.ref.Lineage(ctx)
	if err != nil {
		return IndicatorsView{}, err
	}
	roots, partial := rootsOn(lineage, tree, u.ID)
	v := IndicatorsView{UnitID: u.ID, UnitName: u.Name, Year: year, Day: day.Format(time.DateOnly), Partial: partial,
		Over: []LineageView{}, Values: []learning.Value{}, Units: []UnitIndicators{}}
	var set []string
	for _, r := range roots {
		v.Over = append(v.Over, LineageView{ID: r.id, Name: tree.units[r.id].Name, Share: r.share})
		set = append(set, tree.descendants(r.id)...)
	}
	tallies, err := models.TalliesByUnit(ctx, s.db, year, set)
	if err != nil {
		return IndicatorsView{}, err
	}
	counts, err := models.CountsOf(ctx, s.db, year, set)
	if err != nil {
		return IndicatorsView{}, err
	}
	targets, err := s.targetsFor(ctx, year)
	if err != nil {
		return IndicatorsView{}, err
	}
	// Each unit's figures count toward the commune-level unit it lies in.
	perCommune := map[string]*learning.Figures{}
	total := newFigures()
	communeOf := func(id string) string {
		for depth := 0; depth < 16 && id != ""; depth++ {
			if tree.units[id].Kind == models.KindCommune {
				return id
			}
			id = tree.parents[id]
		}
		return ""
	}
	figuresOf := func(id string) *learning.Figures {
		c := communeOf(id)
		if c == "" {
			return nil
		}
		if perCommune[c] == nil {
			f := newFigures()
			f.Units["commune"] = 1
			perCommune[c] = &f
		}
		return perCommune[c]
	}
	for _, id := range set {
		switch tree.units[id].Kind {
		case models.KindCommune:
			total.Units["commune"]++
			figuresOf(id)
		case models.KindDistrict:
			total.Units["district"]++
		}
	}
	for _, t := range tallies {
		total.Tallies[t.Key] += t.N
		if f := figuresOf(t.UnitID); f != nil {
			f.Tallies[t.Key] += t.N
		}
	}
	for _, c := range counts {
		total.Measures[learning.Measure(c.Measure)] += c.Value
		if f := figuresOf(c.UnitID); f != nil {
			f.Measures[learning.Measure(c.Measure)] += c.Value
		}
	}
	v.Values = learning.Compute(year, total, targets)
	v.Tallies = total.Tallies
	v.Counts = map[string]int64{}
	for m, n := range total.Measures {
		v.Counts[string(m)] = n
	}
	ids := make([]string, 0, len(perCommune))
	for id := range perCommune {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return strings.Compare(tree.units[a].Name, tree.units[b].Name) })
	for _, id := range ids {
		v.Units = append(v.Units, UnitIndicators{UnitID: id, UnitName: tree.units[id].Name, Values: learning.Compute(year, *perCommune[id], targets)})
	}
	return v, nil
}

func newFigures() learning.Figures {
	return learning.Figures{Tallies: map[string]int64{}, Measures: map[learning.Measure]int64{}, Units: map[string]int64{}}
}

// unitTree is the units in force on one day with their parents.
type unitTree struct {
	units    map[string]models.Unit
	parents  map[string]string
	children map[string][]string
}

// descendants is id and every unit under it, id first.
func (t unitTree) descendants(id string) []string {
	out := []string{id}
	for i := 0; i < len(out); i++ {
		out = append(out, t.children[out[i]]...)
	}
	return out
}

// treeOn reads the unit tree in force on day.
func (s *Service) treeOn(ctx context.Context, day time.Time) (unitTree, error) {
	var all []models.Unit
	if err := s.db.WithContext(ctx).Select("id", "name", "kind", "effective_from", "effective_to").Find(&all).Error; err != nil {
		return unitTree{}, fmt.Errorf("units on %s: %w", day.Format(time.DateOnly), err)
	}
	parents, err := models.ParentsAt(ctx, s.db, day)
	if err != nil {
		return unitTree{}, err
	}
	t := unitTree{units: map[string]models.Unit{}, parents: map[string]string{}, children: map[string][]string{}}
	for _, u := range all {
		if u.InForce(day) {
			t.units[u.ID] = u
		}
	}
	ids := make([]string, 0, len(t.units))
	for id := range t.units {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if p, ok := parents[id]; ok {
			if _, in := t.units[p]; in {
				t.parents[id] = p
				t.children[p] = append(t.children[p], id)
			}
		}
	}
	return t, nil
}

// root is a unit whose tree a view sums, with how it came into the unit
// asked for ("" for the unit itself).
type root struct{ id, share string }

// rootsOn gives the units whose trees, on the tree's day, make up unit id:
// id itself if it is in force then, and the units it comes from (however
// far back) that are; partial tells whether one of them went only in
// part into it.
func rootsOn(lineage []models.UnitLineage, tree unitTree, id string) (roots []root, partial bool) {
	preds := map[string][]models.UnitLineage{}
	for _, l := range lineage {
		preds[l.SuccessorID] = append(preds[l.SuccessorID], l)
	}
	type step struct {
		id    string
		share string
	}
	seen := map[string]bool{id: true}
	queue := []step{{id, ""}}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if _, ok := tree.units[cur.id]; ok {
			roots = append(roots, root{cur.id, cur.share})
			partial = partial || cur.share == models.SharePartial
		}
		for _, l := range preds[cur.id] {
			if seen[l.PredecessorID] {
				continue
			}
			seen[l.PredecessorID] = true
			share := l.Share
			if cur.share == models.SharePartial {
				share = models.SharePartial
			}
			queue = append(queue, step{l.PredecessorID, share})
		}
	}
	return roots, partial
}

// targetsFor gives each indicator's target due by year or the first year
// after it that has one.
func (s *Service) targetsFor(ctx context.Context, year int) (map[string]learning.Target, error) {
	var rows []models.LearningTarget
	if err := s.db.WithContext(ctx).Where("year >= ?", year).Order("year DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	out := map[string]learning.Target{}
	for _, r := range rows {
		out[r.Indicator] = learning.Target{Percent: r.Percent, Year: r.Year}
	}
	return out, nil
}
