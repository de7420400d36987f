package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
)

// Eligibility from the register (issue 16, point 6). A dossier lists the
// learning titles its nominee holds in /nominee/titles, one entry per
// title and year; until the register existed they were believed. At
// submission each claimed title and year is now looked up in the register
// of learning titles, and a claim the register lacks becomes a warning
// for the reviewers saying what was claimed and what the register holds.
// It is a warning, not a refusal: the register is young (the demo holds
// 2025 only) and a commune may not have entered a past year yet, so the
// reviewer decides — but must say why when approving (Decide).
//
// A title is checked only where the register is kept for it: when the
// nominating unit's lineage has no row of the title at all, the commune
// has not begun its register and every claim would be flagged; the
// reviewer is told the claim could not be checked
// (RuleLearningRegisterUnkept), with no comment required.

// Rule ids of the register's results, beside the forms' rules.
const (
	// RuleLearningRegister: a claimed learning title was looked up in the
	// register. A warning means the register lacks a claimed year; an
	// approval then needs a comment.
	RuleLearningRegister = "learning-register"
	// RuleLearningRegisterUnkept: the register of the nominating unit
	// holds no row of the claimed title; the claim is unchecked.
	RuleLearningRegisterUnkept = "learning-register-unkept"
)

// titleClaim is one learning title a dossier claims, with its years.
type titleClaim struct {
	title  learning.TitleInfo
	years  []int          // sorted, distinct
	entry  map[int]string // year → pointer of its entry in the dossier
	holder learning.HolderKind
}

// claimedTitles reads the learning titles a dossier of kind claims, in the
// order they first appear. Titles of other kinds' holders and the titles
// outside the register ("Gia đình văn hóa") are not claims to check.
func claimedTitles(kind string, dossier map[string]any) []titleClaim {
	nominee, _ := dossier["nominee"].(map[string]any)
	entries, _ := nominee["titles"].([]any)
	var out []titleClaim
	for i, e := range entries[:min(len(entries), 100)] {
		m, _ := e.(map[string]any)
		name, _ := m["title"].(string)
		code, holder, ok := registerTitle(kind, textnorm.Clean(name), nominee)
		year, okYear := intOf(m["year"])
		if !ok || !okYear {
			continue
		}
		info, err := learning.LookupTitle(code)
		if err != nil {
			continue
		}
		at := slices.IndexFunc(out, func(c titleClaim) bool { return c.title.Code == code })
		if at < 0 {
			out = append(out, titleClaim{title: info, holder: holder, entry: map[int]string{}})
			at = len(out) - 1
		}
		c := &out[at]
		if _, seen := c.entry[year]; !seen {
			c.entry[year] = "/nominee/titles/" + strconv.Itoa(i)
			c.years = append(c.years, year)
		}
	}
	for i := range out {
		slices.Sort(out[i].years)
	}
	return out
}

// registerTitle maps a title a dossier of kind names (the forms' enum,
// written as decisions write it) to the register's title and holder
// kind. A community's "Cộng đồng học tập" is the thôn/ấp/khu phố's title,
// the commune's rated one, or the district's "Huyện học tập", by its level.
func registerTitle(kind, name string, nominee map[string]any) (learning.Title, learning.HolderKind, bool) {
	switch {
	case kind == forms.KindIndividual && name == forms.TitleLearningCitizen:
		return learning.Citizen, learning.Person, true
	case kind == forms.KindHousehold && name == forms.TitleLearningFamily:
		return learning.Family, learning.Household, true
	case kind == forms.KindClan && name == forms.TitleLearningClan:
		return learning.Clan, learning.ClanHolder, true
	case (kind == forms.KindCollective || kind == forms.KindEnterprise) && name == forms.TitleLearningUnit:
		return learning.Unit, learning.Organisation, true
	case kind == forms.KindCommunity && name == forms.TitleLearningCommunity:
		level, _ := nominee["level"].(string)
		switch level {
		case "xa":
			return learning.CommuneCommunity, learning.Commune, true
		case "huyen":
			return learning.District, learning.DistrictUnit, true
		default:
			return learning.Community, learning.Area, true
		}
	}
	return "", "", false
}

// intOf reads a JSON number as the dossier's decoding left it.
func intOf(v any) (int, bool) {
	switch x := v.(type) {
	case float64:
		return int(x), x == float64(int(x))
	case int:
		return x, true
	case int64:
		return int(x), true
	case json.Number:
		n, err := x.Int64()
		return int(n), err == nil
	}
	return 0, false
}

// registerResults checks the learning titles a nomination's (clean)
// dossier claims against the register: one result per claimed title,
// none when the dossier claims none.
func (s *Service) registerResults(ctx context.Context, n models.Nomination, form forms.Form, dossier map[string]any) ([]forms.Result, error) {
	claims := claimedTitles(form.Kind, dossier)
	if len(claims) == 0 {
		return nil, nil
	}
	units, err := s.registerUnits(ctx, n.UnitID)
	if err != nil {
		return nil, err
	}
	nominee, _ := dossier["nominee"].(map[string]any)
	name, _ := nominee[form.NameField].(string)
	name = textnorm.Clean(name)
	var out []forms.Result
	for _, c := range claims {
		r, err := s.checkClaim(ctx, n, c, units, name, nominee)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// checkClaim looks one claimed title up in the register.
func (s *Service) checkClaim(ctx context.Context, n models.Nomination, c titleClaim, units []string, name string, nominee map[string]any) (forms.Result, error) {
	claimed := fmt.Sprintf("Hồ sơ khai %s %s", c.title.Name, yearRuns(c.years))
	claimedEN := fmt.Sprintf("The dossier claims %s %s", c.title.Name, yearRuns(c.years))
	kept, err := s.registerKept(ctx, c.title.Code, units)
	if err != nil {
		return forms.Result{}, err
	}
	if !kept {
		return forms.Result{RuleID: RuleLearningRegisterUnkept, Status: forms.StatusWarning, Pointer: c.entry[c.years[0]],
			Message:   claimed + "; sổ ghi nhận danh hiệu học tập của đơn vị chưa có danh hiệu này năm nào, chưa đối chiếu được.",
			MessageEN: claimedEN + "; the unit's register of learning titles holds no such title in any year, so the claim is unchecked."}, nil
	}
	holders, err := s.registerHolders(ctx, n, c.holder, units, name, nominee)
	if err != nil {
		return forms.Result{}, err
	}
	var best []int
	found := false
	for _, h := range holders {
		held, err := s.recognisedYears(ctx, h.ID, c.title.Code)
		if err != nil {
			return forms.Result{}, err
		}
		if !found || len(intersect(held, c.years)) > len(intersect(best, c.years)) {
			best, found = held, true
		}
	}
	missing := slices.DeleteFunc(slices.Clone(c.years), func(y int) bool { return slices.Contains(best, y) })
	if len(missing) == 0 {
		return forms.Result{RuleID: RuleLearningRegister, Status: forms.StatusPass,
			Message:   claimed + "; sổ ghi nhận có đủ các năm khai.",
			MessageEN: claimedEN + "; the register holds every year claimed."}, nil
	}
	r := forms.Result{RuleID: RuleLearningRegister, Status: forms.StatusWarning, Pointer: c.entry[missing[0]]}
	switch {
	case !found:
		r.Message = fmt.Sprintf("%s; sổ ghi nhận không có “%s” trong đơn vị; thiếu %s.", claimed, name, yearList(missing))
		r.MessageEN = fmt.Sprintf("%s; the register holds no “%s” in the unit; missing %s.", claimedEN, name, yearList(missing))
	case len(best) == 0:
		r.Message = fmt.Sprintf("%s; sổ ghi nhận: chưa năm nào; thiếu %s.", claimed, yearList(missing))
		r.MessageEN = fmt.Sprintf("%s; the register: no year; missing %s.", claimedEN, yearList(missing))
	default:
		r.Message = fmt.Sprintf("%s; sổ ghi nhận: %s; thiếu %s.", claimed, yearList(best), yearList(missing))
		r.MessageEN = fmt.Sprintf("%s; the register: %s; missing %s.", claimedEN, yearList(best), yearList(missing))
	}
	return r, nil
}

// registerUnits are the units whose register may hold a nominee of unitID:
// the unit, the units it comes from and those it went into (however far
// back or on: a 2024 dossier of old Phường An Bình, a household kept
// today under Phường Dĩ An), the units under each today (a district body
// nominating a commune's household), and the units above the nominating
// body (a school's organisation kept by its commune).
func (s *Service) registerUnits(ctx context.Context, unitID string) ([]string, error) {
	lineage, err := s.ref.Lineage(ctx)
	if err != nil {
		return nil, err
	}
	set := models.WithPredecessors(lineage, unitID)
	succ := map[string][]string{}
	for _, l := range lineage {
		succ[l.PredecessorID] = append(succ[l.PredecessorID], l.SuccessorID)
	}
	// Forward from unitID only: the walk never turns back to a sibling's
	// predecessors.
	for next := []string{unitID}; len(next) > 0; {
		id := next[0]
		next = next[1:]
		for _, s := range succ[id] {
			if !slices.Contains(set, s) {
				set = append(set, s)
				next = append(next, s)
			}
		}
	}
	parents, err := models.ParentsAt(ctx, s.db, s.today())
	if err != nil {
		return nil, err
	}
	children := map[string][]string{}
	for child, parent := range parents {
		children[parent] = append(children[parent], child)
	}
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, id := range set {
		add(id)
	}
	for i := 0; i < len(out); i++ {
		for _, c := range children[out[i]] {
			add(c)
		}
	}
	for id, depth := parents[unitID], 0; id != "" && depth < 16; id, depth = parents[id], depth+1 {
		add(id)
	}
	return out, nil
}

// registerKept tells whether the register of units holds any row of
// title, in any year and status.
func (s *Service) registerKept(ctx context.Context, title learning.Title, units []string) (bool, error) {
	for _, part := range chunkIDs(units) {
		var n int64
		err := s.db.WithContext(ctx).Model(&models.LearningRecognition{}).
			Where("title = ? AND unit_id IN ?", string(title), part).Limit(1).Count(&n).Error
		if err != nil {
			return false, fmt.Errorf("register of %s: %w", title, err)
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// registerHolders finds the nominee among the register's holders of kind
// in units, by name (a household also by its head's), a person also by
// the year of birth; a person whose dossier carries a CCCD by its keyed
// hash among those units, and never as another person holding a
// different key.
func (s *Service) registerHolders(ctx context.Context, n models.Nomination, kind learning.HolderKind, units []string, name string, nominee map[string]any) ([]models.LearningHolder, error) {
	var key string
	birth := 0
	if kind == learning.Person {
		if cccd, _ := nominee["cccd"].(string); cccd != "" {
			key = s.personKey(cccd)
			var byKey []models.LearningHolder
			// Only within the units the nomination's register covers: a
			// CCCD typed into a dossier must not reveal a person kept by
			// another commune.
			if err := s.db.WithContext(ctx).Where("person_key = ? AND unit_id IN ?", key, units).Limit(10).Find(&byKey).Error; err != nil {
				return nil, fmt.Errorf("holders of %s by key: %w", n.ID, err)
			}
			if len(byKey) > 0 {
				return byKey, nil
			}
		}
		if dob, _ := nominee["date_of_birth"].(string); len(dob) >= 4 {
			birth, _ = strconv.Atoi(dob[:4])
		}
	}
	var out []models.LearningHolder
	for _, part := range chunkIDs(units) {
		var rows []models.LearningHolder
		err := s.db.WithContext(ctx).Select("id", "name", "head_name", "birth_year", "unit_id", "person_key").
			Where("kind = ? AND unit_id IN ?", string(kind), part).Find(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("holders of %s: %w", n.ID, err)
		}
		for _, h := range rows {
			sameName := sameHolderName(h.Name, name) || (h.HeadName != "" && sameHolderName(h.HeadName, name))
			if (kind == learning.Commune || kind == learning.DistrictUnit) && h.UnitID == n.UnitID {
				sameName = true
			}
			if !sameName || (birth != 0 && h.BirthYear != 0 && h.BirthYear != birth) || (key != "" && h.PersonKey != "" && h.PersonKey != key) {
				continue
			}
			out = append(out, h)
		}
	}
	return out, nil
}

// sameHolderName compares a name in the register with the dossier's as a
// reader would: case and spacing aside (not the accents: "Bình" and
// "Bính" are two names), and allowing what one
// adds before the name ("Hộ ông Trần Văn Bình" and "Trần Văn Bình") or
// after a comma ("Khu phố 3, phường Phú Lợi" and "Khu phố 3"), provided
// the shorter has at least two words.
func sameHolderName(a, b string) bool {
	fold := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(textnorm.Clean(s))), " ") }
	a, b = fold(a), fold(b)
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(strings.Fields(b)) < 2 {
		return false
	}
	head, _, _ := strings.Cut(a, ",")
	return strings.HasSuffix(a, " "+b) || strings.TrimSpace(head) == b
}

// recognisedYears are the years holder is recognised with title, sorted.
func (s *Service) recognisedYears(ctx context.Context, holder string, title learning.Title) ([]int, error) {
	var years []int
	err := s.db.WithContext(ctx).Model(&models.LearningRecognition{}).
		Where("holder_id = ? AND title = ? AND status = ?", holder, string(title), learning.Recognised).
		Order("year").Pluck("year", &years).Error
	if err != nil {
		return nil, fmt.Errorf("recognitions of %s: %w", holder, err)
	}
	return years, nil
}

// registerFlagged tells whether an approval of n needs a comment: its
// eligibility, evaluated at submission, holds a register warning, and the
// register still lacks a claimed year now (a commune may have entered the
// missing year since). It returns the warnings' messages.
func (s *Service) registerFlagged(ctx context.Context, n models.Nomination) ([]string, error) {
	var stored []forms.Result
	if n.Eligibility == "" || json.Unmarshal([]byte(n.Eligibility), &stored) != nil ||
		!slices.ContainsFunc(stored, isRegisterWarning) {
		return nil, nil
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(n.Dossier), &d); err != nil {
		return nil, fmt.Errorf("dossier of %s: %w", n.ID, err)
	}
	form, err := nominationForm(n)
	if err != nil {
		return nil, err
	}
	now, err := s.registerResults(ctx, n, form, d)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range now {
		if isRegisterWarning(r) {
			out = append(out, r.Message)
		}
	}
	return out, nil
}

// registerComment is the refusal of an approval without a comment when
// the register still lacks a title n's dossier claims, nil when none is
// needed.
func (s *Service) registerComment(ctx context.Context, n models.Nomination) (*FieldError, error) {
	flagged, err := s.registerFlagged(ctx, n)
	if err != nil || len(flagged) == 0 {
		return nil, err
	}
	return &FieldError{Pointer: "/comment",
		Message: "Sổ ghi nhận danh hiệu học tập chưa có danh hiệu hồ sơ khai: " + strings.Join(flagged, " ") +
			" Ghi ý kiến khi chấp thuận.",
		MessageEN: "The register of learning titles lacks a title the dossier claims; a comment is required to approve."}, nil
}

func isRegisterWarning(r forms.Result) bool {
	return r.RuleID == RuleLearningRegister && r.Status == forms.StatusWarning
}

// yearRuns writes sorted years as a reader writes a period: 2023–2025,
// or 2021, 2023–2025.
func yearRuns(years []int) string {
	var parts []string
	for i := 0; i < len(years); {
		j := i
		for j+1 < len(years) && years[j+1] == years[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d–%d", years[i], years[j]))
		} else {
			parts = append(parts, strconv.Itoa(years[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// yearList writes years one by one: 2024, 2025.
func yearList(years []int) string {
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = strconv.Itoa(y)
	}
	return strings.Join(parts, ", ")
}

func intersect(a, b []int) []int {
	var out []int
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// chunkIDs splits ids into lists short enough for an IN clause on both
// engines.
func chunkIDs(ids []string) [][]string {
	const size = 900
	var out [][]string
	for len(ids) > size {
		out = append(out, ids[:size])
		ids = ids[size:]
	}
	return append(out, ids)
}
