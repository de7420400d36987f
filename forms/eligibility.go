package forms

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/routing"
)

// Rule statuses and severities.
const (
	StatusPass    = "pass"
	StatusFail    = "fail"    // blocks the nomination
	StatusWarning = "warning" // shown to the reviewer, does not block
)

// Rule is one eligibility criterion for an award: the standards of the
// plan (Kế hoạch 151/KH-UBND, mục III) and of the Law on Emulation and
// Commendation that a well-formed dossier may still miss. Rules are data
// so that reviewers can read the list (Rules) and a round can be checked
// against it; a rule states its condition declaratively (Title,
// PriorAward) or, when none fits, in code (Check).
type Rule struct {
	ID            string          `json:"id"`
	Awards        []routing.Award `json:"awards,omitempty"` // empty: every award
	Kinds         []string        `json:"kinds,omitempty"`  // empty: every nominee kind
	Severity      string          `json:"severity"`         // StatusFail or StatusWarning
	Description   string          `json:"description"`
	DescriptionEN string          `json:"description_en"`

	// Title: the nominee holds this title (in /nominee/titles), in any
	// year of the period.
	Title string `json:"title,omitempty"`
	// PriorAward: the nominee has received an award of this form from one
	// of these levels (in /nominee/awards).
	PriorAward *PriorAward `json:"prior_award,omitempty"`
	// Check decides the rule in code; each Finding is one failure.
	Check func(c Case) []Finding `json:"-"`
}

// PriorAward is an award a nominee must already hold.
type PriorAward struct {
	Form   string   `json:"form"`   // AwardFormBangKhen, …
	Levels []string `json:"levels"` // LevelProvince, …
}

// Case is what a rule's Check sees.
type Case struct {
	Award   routing.Award
	Kind    string
	Dossier map[string]any
	Now     time.Time
	Form    Form // the dossier form (voting thresholds)
}

// Finding is one failure of a rule, located in the dossier.
type Finding struct {
	Pointer   string
	Message   string
	MessageEN string
}

// Result is the outcome of one rule (or, for a rule with several
// findings, of one finding).
type Result struct {
	RuleID    string `json:"rule_id"`
	Status    string `json:"status"` // StatusPass, StatusFail, StatusWarning
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
	Pointer   string `json:"pointer,omitempty"`
}

var rules = []Rule{
	{
		ID: "letter-award", Severity: StatusFail,
		Description:   "Hình thức khen thưởng trong tờ trình trùng với hình thức đề nghị.",
		DescriptionEN: "The letter asks for the award of the nomination.",
		Check:         checkLetterAward,
	},
	{
		ID: "individual-learning-citizen", Kinds: []string{KindIndividual}, Severity: StatusFail,
		Title:         TitleLearningCitizen,
		Description:   "Cá nhân được công nhận danh hiệu “Công dân học tập” (Kế hoạch 151/KH-UBND, mục III.1.h).",
		DescriptionEN: "The individual holds the “Learning citizen” title.",
	},
	{
		ID: "household-learning-family", Kinds: []string{KindHousehold}, Severity: StatusFail,
		Title:         TitleLearningFamily,
		Description:   "Hộ gia đình đạt danh hiệu “Gia đình học tập” (Kế hoạch 151/KH-UBND, mục III.1.e).",
		DescriptionEN: "The household holds the “Learning family” title.",
	},
	{
		ID: "clan-learning-clan", Kinds: []string{KindClan}, Severity: StatusFail,
		Title:         TitleLearningClan,
		Description:   "Dòng họ đạt danh hiệu “Dòng họ học tập” (Kế hoạch 151/KH-UBND, mục III.1.e).",
		DescriptionEN: "The clan holds the “Learning clan” title.",
	},
	{
		ID: "community-learning-community", Kinds: []string{KindCommunity}, Severity: StatusFail,
		Title:         TitleLearningCommunity,
		Description:   "Cộng đồng được công nhận “Cộng đồng học tập” (Kế hoạch 151/KH-UBND, mục III.1.a, d, đ).",
		DescriptionEN: "The community holds the “Learning community” title.",
	},
	{
		// The plan asks collectives to strive for the title ("phấn đấu
		// đạt") and enterprises to have their organizations recognized:
		// a criterion, not a condition, hence a warning.
		ID: "unit-learning-unit", Kinds: []string{KindCollective, KindEnterprise}, Severity: StatusWarning,
		Title:         TitleLearningUnit,
		Description:   "Tập thể, doanh nghiệp đạt danh hiệu “Đơn vị học tập” (Kế hoạch 151/KH-UBND, mục III.1.c, g).",
		DescriptionEN: "The collective or enterprise holds the “Learning unit” title.",
	},
	{
		ID: "prime-minister-prior-merit", Awards: []routing.Award{routing.BangKhenThuTuong}, Severity: StatusFail,
		PriorAward:    &PriorAward{Form: AwardFormBangKhen, Levels: []string{LevelProvince, LevelMinistry}},
		Description:   "Đề nghị Bằng khen của Thủ tướng Chính phủ: đã được tặng Bằng khen cấp tỉnh hoặc cấp bộ, ngành.",
		DescriptionEN: "A Prime Minister's certificate of merit requires a provincial or ministerial certificate of merit received before.",
	},
	{
		ID: "minutes-vote", Severity: StatusFail,
		Description:   "Đối tượng được đề nghị có trên 1/2 tổng số thành viên đồng ý tại cuộc họp xét.",
		DescriptionEN: "More than half of all members voted for the nominee at the review meeting.",
		Check:         checkVotePassed,
	},
	{
		ID: "minutes-letter-nominees", Severity: StatusWarning,
		Description:   "Mọi đối tượng trong tờ trình đều được cuộc họp xét thông qua.",
		DescriptionEN: "Every nominee of the letter passed the review meeting's vote.",
		Check:         checkLetterNomineesPassed,
	},
}

// Rules lists the eligibility rules, for reviewers and documentation.
func Rules() []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		r.Awards = slices.Clone(r.Awards)
		r.Kinds = slices.Clone(r.Kinds)
		if r.PriorAward != nil {
			p := *r.PriorAward
			p.Levels = slices.Clone(p.Levels)
			r.PriorAward = &p
		}
		out[i] = r
	}
	return out
}

// Eligibility evaluates every rule that applies to the award and nominee
// kind against a dossier (normally the clean dossier from Validate; on raw
// input each rule reads what it can and never panics). Each rule yields a
// pass, or its severity with a message and the pointer of the value at
// fault; a rule with several findings yields one result per finding.
//
// The form (its voting thresholds) is the version of kind in force on
// now's day, as for Validate; EligibilityFor takes a nomination's version.
func Eligibility(award, kind string, dossier map[string]any, now time.Time) []Result {
	f, ok := at(kind, now)
	if !ok {
		f.Kind = kind
	}
	return EligibilityFor(award, f, dossier, now)
}

// EligibilityFor is Eligibility under a given version of a dossier form.
func EligibilityFor(award string, f Form, dossier map[string]any, now time.Time) []Result {
	if _, err := routing.LookupAward(routing.Award(award)); err != nil {
		return []Result{{RuleID: "award", Status: StatusFail,
			Message:   fmt.Sprintf("Hình thức khen thưởng “%s” không tồn tại.", sanitize(award)),
			MessageEN: fmt.Sprintf("Unknown award “%s”.", sanitize(award))}}
	}
	kind := f.Kind
	if _, ok := dossierForms[kind]; !ok || f.Code == "" {
		return []Result{{RuleID: "kind", Status: StatusFail,
			Message:   fmt.Sprintf("Loại đối tượng “%s” không hợp lệ.", sanitize(kind)),
			MessageEN: fmt.Sprintf("Unknown nominee kind “%s”.", sanitize(kind))}}
	}
	c := Case{Award: routing.Award(award), Kind: kind, Dossier: dossier, Now: now, Form: f}
	var out []Result
	for _, r := range rules {
		if (len(r.Awards) > 0 && !slices.Contains(r.Awards, c.Award)) || (len(r.Kinds) > 0 && !slices.Contains(r.Kinds, kind)) {
			continue
		}
		var findings []Finding
		switch {
		case r.Title != "":
			findings = holdsTitle(c, r.Title)
		case r.PriorAward != nil:
			findings = holdsAward(c, *r.PriorAward)
		case r.Check != nil:
			findings = r.Check(c)
		}
		if len(findings) == 0 {
			out = append(out, Result{RuleID: r.ID, Status: StatusPass, Message: r.Description, MessageEN: r.DescriptionEN})
			continue
		}
		for _, fd := range findings {
			out = append(out, Result{RuleID: r.ID, Status: r.Severity, Message: fd.Message, MessageEN: fd.MessageEN, Pointer: fd.Pointer})
		}
	}
	return out
}

// Blocking reports whether any result fails, i.e. whether the nomination
// cannot go on to the award asked for.
func Blocking(results []Result) bool {
	return slices.ContainsFunc(results, func(r Result) bool { return r.Status == StatusFail })
}

func nominee(d map[string]any) map[string]any {
	m, _ := d["nominee"].(map[string]any)
	return m
}

// maxRead bounds the lists the rules read: the longest list a valid
// dossier holds, so that a raw dossier of a hundred thousand votes costs no
// more than a valid one.
const maxRead = 500

func list(m map[string]any, key string) []any {
	l, _ := m[key].([]any)
	return l[:min(len(l), maxRead)]
}

func holdsTitle(c Case, title string) []Finding {
	for _, t := range list(nominee(c.Dossier), "titles") {
		tm, _ := t.(map[string]any)
		if textnorm.Clean(str(tm["title"])) == title {
			return nil
		}
	}
	return []Finding{{Pointer: "/nominee/titles",
		Message:   fmt.Sprintf("Chưa kê khai danh hiệu “%s” trong giai đoạn %d–%d.", title, PeriodStart, PeriodEnd),
		MessageEN: fmt.Sprintf("No “%s” title is listed for %d–%d.", title, PeriodStart, PeriodEnd)}}
}

func holdsAward(c Case, want PriorAward) []Finding {
	for _, a := range list(nominee(c.Dossier), "awards") {
		am, _ := a.(map[string]any)
		if textnorm.Clean(str(am["form"])) == want.Form && slices.Contains(want.Levels, textnorm.Clean(str(am["level"]))) {
			return nil
		}
	}
	return []Finding{{Pointer: "/nominee/awards",
		Message:   fmt.Sprintf("Chưa có %s cấp %s trong các hình thức khen thưởng đã nhận.", want.Form, levelNames(want.Levels, true)),
		MessageEN: fmt.Sprintf("No %s of level %s among the awards received.", want.Form, levelNames(want.Levels, false))}}
}

func levelNames(levels []string, vi bool) string {
	names := map[string][2]string{
		LevelCommune: {"xã", "commune"}, LevelDistrict: {"huyện", "district"}, LevelDepartment: {"sở, ngành", "department"},
		LevelProvince: {"tỉnh", "province"}, LevelMinistry: {"bộ, ngành trung ương", "ministry"},
		LevelGovernment: {"Chính phủ", "government"}, LevelState: {"Nhà nước", "state"},
	}
	out := make([]string, len(levels))
	for i, l := range levels {
		n, ok := names[l]
		switch {
		case !ok:
			out[i] = l
		case vi:
			out[i] = n[0]
		default:
			out[i] = n[1]
		}
	}
	if vi {
		return strings.Join(out, " hoặc ")
	}
	return strings.Join(out, " or ")
}

func checkLetterAward(c Case) []Finding {
	letter, _ := c.Dossier["letter"].(map[string]any)
	got := textnorm.Clean(str(letter["award"]))
	if got == string(c.Award) {
		return nil
	}
	want, _ := routing.LookupAward(c.Award)
	if got == "" {
		return []Finding{{Pointer: "/letter/award",
			Message:   fmt.Sprintf("Tờ trình chưa ghi hình thức khen thưởng đề nghị (“%s”).", want.Name),
			MessageEN: fmt.Sprintf("The letter does not state the award asked (“%s”).", c.Award)}}
	}
	return []Finding{{Pointer: "/letter/award",
		Message:   fmt.Sprintf("Tờ trình đề nghị “%s”, không phải “%s”.", sanitize(got), want.Name),
		MessageEN: fmt.Sprintf("The letter asks for “%s”, not “%s”.", sanitize(got), c.Award)}}
}

// vote is one nominee's line of the minutes.
type vote struct {
	index    int
	yes, no  int64
	complete bool
}

// meeting is the part of the minutes the vote rules read.
type meeting struct {
	total   int64
	okTotal bool
	votes   []any
	index   nameIndex
}

func readMeeting(d map[string]any) meeting {
	minutes, _ := d["minutes"].(map[string]any)
	m := meeting{votes: list(minutes, "votes")}
	m.total, m.okTotal = asInt(minutes["members_total"])
	m.index = newNameIndex(m.votes)
	return m
}

// vote finds the vote on name. With either, a vote whose name ends the
// given name also matches (the letter says "Hộ ông Trần Văn Bình", the
// minutes "Trần Văn Bình").
func (m meeting) vote(name string, either bool) (vote, bool) {
	i := m.index.find(nameKey(name), either)
	if i < 0 {
		return vote{}, false
	}
	vm, _ := m.votes[i].(map[string]any)
	yes, ok1 := asInt(vm["for"])
	no, ok2 := asInt(vm["against"])
	return vote{index: i, yes: yes, no: no, complete: ok1 && ok2}, true
}

// passed applies the form's majority: more than Majority of all members.
func passed(f Form, total, yes int64) bool {
	q := majority(f)
	return yes*int64(q.Den) > total*int64(q.Num)
}

func checkVotePassed(c Case) []Finding {
	name := nomineeName(c.Kind, c.Dossier)
	if name == "" {
		return []Finding{{Pointer: "/nominee/" + nomineeForms[c.Kind].NameField,
			Message: "Chưa có tên đối tượng được đề nghị.", MessageEN: "The nominee has no name."}}
	}
	m := readMeeting(c.Dossier)
	total, okTotal := m.total, m.okTotal
	v, found := m.vote(name, false)
	if !found {
		return []Finding{{Pointer: "/minutes/votes",
			Message:   fmt.Sprintf("Biên bản họp xét không có kết quả biểu quyết đối với “%s”.", sanitize(name)),
			MessageEN: fmt.Sprintf("The minutes record no vote on “%s”.", sanitize(name))}}
	}
	ptr := fmt.Sprintf("/minutes/votes/%d", v.index)
	if !okTotal || !v.complete {
		return []Finding{{Pointer: ptr, Message: "Kết quả biểu quyết chưa đầy đủ.", MessageEN: "The vote is incomplete."}}
	}
	if passed(c.Form, total, v.yes) {
		return nil
	}
	return []Finding{{Pointer: ptr + "/for", Message: notPassedVI(c.Form, sanitize(name), v.yes, total),
		MessageEN: notPassedEN(c.Form, sanitize(name), v.yes, total)}}
}

func majority(f Form) Fraction {
	if f.Majority.Den == 0 {
		return defaultMajority
	}
	return f.Majority
}

func notPassedVI(f Form, name string, yes, total int64) string {
	return fmt.Sprintf("“%s” chỉ có %d/%d thành viên đồng ý, chưa đạt trên %s tổng số thành viên.", name, yes, total, majority(f))
}

func notPassedEN(f Form, name string, yes, total int64) string {
	return fmt.Sprintf("“%s” had %d of %d members voting for, not more than %s of all members.", name, yes, total, majority(f))
}

// checkLetterNomineesPassed reports each nominee of the letter that the
// minutes do not show as passed: the letter proposes only those the
// meeting approved.
func checkLetterNomineesPassed(c Case) []Finding {
	letter, _ := c.Dossier["letter"].(map[string]any)
	var out []Finding
	m := readMeeting(c.Dossier)
	for i, x := range list(letter, "nominees") {
		name := textnorm.Clean(str(x))
		if name == "" {
			continue
		}
		ptr := fmt.Sprintf("/letter/nominees/%d", i)
		v, found := m.vote(name, true)
		switch {
		case !found:
			out = append(out, Finding{Pointer: ptr,
				Message:   fmt.Sprintf("Biên bản họp xét không có kết quả biểu quyết đối với “%s”.", sanitize(name)),
				MessageEN: fmt.Sprintf("The minutes record no vote on “%s”.", sanitize(name))})
		case m.okTotal && v.complete && !passed(c.Form, m.total, v.yes):
			out = append(out, Finding{Pointer: ptr,
				Message: notPassedVI(c.Form, sanitize(name), v.yes, m.total), MessageEN: notPassedEN(c.Form, sanitize(name), v.yes, m.total)})
		}
	}
	return out
}
