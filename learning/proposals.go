package learning

import "fmt"

// A proposal of recognitions goes from the body that proposes it through
// its steps to the decision that recognises its holders. Each kind names
// the titles it proposes, where each step is taken — at the proposing
// commune, or at the city's Sở GD&ĐT — and its term.

// StepAt is where a step is taken.
type StepAt string

// Where steps are taken.
const (
	AtCommune   StepAt = "commune"   // the proposing commune (its reviewers; its chairman decides)
	AtEducation StepAt = "education" // the city's Sở GD&ĐT
)

// Step roles.
const (
	StepReview = "review" // reviewed: approve, return or reject
	StepDecide = "decide" // decided by the body's head, with the decision's number
)

// StepSpec is one step of a kind of proposal.
type StepSpec struct {
	Role string `json:"role"`
	At   StepAt `json:"at"`
	Name string `json:"name"`
	// WorkingDays is the step's term; CalendarDays, when set, a term in
	// days instead (the self-assessment is decided within 30 days).
	WorkingDays  int `json:"working_days,omitempty"`
	CalendarDays int `json:"calendar_days,omitempty"`
}

// ProposalKind is a kind of proposal.
type ProposalKind struct {
	Code   string     `json:"code"`
	Name   string     `json:"name"`
	Titles []Title    `json:"titles"`
	Steps  []StepSpec `json:"steps"`
	// Source is the instrument or letter the route follows.
	Source string `json:"source"`
}

// ProposalKinds are the recognitions the movement proposes each year.
var ProposalKinds = []ProposalKind{
	{Code: "cong-nhan-cap-xa", Name: "Công nhận Gia đình, Dòng họ, Cộng đồng học tập hằng năm của xã, phường",
		Titles: []Title{Family, Clan, Community},
		Steps: []StepSpec{
			{Role: StepReview, At: AtCommune, Name: "UBND xã, phường thẩm định đề nghị của thôn, ấp, khu phố", WorkingDays: 10},
			{Role: StepDecide, At: AtCommune, Name: "Chủ tịch UBND xã, phường quyết định công nhận", WorkingDays: 5},
		},
		Source: "Kế hoạch 151/KH-UBND; đề nghị của thôn, ấp, khu phố, xã phường xét và Chủ tịch UBND quyết định"},
	{Code: "don-vi-hoc-tap-truong", Name: "Công nhận Đơn vị học tập của trường học (cuối năm dương lịch)",
		Titles: []Title{Unit},
		Steps: []StepSpec{
			{Role: StepReview, At: AtEducation, Name: "Hội Khuyến học thành phố thẩm định, chuyển Sở GD&ĐT", WorkingDays: 10},
			{Role: StepDecide, At: AtEducation, Name: "Giám đốc Sở GD&ĐT quyết định công nhận", WorkingDays: 10},
		},
		Source: "Công văn 09/CV-HKH: cuối năm dương lịch đề nghị Sở GD&ĐT công nhận Đơn vị học tập (thông qua Hội Khuyến học)"},
	{Code: "tu-danh-gia-xa", Name: "Tự đánh giá Cộng đồng học tập cấp xã (nộp trước 31/5, quyết định trong 30 ngày)",
		Titles: []Title{CommuneCommunity},
		Steps: []StepSpec{
			{Role: StepDecide, At: AtEducation, Name: "Cơ quan có thẩm quyền đánh giá, xếp loại và công nhận", CalendarDays: 30},
		},
		Source: "Thông tư 25/2023/TT-BGDĐT (theo issue 16): hồ sơ tự đánh giá của năm nộp trước ngày 31/5 năm sau, quyết định trong 30 ngày"},
}

// LookupProposalKind returns a kind by its code.
func LookupProposalKind(code string) (ProposalKind, error) {
	for _, k := range ProposalKinds {
		if k.Code == code {
			return k, nil
		}
	}
	return ProposalKind{}, fmt.Errorf("unknown kind of proposal %q", code)
}
