package forms

// The achievement report (báo cáo thành tích) of each nominee kind. The
// criteria quoted in the help texts are those of Kế hoạch 151/KH-UBND,
// mục III.1.

func individualForm() Form {
	return Form{
		Kind: KindIndividual, Title: "Báo cáo thành tích cá nhân", TitleEN: "Achievement report of an individual",
		Help: "Cá nhân được công nhận danh hiệu “Công dân học tập” và có nhiều đóng góp về công sức, trí tuệ, vật chất " +
			"xây dựng xã hội học tập ở địa phương, cơ quan, đơn vị.",
		NameField: "full_name",
		Checks:    []string{"cccd-birth", "unique-titles"},
		Fields: []Field{
			personNameField("full_name", "Họ và tên", "Full name", "Viết đầy đủ, có dấu, ví dụ: Nguyễn Thị Hồng."),
			{Name: "date_of_birth", Label: "Ngày sinh", LabelEN: "Date of birth", Type: TypeDate, Required: true,
				MinDate: "1920-01-01", MinYearsAgo: 16,
				Help: "Dạng năm-tháng-ngày, ví dụ 1985-03-12; người được đề nghị phải đủ 16 tuổi."},
			{Name: "sex", Label: "Giới tính", LabelEN: "Sex", Type: TypeEnum, Required: true, Enum: []Option{
				{"nam", "Nam", "Male"}, {"nữ", "Nữ", "Female"},
			}},
			{Name: "cccd", Label: "Số căn cước công dân", LabelEN: "Citizen ID number (CCCD)", Type: TypeString,
				MaxLength: 12, Pattern: `^[0-9]{12}$`, Checks: []string{"cccd"},
				PatternMessage:   "Số căn cước công dân gồm đúng 12 chữ số.",
				PatternMessageEN: "A citizen ID number has exactly 12 digits.",
				Help: "12 chữ số. Để trống nếu người được đề nghị không có căn cước công dân " +
					"(người nước ngoài, người Việt Nam định cư ở nước ngoài)."},
			{Name: "hometown", Label: "Quê quán", LabelEN: "Home town", Type: TypeString, Required: true,
				MinLength: 2, MaxLength: 200},
			{Name: "residence", Label: "Nơi ở hiện nay", LabelEN: "Residence", Type: TypeString, Required: true,
				MinLength: 5, MaxLength: 300},
			{Name: "workplace", Label: "Đơn vị công tác", LabelEN: "Workplace", Type: TypeString, MaxLength: 250,
				Help: "Để trống nếu không công tác tại cơ quan, đơn vị."},
			{Name: "position", Label: "Chức vụ", LabelEN: "Position", Type: TypeString, MaxLength: 150},
			{Name: "qualifications", Label: "Trình độ chuyên môn, nghiệp vụ", LabelEN: "Qualifications",
				Type: TypeString, MaxLength: 300, Help: "Ví dụ: Cử nhân Sư phạm Toán; Trung cấp lý luận chính trị."},
			achievementsField("Thành tích đạt được", "Achievements",
				"Nêu cụ thể việc tự học, học tập suốt đời và đóng góp xây dựng xã hội học tập, có số liệu "+
					"(số lớp, số người được hỗ trợ, số tiền, tỷ lệ %)."),
			titlesField("Danh hiệu thi đua, danh hiệu học tập đã được công nhận trong giai đoạn 2023–2030.",
				Option{TitleLearningCitizen, TitleLearningCitizen, "Learning citizen"},
				Option{"Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cơ sở", "Grassroots emulation fighter"},
				Option{"Lao động tiên tiến", "Lao động tiên tiến", "Advanced worker"},
			),
			awardsField(),
		},
	}
}

func collectiveForm() Form {
	return Form{
		Kind: KindCollective, Title: "Báo cáo thành tích tập thể", TitleEN: "Achievement report of a collective",
		Help:      "Cơ quan, trường học, đơn vị, tổ chức: phấn đấu đạt danh hiệu “Đơn vị học tập” theo tiêu chí của Bộ Giáo dục và Đào tạo.",
		NameField: "name",
		Checks:    []string{"unique-titles"},
		Fields: []Field{
			unitNameField("Tên tập thể (viết đầy đủ)", "Full name of the collective", "full-name",
				"Ghi đúng tên đầy đủ theo quyết định thành lập, không viết tắt: “Trường Trung học phổ thông chuyên Hùng Vương”, "+
					"không phải “Trường THPT chuyên Hùng Vương”."),
			{Name: "category", Label: "Loại tập thể", LabelEN: "Kind of collective", Type: TypeEnum, Required: true, Enum: []Option{
				{"co-quan", "Cơ quan hành chính", "Government agency"},
				{"truong-hoc", "Trường học, cơ sở giáo dục", "School"},
				{"don-vi", "Đơn vị sự nghiệp", "Public service unit"},
				{"to-chuc", "Tổ chức chính trị - xã hội, hội", "Mass organization or association"},
			}},
			addressField("Địa chỉ trụ sở", "Address"),
			phoneField(),
			{Name: "structure", Label: "Cơ cấu tổ chức", LabelEN: "Structure", Type: TypeText, Required: true,
				MinLength: 20, MaxLength: 5000,
				Help: "Số phòng, ban, tổ; số cán bộ, công chức, viên chức, người lao động; tổ chức Đảng, đoàn thể."},
			{Name: "functions", Label: "Chức năng, nhiệm vụ", LabelEN: "Functions", Type: TypeText, Required: true,
				MinLength: 20, MaxLength: 5000},
			achievementsField("Thành tích đạt được", "Achievements",
				"Kết quả xây dựng “Đơn vị học tập”: kế hoạch học tập, bồi dưỡng; tỷ lệ cán bộ đạt “Công dân học tập”; số liệu cụ thể."),
			titlesField("Danh hiệu đã được công nhận trong giai đoạn 2023–2030.",
				Option{TitleLearningUnit, TitleLearningUnit, "Learning unit"},
				Option{"Tập thể lao động tiên tiến", "Tập thể lao động tiên tiến", "Advanced collective"},
				Option{"Tập thể lao động xuất sắc", "Tập thể lao động xuất sắc", "Excellent collective"},
			),
			awardsField(),
		},
	}
}

func enterpriseForm() Form {
	return Form{
		Kind: KindEnterprise, Title: "Báo cáo thành tích doanh nghiệp", TitleEN: "Achievement report of an enterprise",
		Help: "Doanh nghiệp, hợp tác xã có đóng góp cụ thể, thiết thực xây dựng xã hội học tập; có chế độ hỗ trợ người lao động học tập; " +
			"các tổ chức trong doanh nghiệp được công nhận “Đơn vị học tập”.",
		NameField: "name",
		Checks:    []string{"unique-titles"},
		Fields: []Field{
			unitNameField("Tên doanh nghiệp (viết đầy đủ)", "Full name of the enterprise", "full-name-enterprise",
				"Ghi đúng tên trên Giấy chứng nhận đăng ký doanh nghiệp, viết đầy đủ loại hình: “Công ty Trách nhiệm hữu hạn …”, "+
					"“Công ty Cổ phần …”, không viết “TNHH”, “CP”, “MTV”."),
			{Name: "tax_code", Label: "Mã số doanh nghiệp", LabelEN: "Enterprise code (tax code)", Type: TypeString,
				MaxLength: 14, Pattern: `^[0-9]{10}(-[0-9]{3})?$`,
				PatternMessage:   "Mã số doanh nghiệp gồm 10 chữ số (chi nhánh: 10 chữ số, dấu gạch ngang và 3 chữ số).",
				PatternMessageEN: "An enterprise code has 10 digits (a branch: 10 digits, a hyphen and 3 digits)."},
			addressField("Địa chỉ trụ sở", "Address"),
			phoneField(),
			{Name: "structure", Label: "Cơ cấu tổ chức", LabelEN: "Structure", Type: TypeText, Required: true,
				MinLength: 20, MaxLength: 5000, Help: "Số người lao động; tổ chức Đảng, công đoàn, đoàn thanh niên."},
			{Name: "functions", Label: "Ngành nghề kinh doanh", LabelEN: "Business lines", Type: TypeText, Required: true,
				MinLength: 20, MaxLength: 5000},
			achievementsField("Thành tích đạt được", "Achievements",
				"Chính sách hỗ trợ người lao động học tập, số người được đào tạo, kinh phí hỗ trợ, đóng góp cho khuyến học."),
			titlesField("Danh hiệu đã được công nhận trong giai đoạn 2023–2030.",
				Option{TitleLearningUnit, TitleLearningUnit, "Learning unit"},
				Option{"Tập thể lao động xuất sắc", "Tập thể lao động xuất sắc", "Excellent collective"},
			),
			awardsField(),
		},
	}
}

func householdForm() Form {
	return Form{
		Kind: KindHousehold, Title: "Báo cáo thành tích hộ gia đình", TitleEN: "Achievement report of a household",
		Help:      "Hộ gia đình đạt danh hiệu “Gia đình học tập” theo tiêu chí của Bộ Giáo dục và Đào tạo và Hội Khuyến học Việt Nam.",
		NameField: "head_name",
		Checks:    []string{"unique-titles"},
		Fields: []Field{
			personNameField("head_name", "Họ và tên chủ hộ", "Head of household", "Ví dụ: Trần Văn Bình."),
			{Name: "members", Label: "Số nhân khẩu", LabelEN: "Members", Type: TypeInteger, Required: true,
				Min: num(1), Max: num(50)},
			addressField("Địa chỉ", "Address"),
			achievementsField("Thành tích học tập của gia đình", "Learning achievements",
				"Kết quả học tập của các thành viên, việc tham gia học tập suốt đời, đóng góp cho khuyến học, có số liệu cụ thể."),
			titlesField("Danh hiệu đã được công nhận trong giai đoạn 2023–2030.",
				Option{TitleLearningFamily, TitleLearningFamily, "Learning family"},
				Option{"Gia đình văn hóa", "Gia đình văn hóa", "Cultural family"},
			),
			awardsField(),
		},
	}
}

func clanForm() Form {
	return Form{
		Kind: KindClan, Title: "Báo cáo thành tích dòng họ", TitleEN: "Achievement report of a clan",
		Help:      "Dòng họ đạt danh hiệu “Dòng họ học tập” theo tiêu chí của Bộ Giáo dục và Đào tạo và Hội Khuyến học Việt Nam.",
		NameField: "clan_name",
		Checks:    []string{"unique-titles"},
		Fields: []Field{
			{Name: "clan_name", Label: "Tên dòng họ", LabelEN: "Clan", Type: TypeString, Required: true,
				MinLength: 5, MaxLength: 200, Help: "Ví dụ: Dòng họ Lê Văn, ấp Bình Hòa, xã Tân Bình."},
			personNameField("representative", "Họ và tên trưởng họ (người đại diện)", "Clan representative", ""),
			{Name: "members", Label: "Số thành viên", LabelEN: "Members", Type: TypeInteger, Required: true,
				Min: num(1), Max: num(100000)},
			addressField("Địa chỉ nhà thờ họ hoặc người đại diện", "Address"),
			achievementsField("Thành tích học tập của dòng họ", "Learning achievements",
				"Quỹ khuyến học của dòng họ, số con cháu đỗ đạt, số gia đình đạt “Gia đình học tập”, có số liệu cụ thể."),
			titlesField("Danh hiệu đã được công nhận trong giai đoạn 2023–2030.",
				Option{TitleLearningClan, TitleLearningClan, "Learning clan"},
			),
			awardsField(),
		},
	}
}

func communityForm() Form {
	return Form{
		Kind: KindCommunity, Title: "Báo cáo thành tích cộng đồng", TitleEN: "Achievement report of a community",
		Help:      "Ấp, khu phố, xã, phường, thị trấn, huyện được công nhận “Cộng đồng học tập” theo tiêu chí của Bộ Giáo dục và Đào tạo.",
		NameField: "name",
		Checks:    []string{"unique-titles", "households-population"},
		Fields: []Field{
			unitNameField("Tên đơn vị (viết đầy đủ)", "Full name of the community", "full-name",
				"Ví dụ: Khu phố 3, phường Phú Lợi, thành phố Thủ Dầu Một (không viết “KP3, P. Phú Lợi”)."),
			{Name: "level", Label: "Cấp", LabelEN: "Level", Type: TypeEnum, Required: true, Enum: []Option{
				{"ap", "Ấp, khu phố", "Hamlet or quarter"},
				{"xa", "Xã, phường, thị trấn", "Commune"},
				{"huyen", "Huyện, thị xã, thành phố thuộc tỉnh", "District"},
			}},
			{Name: "population", Label: "Dân số (người)", LabelEN: "Population", Type: TypeInteger, Required: true,
				Min: num(1), Max: num(10000000)},
			{Name: "households", Label: "Số hộ", LabelEN: "Households", Type: TypeInteger, Required: true,
				Min: num(1), Max: num(5000000)},
			achievementsField("Kết quả thực hiện", "Results",
				"Tỷ lệ Gia đình học tập, Công dân học tập; hoạt động của trung tâm học tập cộng đồng; số lớp, số lượt người học."),
			titlesField("Danh hiệu đã được công nhận trong giai đoạn 2023–2030.",
				Option{TitleLearningCommunity, TitleLearningCommunity, "Learning community"},
			),
			awardsField(),
		},
	}
}
