package seed

// Holidays lists every weekday (Monday–Friday) on which public servants
// (cán bộ, công chức, viên chức) in Vietnam are off for public holidays,
// 2023 through 2030, sorted by date. Weekends are not listed: they are
// non-working days anyway.
//
// Legal basis: Bộ luật Lao động 2019 (45/2019/QH14), Điều 112 — Tết Dương lịch
// 1 day (1/1); Tết Âm lịch 5 days; Ngày Chiến thắng 1 day (30/4); Ngày Quốc tế
// lao động 1 day (1/5); Quốc khánh 2 days (2/9 plus one adjacent day before or
// after); Giỗ Tổ Hùng Vương 1 day (10/3 âm lịch). When a holiday falls on a
// weekly rest day the next working day is given off (nghỉ bù). The Prime
// Minister fixes the concrete Tết days and the second Quốc khánh day each
// year, and may approve swapping a working day with a Saturday (hoán đổi,
// see MakeUpWorkdays).
//
// 2023–2026 are the schedules actually decided:
//   - 2023: Văn bản 8056/VPCP-KGVX (01/12/2022): Tết 20/1–26/1, Quốc khánh
//     1/9–4/9; Tết Dương lịch 1/1 (Sunday) → nghỉ bù 2/1; Giỗ Tổ 29/4 (Sat) and
//     30/4 (Sun) → nghỉ bù 2/5 and 3/5.
//   - 2024 (Bộ LĐ-TB&XH notices): Tết 8/2–14/2; Giỗ Tổ 18/4; 27/4–1/5 with
//     Monday 29/4 swapped for Saturday 4/5; Quốc khánh 31/8–3/9.
//   - 2025 (Bộ LĐ-TB&XH notices): Tết 25/1–2/2; Giỗ Tổ 7/4; 30/4–4/5 with
//     Friday 2/5 swapped for Saturday 26/4; Quốc khánh 30/8–2/9.
//   - 2026 (Bộ Nội vụ): Tết Dương lịch 1/1–4/1 with Friday 2/1 swapped for
//     Saturday 10/1 (Văn bản 12729/VPCP-KGVX, 25/12/2025); Tết 14/2–22/2 and
//     Quốc khánh 29/8–2/9 with Monday 31/8 swapped for Saturday 22/8 (Prime
//     Minister's approval of 13/10/2025); Giỗ Tổ 26/4 (Sun) → nghỉ bù 27/4.
//
// 2027–2030 are PROJECTIONS from the Labour Code and must be replaced by the
// official notices once published. Assumptions:
//   - Lunar dates are for Vietnam's time zone (UTC+7), computed with the
//     standard astronomical algorithm (Hồ Ngọc Đức). Tết Canh Tuất 2030 is
//     therefore 2 February 2030 (new moon 23:07 UTC+7 on 2/2), one day before
//     the Chinese New Year (3/2, UTC+8).
//   - Tết: 5 consecutive weekdays including the last day of the lunar year,
//     following the precedent for the same weekday of mùng 1 (Saturday → as
//     2024, Wednesday → as 2025, Tuesday → as 2026).
//   - Quốc khánh: the adjacent day is the one giving the longest break
//     (Thursday 2/9 → Friday 3/9; Saturday 2/9 → Friday 1/9 as in 2023).
//   - No hoán đổi swaps are assumed (they are decided case by case).
//   - Ngày Văn hóa Việt Nam (24/11) is not included: as of early 2026 it is a
//     proposal to amend Điều 112, not yet law.
var Holidays = []Holiday{
	// 2023 — Quý Mão
	{Date: "2023-01-02", Name: "Nghỉ bù Tết Dương lịch"}, // 1/1 is a Sunday
	{Date: "2023-01-20", Name: "Tết Nguyên đán Quý Mão"}, // 29 tháng Chạp Nhâm Dần
	{Date: "2023-01-23", Name: "Tết Nguyên đán Quý Mão"}, // mùng 2 (mùng 1 = Sun 22/1)
	{Date: "2023-01-24", Name: "Tết Nguyên đán Quý Mão"}, // mùng 3
	{Date: "2023-01-25", Name: "Tết Nguyên đán Quý Mão"}, // mùng 4
	{Date: "2023-01-26", Name: "Tết Nguyên đán Quý Mão"}, // mùng 5
	// Giỗ Tổ (10/3 âm lịch) = Saturday 29/4, 30/4 = Sunday: break 29/4–3/5.
	{Date: "2023-05-01", Name: "Ngày Quốc tế Lao động"},
	{Date: "2023-05-02", Name: "Nghỉ bù Giỗ Tổ Hùng Vương"},
	{Date: "2023-05-03", Name: "Nghỉ bù Ngày Chiến thắng"},
	// 2/9 = Saturday: break 1/9–4/9.
	{Date: "2023-09-01", Name: "Quốc khánh (ngày liền kề)"},
	{Date: "2023-09-04", Name: "Nghỉ bù Quốc khánh"},

	// 2024 — Giáp Thìn
	{Date: "2024-01-01", Name: "Tết Dương lịch"},
	{Date: "2024-02-08", Name: "Tết Nguyên đán Giáp Thìn"}, // 29 tháng Chạp Quý Mão
	{Date: "2024-02-09", Name: "Tết Nguyên đán Giáp Thìn"}, // 30 tháng Chạp
	{Date: "2024-02-12", Name: "Tết Nguyên đán Giáp Thìn"}, // mùng 3
	{Date: "2024-02-13", Name: "Tết Nguyên đán Giáp Thìn"}, // mùng 4
	{Date: "2024-02-14", Name: "Tết Nguyên đán Giáp Thìn"}, // mùng 5
	{Date: "2024-04-18", Name: "Giỗ Tổ Hùng Vương"},
	{Date: "2024-04-29", Name: "Nghỉ lễ 30/4 – 1/5 (hoán đổi, làm bù thứ Bảy 04/5/2024)"},
	{Date: "2024-04-30", Name: "Ngày Chiến thắng"},
	{Date: "2024-05-01", Name: "Ngày Quốc tế Lao động"},
	{Date: "2024-09-02", Name: "Quốc khánh"},
	{Date: "2024-09-03", Name: "Quốc khánh (ngày liền kề)"},

	// 2025 — Ất Tỵ
	{Date: "2025-01-01", Name: "Tết Dương lịch"},
	{Date: "2025-01-27", Name: "Tết Nguyên đán Ất Tỵ"}, // 28 tháng Chạp Giáp Thìn
	{Date: "2025-01-28", Name: "Tết Nguyên đán Ất Tỵ"}, // 29 tháng Chạp (tất niên)
	{Date: "2025-01-29", Name: "Tết Nguyên đán Ất Tỵ"}, // mùng 1
	{Date: "2025-01-30", Name: "Tết Nguyên đán Ất Tỵ"}, // mùng 2
	{Date: "2025-01-31", Name: "Tết Nguyên đán Ất Tỵ"}, // mùng 3
	{Date: "2025-04-07", Name: "Giỗ Tổ Hùng Vương"},
	{Date: "2025-04-30", Name: "Ngày Chiến thắng"},
	{Date: "2025-05-01", Name: "Ngày Quốc tế Lao động"},
	{Date: "2025-05-02", Name: "Nghỉ lễ 30/4 – 1/5 (hoán đổi, làm bù thứ Bảy 26/4/2025)"},
	{Date: "2025-09-01", Name: "Quốc khánh (ngày liền kề)"},
	{Date: "2025-09-02", Name: "Quốc khánh"},

	// 2026 — Bính Ngọ
	{Date: "2026-01-01", Name: "Tết Dương lịch"},
	{Date: "2026-01-02", Name: "Nghỉ Tết Dương lịch (hoán đổi, làm bù thứ Bảy 10/01/2026)"},
	{Date: "2026-02-16", Name: "Tết Nguyên đán Bính Ngọ"},   // 29 tháng Chạp Ất Tỵ (tất niên)
	{Date: "2026-02-17", Name: "Tết Nguyên đán Bính Ngọ"},   // mùng 1
	{Date: "2026-02-18", Name: "Tết Nguyên đán Bính Ngọ"},   // mùng 2
	{Date: "2026-02-19", Name: "Tết Nguyên đán Bính Ngọ"},   // mùng 3
	{Date: "2026-02-20", Name: "Tết Nguyên đán Bính Ngọ"},   // mùng 4
	{Date: "2026-04-27", Name: "Nghỉ bù Giỗ Tổ Hùng Vương"}, // 10/3 âm lịch = Sunday 26/4
	{Date: "2026-04-30", Name: "Ngày Chiến thắng"},
	{Date: "2026-05-01", Name: "Ngày Quốc tế Lao động"},
	{Date: "2026-08-31", Name: "Nghỉ lễ Quốc khánh (hoán đổi, làm bù thứ Bảy 22/8/2026)"},
	{Date: "2026-09-01", Name: "Quốc khánh (ngày liền kề)"},
	{Date: "2026-09-02", Name: "Quốc khánh"},

	// 2027 — Đinh Mùi (projected)
	{Date: "2027-01-01", Name: "Tết Dương lịch"},
	{Date: "2027-02-04", Name: "Tết Nguyên đán Đinh Mùi"}, // 28 tháng Chạp Bính Ngọ
	{Date: "2027-02-05", Name: "Tết Nguyên đán Đinh Mùi"}, // 29 tháng Chạp (tất niên)
	{Date: "2027-02-08", Name: "Tết Nguyên đán Đinh Mùi"}, // mùng 3 (mùng 1 = Sat 6/2)
	{Date: "2027-02-09", Name: "Tết Nguyên đán Đinh Mùi"}, // mùng 4
	{Date: "2027-02-10", Name: "Tết Nguyên đán Đinh Mùi"}, // mùng 5
	{Date: "2027-04-16", Name: "Giỗ Tổ Hùng Vương"},       // 10/3 âm lịch
	{Date: "2027-04-30", Name: "Ngày Chiến thắng"},
	{Date: "2027-05-03", Name: "Nghỉ bù Ngày Quốc tế Lao động"}, // 1/5 is a Saturday
	{Date: "2027-09-02", Name: "Quốc khánh"},
	{Date: "2027-09-03", Name: "Quốc khánh (ngày liền kề)"},

	// 2028 — Mậu Thân (projected)
	{Date: "2028-01-03", Name: "Nghỉ bù Tết Dương lịch"},  // 1/1 is a Saturday
	{Date: "2028-01-24", Name: "Tết Nguyên đán Mậu Thân"}, // 28 tháng Chạp Đinh Mùi
	{Date: "2028-01-25", Name: "Tết Nguyên đán Mậu Thân"}, // 29 tháng Chạp (tất niên)
	{Date: "2028-01-26", Name: "Tết Nguyên đán Mậu Thân"}, // mùng 1
	{Date: "2028-01-27", Name: "Tết Nguyên đán Mậu Thân"}, // mùng 2
	{Date: "2028-01-28", Name: "Tết Nguyên đán Mậu Thân"}, // mùng 3
	{Date: "2028-04-04", Name: "Giỗ Tổ Hùng Vương"},       // 10/3 âm lịch
	{Date: "2028-05-01", Name: "Ngày Quốc tế Lao động"},   // 30/4 is a Sunday
	{Date: "2028-05-02", Name: "Nghỉ bù Ngày Chiến thắng"},
	{Date: "2028-09-01", Name: "Quốc khánh (ngày liền kề)"},
	{Date: "2028-09-04", Name: "Nghỉ bù Quốc khánh"}, // 2/9 is a Saturday

	// 2029 — Kỷ Dậu (projected)
	{Date: "2029-01-01", Name: "Tết Dương lịch"},
	{Date: "2029-02-12", Name: "Tết Nguyên đán Kỷ Dậu"}, // 29 tháng Chạp Mậu Thân (tất niên)
	{Date: "2029-02-13", Name: "Tết Nguyên đán Kỷ Dậu"}, // mùng 1
	{Date: "2029-02-14", Name: "Tết Nguyên đán Kỷ Dậu"}, // mùng 2
	{Date: "2029-02-15", Name: "Tết Nguyên đán Kỷ Dậu"}, // mùng 3
	{Date: "2029-02-16", Name: "Tết Nguyên đán Kỷ Dậu"}, // mùng 4
	{Date: "2029-04-23", Name: "Giỗ Tổ Hùng Vương"},     // 10/3 âm lịch
	{Date: "2029-04-30", Name: "Ngày Chiến thắng"},
	{Date: "2029-05-01", Name: "Ngày Quốc tế Lao động"},
	{Date: "2029-09-03", Name: "Quốc khánh (ngày liền kề)"}, // 2/9 is a Sunday
	{Date: "2029-09-04", Name: "Nghỉ bù Quốc khánh"},

	// 2030 — Canh Tuất (projected)
	{Date: "2030-01-01", Name: "Tết Dương lịch"},
	{Date: "2030-01-31", Name: "Tết Nguyên đán Canh Tuất"}, // 28 tháng Chạp Kỷ Dậu
	{Date: "2030-02-01", Name: "Tết Nguyên đán Canh Tuất"}, // 29 tháng Chạp (tất niên)
	{Date: "2030-02-04", Name: "Tết Nguyên đán Canh Tuất"}, // mùng 3 (mùng 1 = Sat 2/2)
	{Date: "2030-02-05", Name: "Tết Nguyên đán Canh Tuất"}, // mùng 4
	{Date: "2030-02-06", Name: "Tết Nguyên đán Canh Tuất"}, // mùng 5
	{Date: "2030-04-12", Name: "Giỗ Tổ Hùng Vương"},        // 10/3 âm lịch
	{Date: "2030-04-30", Name: "Ngày Chiến thắng"},
	{Date: "2030-05-01", Name: "Ngày Quốc tế Lao động"},
	{Date: "2030-09-02", Name: "Quốc khánh"},
	{Date: "2030-09-03", Name: "Quốc khánh (ngày liền kề)"},
}

// MakeUpWorkdays lists the Saturdays on which public servants work to
// compensate for a working day swapped into a holiday break (hoán đổi ngày
// làm việc), as decided for 2023–2026. A working-day calculator must treat
// these as working days. None are assumed for 2027–2030.
var MakeUpWorkdays = []Holiday{
	{Date: "2024-05-04", Name: "Làm bù cho thứ Hai 29/4/2024"},
	{Date: "2025-04-26", Name: "Làm bù cho thứ Sáu 02/5/2025"},
	{Date: "2026-01-10", Name: "Làm bù cho thứ Sáu 02/01/2026"},
	{Date: "2026-08-22", Name: "Làm bù cho thứ Hai 31/8/2026"},
}

// TetDates maps a Gregorian year to the first day of the lunar year (mùng 1
// Tết) in Vietnam (UTC+7).
var TetDates = map[int]string{
	2023: "2023-01-22", // Quý Mão, Sunday
	2024: "2024-02-10", // Giáp Thìn, Saturday
	2025: "2025-01-29", // Ất Tỵ, Wednesday
	2026: "2026-02-17", // Bính Ngọ, Tuesday
	2027: "2027-02-06", // Đinh Mùi, Saturday
	2028: "2028-01-26", // Mậu Thân, Wednesday
	2029: "2029-02-13", // Kỷ Dậu, Tuesday
	2030: "2030-02-02", // Canh Tuất, Saturday (China: 2030-02-03)
}
