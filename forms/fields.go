package forms

// Nominee kinds (DESIGN.md §2): each has its own achievement report form.
const (
	KindIndividual = "individual" // cá nhân
	KindHousehold  = "household"  // hộ gia đình
	KindClan       = "clan"       // dòng họ
	KindCollective = "collective" // tập thể: cơ quan, trường học, đơn vị
	KindEnterprise = "enterprise" // doanh nghiệp
	KindCommunity  = "community"  // cộng đồng: ấp, khu phố, xã, huyện
)

// The learning titles of the plan (Kế hoạch 151/KH-UBND, mục III.1): the
// criteria for commendation in the movement. They are the enum values of
// /nominee/titles/*/title, written as the recognition decisions write them.
const (
	TitleLearningCitizen   = "Công dân học tập"
	TitleLearningFamily    = "Gia đình học tập"
	TitleLearningClan      = "Dòng họ học tập"
	TitleLearningCommunity = "Cộng đồng học tập"
	TitleLearningUnit      = "Đơn vị học tập"
)

// Forms of award a nominee may have received, and the levels that grant
// them: the awards-received list of every report. Level is asked apart
// from the issuer's name because eligibility for the Prime Minister's
// Bằng khen depends on it and an issuer typed freely cannot be trusted to
// tell a provincial Bằng khen from a departmental one.
const (
	AwardFormGiayKhen = "Giấy khen"
	AwardFormBangKhen = "Bằng khen"

	LevelCommune    = "xa"
	LevelDistrict   = "huyen"
	LevelDepartment = "so"
	LevelProvince   = "tinh"
	LevelMinistry   = "bo"
	LevelGovernment = "chinh-phu"
	LevelState      = "nha-nuoc"
)

// Periods the forms accept. The movement runs 2023–2030 (Kế hoạch
// 151/KH-UBND); titles are recognized within it, and letters and minutes
// cannot predate it.
const (
	PeriodStart     = 2023
	PeriodEnd       = 2030
	periodStartDate = "2023-01-01"
)

func titlesField(help string, titles ...Option) Field {
	return Field{
		Name: "titles", Label: "Danh hiệu đã đạt", LabelEN: "Titles held", Type: TypeArray, MaxItems: 20,
		Help: help,
		Items: &Field{Name: "title", Label: "Danh hiệu", LabelEN: "Title", Type: TypeObject, Fields: []Field{
			{Name: "title", Label: "Danh hiệu", LabelEN: "Title", Type: TypeEnum, Required: true, Enum: titles},
			{Name: "year", Label: "Năm đạt", LabelEN: "Year", Type: TypeInteger, Required: true,
				Min: num(PeriodStart), Max: num(PeriodEnd), NotFuture: true,
				Help: "Năm được công nhận, trong giai đoạn 2023–2030, không sau năm nộp hồ sơ."},
			{Name: "decision", Label: "Số quyết định công nhận", LabelEN: "Recognition decision number", Type: TypeString,
				MaxLength: 60, Help: "Ví dụ: 215/QĐ-UBND."},
		}},
	}
}

func awardsField() Field {
	return Field{
		Name: "awards", Label: "Hình thức khen thưởng đã nhận", LabelEN: "Awards received", Type: TypeArray, MaxItems: 50,
		Help: "Các hình thức khen thưởng đã được tặng (ghi rõ năm, số quyết định, cơ quan ban hành).",
		Items: &Field{Name: "award", Label: "Khen thưởng", LabelEN: "Award", Type: TypeObject, Fields: []Field{
			{Name: "year", Label: "Năm", LabelEN: "Year", Type: TypeInteger, Required: true,
				Min: num(1945), Max: num(PeriodEnd), NotFuture: true},
			{Name: "form", Label: "Hình thức", LabelEN: "Form", Type: TypeEnum, Required: true, Enum: []Option{
				{AwardFormGiayKhen, "Giấy khen", "Certificate of commendation"},
				{AwardFormBangKhen, "Bằng khen", "Certificate of merit"},
				{"Cờ thi đua", "Cờ thi đua", "Emulation flag"},
				{"Huân chương", "Huân chương", "Order"},
				{"Kỷ niệm chương", "Kỷ niệm chương", "Commemorative medal"},
			}},
			{Name: "level", Label: "Cấp khen thưởng", LabelEN: "Level", Type: TypeEnum, Required: true, Enum: []Option{
				{LevelCommune, "Cấp xã (Chủ tịch UBND xã, phường, thị trấn)", "Commune"},
				{LevelDistrict, "Cấp huyện (Chủ tịch UBND huyện, thị xã, thành phố)", "District"},
				{LevelDepartment, "Sở, ban, ngành, đoàn thể cấp tỉnh", "Provincial department"},
				{LevelProvince, "Cấp tỉnh (Chủ tịch UBND tỉnh, thành phố)", "Province"},
				{LevelMinistry, "Bộ, ban, ngành, đoàn thể trung ương", "Ministry or central body"},
				{LevelGovernment, "Thủ tướng Chính phủ", "Prime Minister"},
				{LevelState, "Chủ tịch nước", "State President"},
			}},
			{Name: "decision", Label: "Số quyết định", LabelEN: "Decision number", Type: TypeString, Required: true,
				MinLength: 3, MaxLength: 60, Pattern: "[0-9]",
				PatternMessage:   "Số quyết định phải có số hiệu, ví dụ 1234/QĐ-UBND.",
				PatternMessageEN: "The decision number must contain its number, e.g. 1234/QĐ-UBND."},
			{Name: "issuer", Label: "Cơ quan ban hành", LabelEN: "Issued by", Type: TypeString, Required: true,
				MinLength: 3, MaxLength: 200, Help: "Ví dụ: Chủ tịch UBND Thành phố Hồ Chí Minh."},
		}},
	}
}

func achievementsField(label, labelEN, help string) Field {
	return Field{
		Name: "achievements", Label: label, LabelEN: labelEN, Type: TypeText, Required: true,
		MinLength: 100, MaxLength: DefaultTextMaxLength, Checks: []string{"has-figures"}, Help: help,
	}
}

func addressField(label, labelEN string) Field {
	return Field{Name: "address", Label: label, LabelEN: labelEN, Type: TypeString, Required: true,
		MinLength: 5, MaxLength: 300, Help: "Số nhà, đường, ấp/khu phố, xã/phường, huyện/thành phố, tỉnh."}
}

func phoneField() Field {
	return Field{Name: "phone", Label: "Điện thoại", LabelEN: "Phone", Type: TypeString, Required: true,
		MaxLength: 12, Pattern: `^(0|\+84)(2[0-9]{9}|[35789][0-9]{8})$`,
		PatternMessage:   "Số điện thoại gồm 10 chữ số (di động, ví dụ 0912345678) hoặc 11 chữ số (cố định, ví dụ 02743822123), viết liền, có thể bắt đầu bằng +84.",
		PatternMessageEN: "A Vietnamese phone number: 10 digits (mobile, e.g. 0912345678) or 11 digits (landline, e.g. 02743822123), no spaces, optionally starting with +84.",
		Help:             "Viết liền, không dấu cách, ví dụ 02743822123."}
}

func personNameField(name, label, labelEN, help string) Field {
	return Field{Name: name, Label: label, LabelEN: labelEN, Type: TypeString, Required: true,
		MinLength: 2, MaxLength: 100, Checks: []string{"person-name"}, Help: help}
}

func unitNameField(label, labelEN, check, help string) Field {
	return Field{Name: "name", Label: label, LabelEN: labelEN, Type: TypeString, Required: true,
		MinLength: 5, MaxLength: 250, Checks: []string{check}, Help: help}
}
