package seed

// BinhDuong2024 lists the district-level and commune-level administrative
// units of Bình Dương province as they stood from 1 May 2024 (Bến Cát becomes
// a city) until 30 June 2025. From 1 July 2025 the district level was
// abolished nationwide and Bình Dương was merged into Thành phố Hồ Chí Minh
// (Nghị quyết 202/2025/QH15); this list is the pre-reform structure that
// documents dated 2024 – mid-2025 refer to.
//
// Basis:
//   - Thủ Dầu Một: thành phố since Nghị quyết 11/NQ-CP of the Government,
//     02/5/2012; 14 phường.
//   - Dĩ An, Thuận An: thành phố by Nghị quyết 857/NQ-UBTVQH14 of the National
//     Assembly Standing Committee, 10/01/2020 (in force 01/02/2020). The same
//     resolution made Hội Nghĩa, Phú Chánh, Tân Vĩnh Hiệp and Vĩnh Tân
//     (then thị xã Tân Uyên) phường.
//   - Tân Uyên: thành phố by Nghị quyết 725/NQ-UBTVQH15, 13/02/2023 (in force
//     10/4/2023), unchanged 10 phường + 2 xã.
//   - Bến Cát: thành phố by Nghị quyết 1012/NQ-UBTVQH15 (passed 19/3/2024, in
//     force 01/5/2024), which also turned xã An Điền and An Tây into phường.
//   - Bàu Bàng and Bắc Tân Uyên districts: Nghị quyết 136/NQ-CP, 29/12/2013.
//     Thị trấn Lai Uyên and Tân Thành: Nghị quyết 535/NQ-UBTVQH14 (in force
//     11/7/2018). Thị trấn Tân Bình: Nghị quyết 1110/NQ-UBTVQH14, 09/12/2020
//     (in force 01/02/2021).
//
// Counts (91 commune-level units = 47 phường + 5 thị trấn + 39 xã, matching
// the figures published with Nghị quyết 1012/NQ-UBTVQH15):
//
//	Thủ Dầu Một   (thành phố) 14 = 14 phường
//	Dĩ An         (thành phố)  7 =  7 phường
//	Thuận An      (thành phố) 10 =  9 phường + 1 xã
//	Tân Uyên      (thành phố) 12 = 10 phường + 2 xã
//	Bến Cát       (thành phố)  8 =  7 phường + 1 xã
//	Bàu Bàng      (huyện)      7 =  1 thị trấn + 6 xã
//	Bắc Tân Uyên  (huyện)     10 =  2 thị trấn + 8 xã
//	Phú Giáo      (huyện)     11 =  1 thị trấn + 10 xã
//	Dầu Tiếng     (huyện)     12 =  1 thị trấn + 11 xã
//
// Commune codes are the ASCII slug of the name; the four names that occur
// twice in the province (An Bình, Tân Bình, Tân Định, Tân Hiệp) carry the
// district code as a suffix on both occurrences.
var BinhDuong2024 = []District{
	{
		Code: "thu-dau-mot", Name: "Thủ Dầu Một", Kind: DistrictKindCity,
		Communes: []Commune{
			{Code: "chanh-my", Name: "Chánh Mỹ", Kind: CommuneKindWard},
			{Code: "chanh-nghia", Name: "Chánh Nghĩa", Kind: CommuneKindWard},
			{Code: "dinh-hoa", Name: "Định Hòa", Kind: CommuneKindWard},
			{Code: "hiep-an", Name: "Hiệp An", Kind: CommuneKindWard},
			{Code: "hiep-thanh", Name: "Hiệp Thành", Kind: CommuneKindWard},
			{Code: "hoa-phu", Name: "Hòa Phú", Kind: CommuneKindWard},
			{Code: "phu-cuong", Name: "Phú Cường", Kind: CommuneKindWard},
			{Code: "phu-hoa", Name: "Phú Hòa", Kind: CommuneKindWard},
			{Code: "phu-loi", Name: "Phú Lợi", Kind: CommuneKindWard},
			{Code: "phu-my", Name: "Phú Mỹ", Kind: CommuneKindWard},
			{Code: "phu-tan", Name: "Phú Tân", Kind: CommuneKindWard},
			{Code: "phu-tho", Name: "Phú Thọ", Kind: CommuneKindWard},
			{Code: "tan-an", Name: "Tân An", Kind: CommuneKindWard},
			{Code: "tuong-binh-hiep", Name: "Tương Bình Hiệp", Kind: CommuneKindWard},
		},
	},
	{
		Code: "di-an", Name: "Dĩ An", Kind: DistrictKindCity,
		Communes: []Commune{
			{Code: "an-binh-di-an", Name: "An Bình", Kind: CommuneKindWard},
			{Code: "binh-an", Name: "Bình An", Kind: CommuneKindWard},
			{Code: "binh-thang", Name: "Bình Thắng", Kind: CommuneKindWard},
			{Code: "di-an", Name: "Dĩ An", Kind: CommuneKindWard},
			{Code: "dong-hoa", Name: "Đông Hòa", Kind: CommuneKindWard},
			{Code: "tan-binh-di-an", Name: "Tân Bình", Kind: CommuneKindWard},
			{Code: "tan-dong-hiep", Name: "Tân Đông Hiệp", Kind: CommuneKindWard},
		},
	},
	{
		Code: "thuan-an", Name: "Thuận An", Kind: DistrictKindCity,
		Communes: []Commune{
			{Code: "an-phu", Name: "An Phú", Kind: CommuneKindWard},
			{Code: "an-thanh", Name: "An Thạnh", Kind: CommuneKindWard},
			{Code: "binh-chuan", Name: "Bình Chuẩn", Kind: CommuneKindWard},
			{Code: "binh-hoa", Name: "Bình Hòa", Kind: CommuneKindWard},
			{Code: "binh-nham", Name: "Bình Nhâm", Kind: CommuneKindWard},
			{Code: "hung-dinh", Name: "Hưng Định", Kind: CommuneKindWard},
			{Code: "lai-thieu", Name: "Lái Thiêu", Kind: CommuneKindWard},
			{Code: "thuan-giao", Name: "Thuận Giao", Kind: CommuneKindWard},
			{Code: "vinh-phu", Name: "Vĩnh Phú", Kind: CommuneKindWard},
			{Code: "an-son", Name: "An Sơn", Kind: CommuneKindCommune},
		},
	},
	{
		Code: "tan-uyen", Name: "Tân Uyên", Kind: DistrictKindCity,
		Communes: []Commune{
			{Code: "hoi-nghia", Name: "Hội Nghĩa", Kind: CommuneKindWard},
			{Code: "khanh-binh", Name: "Khánh Bình", Kind: CommuneKindWard},
			{Code: "phu-chanh", Name: "Phú Chánh", Kind: CommuneKindWard},
			{Code: "tan-hiep-tan-uyen", Name: "Tân Hiệp", Kind: CommuneKindWard},
			{Code: "tan-phuoc-khanh", Name: "Tân Phước Khánh", Kind: CommuneKindWard},
			{Code: "tan-vinh-hiep", Name: "Tân Vĩnh Hiệp", Kind: CommuneKindWard},
			{Code: "thai-hoa", Name: "Thái Hòa", Kind: CommuneKindWard},
			{Code: "thanh-phuoc", Name: "Thạnh Phước", Kind: CommuneKindWard},
			{Code: "uyen-hung", Name: "Uyên Hưng", Kind: CommuneKindWard},
			{Code: "vinh-tan", Name: "Vĩnh Tân", Kind: CommuneKindWard},
			{Code: "bach-dang", Name: "Bạch Đằng", Kind: CommuneKindCommune},
			{Code: "thanh-hoi", Name: "Thạnh Hội", Kind: CommuneKindCommune},
		},
	},
	{
		Code: "ben-cat", Name: "Bến Cát", Kind: DistrictKindCity,
		Communes: []Commune{
			{Code: "an-dien", Name: "An Điền", Kind: CommuneKindWard},
			{Code: "an-tay", Name: "An Tây", Kind: CommuneKindWard},
			{Code: "chanh-phu-hoa", Name: "Chánh Phú Hòa", Kind: CommuneKindWard},
			{Code: "hoa-loi", Name: "Hòa Lợi", Kind: CommuneKindWard},
			{Code: "my-phuoc", Name: "Mỹ Phước", Kind: CommuneKindWard},
			{Code: "tan-dinh-ben-cat", Name: "Tân Định", Kind: CommuneKindWard},
			{Code: "thoi-hoa", Name: "Thới Hòa", Kind: CommuneKindWard},
			{Code: "phu-an", Name: "Phú An", Kind: CommuneKindCommune},
		},
	},
	{
		Code: "bau-bang", Name: "Bàu Bàng", Kind: DistrictKindRural,
		Communes: []Commune{
			{Code: "lai-uyen", Name: "Lai Uyên", Kind: CommuneKindTownship},
			{Code: "cay-truong-ii", Name: "Cây Trường II", Kind: CommuneKindCommune},
			{Code: "hung-hoa", Name: "Hưng Hòa", Kind: CommuneKindCommune},
			{Code: "lai-hung", Name: "Lai Hưng", Kind: CommuneKindCommune},
			{Code: "long-nguyen", Name: "Long Nguyên", Kind: CommuneKindCommune},
			{Code: "tan-hung", Name: "Tân Hưng", Kind: CommuneKindCommune},
			{Code: "tru-van-tho", Name: "Trừ Văn Thố", Kind: CommuneKindCommune},
		},
	},
	{
		Code: "bac-tan-uyen", Name: "Bắc Tân Uyên", Kind: DistrictKindRural,
		Communes: []Commune{
			{Code: "tan-binh-bac-tan-uyen", Name: "Tân Bình", Kind: CommuneKindTownship},
			{Code: "tan-thanh", Name: "Tân Thành", Kind: CommuneKindTownship},
			{Code: "binh-my", Name: "Bình Mỹ", Kind: CommuneKindCommune},
			{Code: "dat-cuoc", Name: "Đất Cuốc", Kind: CommuneKindCommune},
			{Code: "hieu-liem", Name: "Hiếu Liêm", Kind: CommuneKindCommune},
			{Code: "lac-an", Name: "Lạc An", Kind: CommuneKindCommune},
			{Code: "tan-dinh-bac-tan-uyen", Name: "Tân Định", Kind: CommuneKindCommune},
			{Code: "tan-lap", Name: "Tân Lập", Kind: CommuneKindCommune},
			{Code: "tan-my", Name: "Tân Mỹ", Kind: CommuneKindCommune},
			{Code: "thuong-tan", Name: "Thường Tân", Kind: CommuneKindCommune},
		},
	},
	{
		Code: "phu-giao", Name: "Phú Giáo", Kind: DistrictKindRural,
		Communes: []Commune{
			{Code: "phuoc-vinh", Name: "Phước Vĩnh", Kind: CommuneKindTownship},
			{Code: "an-binh-phu-giao", Name: "An Bình", Kind: CommuneKindCommune},
			{Code: "an-linh", Name: "An Linh", Kind: CommuneKindCommune},
			{Code: "an-long", Name: "An Long", Kind: CommuneKindCommune},
			{Code: "an-thai", Name: "An Thái", Kind: CommuneKindCommune},
			{Code: "phuoc-hoa", Name: "Phước Hòa", Kind: CommuneKindCommune},
			{Code: "phuoc-sang", Name: "Phước Sang", Kind: CommuneKindCommune},
			{Code: "tam-lap", Name: "Tam Lập", Kind: CommuneKindCommune},
			{Code: "tan-hiep-phu-giao", Name: "Tân Hiệp", Kind: CommuneKindCommune},
			{Code: "tan-long", Name: "Tân Long", Kind: CommuneKindCommune},
			{Code: "vinh-hoa", Name: "Vĩnh Hòa", Kind: CommuneKindCommune},
		},
	},
	{
		Code: "dau-tieng", Name: "Dầu Tiếng", Kind: DistrictKindRural,
		Communes: []Commune{
			{Code: "dau-tieng", Name: "Dầu Tiếng", Kind: CommuneKindTownship},
			{Code: "an-lap", Name: "An Lập", Kind: CommuneKindCommune},
			{Code: "dinh-an", Name: "Định An", Kind: CommuneKindCommune},
			{Code: "dinh-hiep", Name: "Định Hiệp", Kind: CommuneKindCommune},
			{Code: "dinh-thanh", Name: "Định Thành", Kind: CommuneKindCommune},
			{Code: "long-hoa", Name: "Long Hòa", Kind: CommuneKindCommune},
			{Code: "long-tan", Name: "Long Tân", Kind: CommuneKindCommune},
			{Code: "minh-hoa", Name: "Minh Hòa", Kind: CommuneKindCommune},
			{Code: "minh-tan", Name: "Minh Tân", Kind: CommuneKindCommune},
			{Code: "minh-thanh", Name: "Minh Thạnh", Kind: CommuneKindCommune},
			{Code: "thanh-an", Name: "Thanh An", Kind: CommuneKindCommune},
			{Code: "thanh-tuyen", Name: "Thanh Tuyền", Kind: CommuneKindCommune},
		},
	},
}
