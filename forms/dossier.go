package forms

import "github.com/tdkt/tdkt/routing"

// Voting thresholds of the review minutes.
//
// Quorum: the emulation and commendation councils' working regulations
// (quy chế hoạt động of the Hội đồng Thi đua – Khen thưởng at every level,
// made under the Law on Emulation and Commendation 2022 and Decree
// 98/2023/NĐ-CP) let a council meet and conclude only when at least two
// thirds of its members attend. Majority: a proposal passes with the votes
// of more than half of ALL members (not of those present), the common rule
// of those regulations for the Bằng khen and Giấy khen of a movement.
// Titles that need a qualified majority (Chiến sĩ thi đua: 70 % or 90 %)
// are outside this movement's forms. Both are parameters of the dossier
// form so that a body with a different regulation can be served without
// changing code.
var (
	defaultQuorum   = Fraction{Num: 2, Den: 3}
	defaultMajority = Fraction{Num: 1, Den: 2}
)

var kinds = []string{KindIndividual, KindHousehold, KindClan, KindCollective, KindEnterprise, KindCommunity}

// nomineeForms and dossierForms hold each kind's newest version (every
// version is in versions), built once; callers get deep copies.
var (
	nomineeForms = map[string]Form{}
	dossierForms = map[string]Form{}
)

func init() {
	for _, build := range []func() Form{individualForm, householdForm, clanForm, collectiveForm, enterpriseForm, communityForm} {
		register(build)
	}
	for _, f := range versions {
		compilePatterns(f.Fields) // a bad pattern fails at start, not at the first dossier
	}
}

// Kinds lists the nominee kinds, in the order the web form offers them.
func Kinds() []string { return append([]string(nil), kinds...) }

// Lookup returns the achievement report form of a nominee kind (its
// newest version): the part of the dossier that differs between kinds.
// The fields of a report the import template and the examples read are
// those of every version.
func Lookup(kind string) (Form, bool) {
	f, ok := nomineeForms[kind]
	if !ok {
		return Form{}, false
	}
	return f.clone(), true
}

// Dossier returns the form of a whole nomination dossier for a nominee
// kind: the submission letter, the nominee's achievement report and the
// review minutes, as one JSON object, in its newest version. It returns
// the zero Form for an unknown kind. A nomination is read with the version
// it recorded (Get), a new one takes the version in force (InForce).
func Dossier(kind string) Form {
	f, ok := dossierForms[kind]
	if !ok {
		return Form{}
	}
	return f.clone()
}

func dossierForm(nominee Form, e edition) Form {
	return Form{
		Kind: nominee.Kind, Code: nominee.Code, Version: nominee.Version, LegalBasis: nominee.LegalBasis,
		ValidFrom: nominee.ValidFrom, ValidTo: nominee.ValidTo, Source: nominee.Source,
		Title:   "Hồ sơ đề nghị khen thưởng – " + nominee.Title,
		TitleEN: "Nomination dossier – " + nominee.TitleEN,
		Help: "Hồ sơ gồm tờ trình của cơ quan, đơn vị đề nghị, báo cáo thành tích của đối tượng được đề nghị " +
			"và biên bản họp xét. Phong trào “Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời " +
			"giai đoạn 2023–2030” (Kế hoạch 151/KH-UBND tỉnh Bình Dương).",
		NameField: nominee.NameField,
		Checks:    []string{"letter-lists-nominee", "minutes-before-letter"},
		Quorum:    defaultQuorum,
		Majority:  defaultMajority,
		Fields: []Field{
			letterField(e.decree),
			{Name: "nominee", Label: nominee.Title, LabelEN: nominee.TitleEN, Help: nominee.Help, Type: TypeObject,
				Required: true, Fields: cloneFields(nominee.Fields), Checks: append([]string(nil), nominee.Checks...)},
			minutesField(),
		},
	}
}

func awardOptions() []Option {
	out := make([]Option, 0, len(routing.Awards))
	for _, a := range routing.Awards {
		out = append(out, Option{Value: string(a.Code), Label: a.Name})
	}
	return out
}

// letterField is the submission letter; its legal basis's help cites
// decree, the instrument of the form's version.
func letterField(decree string) Field {
	return Field{
		Name: "letter", Label: "Tờ trình đề nghị khen thưởng", LabelEN: "Submission letter", Type: TypeObject, Required: true,
		Fields: []Field{
			{Name: "issuer", Label: "Cơ quan, đơn vị trình", LabelEN: "Issuing body", Type: TypeString, Required: true,
				MinLength: 5, MaxLength: 250, Help: "Ví dụ: Ủy ban nhân dân phường Phú Lợi."},
			{Name: "number", Label: "Số tờ trình", LabelEN: "Letter number", Type: TypeString, Required: true,
				MaxLength: 50, Pattern: `^[0-9]{1,5}(/[0-9]{4})?/TTr-[A-ZĐ0-9][A-ZĐ0-9&.-]{0,29}$`,
				PatternMessage:   "Số tờ trình theo mẫu “số/TTr-cơ quan”, ví dụ 12/TTr-UBND hoặc 3196/TTr-SGDĐT.",
				PatternMessageEN: "The letter number follows “number/TTr-BODY”, e.g. 12/TTr-UBND or 3196/TTr-SGDĐT.",
				Help:             "Ví dụ: 12/TTr-UBND."},
			{Name: "date", Label: "Ngày tờ trình", LabelEN: "Letter date", Type: TypeDate, Required: true,
				MinDate: periodStartDate, NotFuture: true},
			{Name: "legal_basis", Label: "Căn cứ pháp lý", LabelEN: "Legal basis", Type: TypeText, Required: true,
				MinLength: 20, MaxLength: 5000,
				Help: "Ví dụ: Căn cứ Luật Thi đua, khen thưởng ngày 15/6/2022; " + decree +
					"; Kế hoạch số 151/KH-UBND ngày 15/01/2024 của UBND tỉnh Bình Dương…"},
			{Name: "award", Label: "Hình thức khen thưởng đề nghị", LabelEN: "Award asked", Type: TypeEnum, Required: true,
				Enum: awardOptions()},
			{Name: "nominees", Label: "Danh sách đối tượng được đề nghị", LabelEN: "Nominees", Type: TypeArray, Required: true,
				MinItems: 1, MaxItems: 500, Help: "Họ tên cá nhân hoặc tên tập thể, hộ gia đình, dòng họ, cộng đồng.",
				Items: &Field{Name: "nominee", Label: "Đối tượng", LabelEN: "Nominee", Type: TypeString, Required: true,
					MinLength: 2, MaxLength: 250}},
		},
	}
}

func minutesField() Field {
	return Field{
		Name: "minutes", Label: "Biên bản họp xét", LabelEN: "Review minutes", Type: TypeObject, Required: true,
		Checks: []string{"minutes-votes"},
		Help: "Cuộc họp hợp lệ khi có ít nhất 2/3 tổng số thành viên dự họp; đối tượng được đề nghị khi có trên 1/2 " +
			"tổng số thành viên đồng ý.",
		Fields: []Field{
			{Name: "meeting_date", Label: "Ngày họp", LabelEN: "Meeting date", Type: TypeDate, Required: true,
				MinDate: periodStartDate, NotFuture: true},
			{Name: "body", Label: "Hội đồng, tập thể họp xét", LabelEN: "Reviewing body", Type: TypeString, MaxLength: 250,
				Help: "Ví dụ: Hội đồng Thi đua – Khen thưởng phường Phú Lợi."},
			{Name: "members_total", Label: "Tổng số thành viên", LabelEN: "Members in total", Type: TypeInteger, Required: true,
				Min: num(1), Max: num(500)},
			{Name: "members_present", Label: "Số thành viên dự họp", LabelEN: "Members present", Type: TypeInteger, Required: true,
				Min: num(1), Max: num(500)},
			{Name: "votes", Label: "Kết quả biểu quyết", LabelEN: "Votes", Type: TypeArray, Required: true,
				MinItems: 1, MaxItems: 500,
				Items: &Field{Name: "vote", Label: "Biểu quyết", LabelEN: "Vote", Type: TypeObject, Fields: []Field{
					{Name: "nominee", Label: "Đối tượng", LabelEN: "Nominee", Type: TypeString, Required: true,
						MinLength: 2, MaxLength: 250},
					{Name: "for", Label: "Số phiếu đồng ý", LabelEN: "Votes for", Type: TypeInteger, Required: true,
						Min: num(0), Max: num(500)},
					{Name: "against", Label: "Số phiếu không đồng ý", LabelEN: "Votes against", Type: TypeInteger, Required: true,
						Min: num(0), Max: num(500)},
				}}},
		},
	}
}
