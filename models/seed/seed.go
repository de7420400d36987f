package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// Unit IDs of the province-wide units, used by the demo accounts and tests.
const (
	ProvinceID  = "binh-duong"
	EducationID = "so-gddt"
	InteriorID  = "so-noi-vu"
)

// DistrictID and CommuneID derive unit IDs from the codes of the data.
func DistrictID(code string) string { return "huyen-" + code }
func CommuneID(code string) string  { return "xa-" + code }

var (
	// periodStart is the start of the movement's period (2023–2030); the
	// seeded units are in force from then.
	periodStart = date("2023-01-01")
	// Reform is the day the district level was abolished (Luật Tổ chức
	// chính quyền địa phương 2025): from then communes sit directly under
	// the province and rounds use the two-tier chain.
	Reform = routing.DistrictsAbolished
)

// vietnam is an hour of a day in Vietnam, stored in UTC.
func vietnam(year int, month time.Month, day, hour int) time.Time {
	return time.Date(year, month, day, hour, 0, 0, 0, calendar.Zone).UTC()
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Schools are a few provincial high schools under the Department of
// Education (they enter the chain at the education level).
var Schools = []struct{ ID, Name string }{
	{"thpt-chuyen-hung-vuong", "Trường THPT chuyên Hùng Vương"},
	{"thpt-vo-minh-duc", "Trường THPT Võ Minh Đức"},
	{"thpt-tran-van-on", "Trường THPT Trần Văn Ơn"},
	{"thpt-di-an", "Trường THPT Dĩ An"},
	{"thpt-trinh-hoai-duc", "Trường THPT Trịnh Hoài Đức"},
}

// DemoUser is a demo account created by `tdkt dev`.
type DemoUser struct {
	Username, FullName, Role, UnitID string
	Head                             bool
}

// DemoUsers (e-mail <username>@tdkt.local) has one account per role and level, on the demo route
// Phường Đông Hòa → Thành phố Dĩ An → Sở GD&ĐT → Sở Nội vụ, plus a Thuận
// An reviewer and a provincial school to show what other units cannot do.
var DemoUsers = []DemoUser{
	{"donvi.donghoa", "Văn thư UBND phường Đông Hòa", models.RoleNominator, CommuneID("dong-hoa"), false},
	{"donvi.chuyenhungvuong", "Văn thư Trường THPT chuyên Hùng Vương", models.RoleNominator, "thpt-chuyen-hung-vuong", false},
	{"xet.donghoa", "Hội đồng TĐKT phường Đông Hòa", models.RoleReviewer, CommuneID("dong-hoa"), true},
	{"xet.dian", "Phòng Nội vụ thành phố Dĩ An", models.RoleReviewer, DistrictID("di-an"), true},
	{"xet.thuanan", "Phòng Nội vụ thành phố Thuận An", models.RoleReviewer, DistrictID("thuan-an"), true},
	{"xet.sogddt", "Phòng TĐKT Sở Giáo dục và Đào tạo", models.RoleReviewer, EducationID, true},
	{"canbo.sonoivu", "Ban Thi đua – Khen thưởng, Sở Nội vụ", models.RoleInterior, InteriorID, true},
	{"quantri", "Quản trị hệ thống", models.RoleAdmin, CityID, false},
	// The city as it is since 1 July 2025: Phường Dĩ An's clerk and its
	// head, who records the phường chairman's Giấy khen (demo round
	// thu-nghiem-hai-cap).
	{"vanthu.phuongdian", "Văn thư UBND phường Dĩ An", models.RoleNominator, NewCommuneID("Phường Dĩ An"), false},
	{"chutich.phuongdian", "Văn phòng HĐND và UBND phường Dĩ An", models.RoleReviewer, NewCommuneID("Phường Dĩ An"), true},
}

// Options select what Apply seeds besides the reference data.
type Options struct {
	// DemoPassword, when set, creates the demo accounts with it. Production
	// leaves it empty and creates its accounts through the admin.
	DemoPassword string
	// Now dates the annual round of the current year.
	Now time.Time
}

// bringForward dates the units a database made by an earlier version holds
// (Bình Dương's, which never ended there). Each seeded unit found without
// a legal kind (the column migration 6 added) gets its code, legal kind
// and end; its parent links that History closes are closed on the same
// day (the schools' link to Bình Dương's Sở), and those from after its end
// are deleted (the communes sat under the province from the reform). A
// unit that has its legal kind was brought forward already, or was made by
// this version: it is left alone, so an administrator's later changes
// stand.
func bringForward(tx *gorm.DB, units []models.Unit, parents []models.UnitParent) error {
	var ids []string
	if err := tx.Model(&models.Unit{}).Where("legal_kind = '' OR legal_kind IS NULL").Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("seed: units without a legal kind: %w", err)
	}
	old := map[string]bool{}
	for _, id := range ids {
		old[id] = true
	}
	for _, p := range parents {
		if !old[p.UnitID] || p.EffectiveTo == nil {
			continue
		}
		if err := tx.Model(&models.UnitParent{}).
			Where("unit_id = ? AND parent_id = ? AND effective_from = ? AND effective_to IS NULL", p.UnitID, p.ParentID, p.EffectiveFrom).
			Update("effective_to", *p.EffectiveTo).Error; err != nil {
			return fmt.Errorf("seed: close %s's link to %s: %w", p.UnitID, p.ParentID, err)
		}
	}
	for _, u := range units {
		if !old[u.ID] {
			continue
		}
		set := map[string]any{"code": u.Code, "legal_kind": u.LegalKind}
		if u.EffectiveTo != nil {
			set["effective_to"] = *u.EffectiveTo
			if err := tx.Where("unit_id = ? AND effective_from >= ?", u.ID, *u.EffectiveTo).Delete(&models.UnitParent{}).Error; err != nil {
				return fmt.Errorf("seed: links of %s after its end: %w", u.ID, err)
			}
		}
		if err := tx.Model(&models.Unit{}).Where("id = ?", u.ID).Updates(set).Error; err != nil {
			return fmt.Errorf("seed: bring %s forward: %w", u.ID, err)
		}
	}
	return nil
}

// Apply inserts the reference data — units, the 2025, 2030 and current
// annual rounds, holidays, the legal bases of decisions and the award
// authorities (each into an empty table) — and, optionally, the demo
// round and accounts. Rows that exist are left as they are, so Apply
// runs on every start; it bumps the reference version once, after its
// data, so that every process's cache reloads whatever this run added.
func Apply(ctx context.Context, db *gorm.DB, opts Options) error {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		units, parents, lineage := History()
		if err := bringForward(tx, units, parents); err != nil {
			return err
		}
		if err := insertNew(tx, units); err != nil {
			return fmt.Errorf("seed units: %w", err)
		}
		if err := insertNew(tx, parents); err != nil {
			return fmt.Errorf("seed unit parents: %w", err)
		}
		if err := insertNew(tx, lineage); err != nil {
			return fmt.Errorf("seed unit lineage: %w", err)
		}
		if err := insertNew(tx, Rounds(opts.Now)); err != nil {
			return fmt.Errorf("seed rounds: %w", err)
		}
		if err := twoTierPreliminary(tx); err != nil {
			return err
		}
		days := make([]models.Holiday, 0, len(Holidays)+len(MakeUpWorkdays))
		for _, h := range Holidays {
			days = append(days, models.Holiday{Date: h.Date, Name: h.Name})
		}
		for _, h := range MakeUpWorkdays {
			days = append(days, models.Holiday{Date: h.Date, Name: h.Name, Workday: true})
		}
		if err := insertNew(tx, days); err != nil {
			return fmt.Errorf("seed holidays: %w", err)
		}
		if err := seedLegalBases(tx); err != nil {
			return err
		}
		if err := seedAuthorities(tx); err != nil {
			return err
		}
		if err := seedLearningTargets(tx); err != nil {
			return err
		}
		if opts.DemoPassword != "" {
			if err := insertDemo(tx, opts.DemoPassword); err != nil {
				return err
			}
			if err := insertDemoLearning(tx); err != nil {
				return err
			}
		}
		return models.BumpReferenceVersion(tx)
	})
}

// DemoTwoTierRoundID is the always-open demo round of the city since 1
// July 2025: two tiers, over the units of that day.
const DemoTwoTierRoundID = "thu-nghiem-hai-cap"

// DemoTwoTierRound routes like every round since the reform (commune → Sở
// GD&ĐT → Sở Nội vụ, the city's 168 communes) with a window open until
// 2099.
func DemoTwoTierRound() models.Round {
	r := AnnualRound(2026)
	r.ID, r.Code, r.Kind = DemoTwoTierRoundID, DemoTwoTierRoundID, models.RoundPreliminary
	r.Name = "Đợt thử nghiệm hai cấp (dữ liệu mẫu) — Thành phố Hồ Chí Minh từ 01/07/2025"
	r.PeriodFrom, r.PeriodTo = 2023, 2025
	r.OpensAt, r.ClosesAt, r.ReferenceDate = vietnam(2025, 7, 1, 0), vietnam(2099, 12, 31, 17), Reform
	return r
}

// twoTierPreliminary moves the 2025 preliminary review that earlier
// versions seeded (three tiers, March to June 2025, before the reform) to
// its two-tier terms, as long as nothing was filed in it; once a
// nomination was, its round stays as it was filed under.
func twoTierPreliminary(tx *gorm.DB) error {
	var filed int64
	if err := tx.Model(&models.Nomination{}).Where("round_id = ?", PreliminaryRoundID).Count(&filed).Error; err != nil {
		return fmt.Errorf("seed: nominations of %s: %w", PreliminaryRoundID, err)
	}
	if filed > 0 {
		return nil
	}
	r := PreliminaryRound2025()
	err := tx.Model(&models.Round{}).Where("id = ? AND chain = ?", PreliminaryRoundID, routing.ThreeTier.Code).
		Updates(map[string]any{"chain": r.Chain, "opens_at": r.OpensAt, "closes_at": r.ClosesAt,
			"reference_date": r.ReferenceDate, "awards": r.Awards}).Error
	if err != nil {
		return fmt.Errorf("seed: bring %s to two tiers: %w", PreliminaryRoundID, err)
	}
	return nil
}

// insertNew inserts the rows of v that do not exist yet.
func insertNew(tx *gorm.DB, v any) error {
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(v).Error
}

// insertDemo inserts the demo round and, unless they exist, the demo
// accounts with password.
func insertDemo(tx *gorm.DB, password string) error {
	if err := insertNew(tx, &[]models.Round{DemoRound(), DemoTwoTierRound()}); err != nil {
		return fmt.Errorf("seed demo round: %w", err)
	}
	var count int64
	if err := tx.Model(&models.User{}).Where("username = ?", DemoUsers[0].Username).Count(&count).Error; err != nil {
		return err
	}
	if count > 0 {
		return nil
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	var users []models.User
	for _, u := range DemoUsers {
		users = append(users, models.User{ID: "u-" + u.Username, Username: u.Username, FullName: u.FullName,
			Email: u.Username + "@tdkt.local", Role: u.Role, UnitID: u.UnitID, Head: u.Head, PasswordHash: hash})
	}
	if err := insertNew(tx, users); err != nil {
		return fmt.Errorf("seed demo users: %w", err)
	}
	return nil
}

// Rounds returns the preliminary review of 2025 (held at the end of 2025),
// the final review of 2030 and the annual round of now's year, all
// two-tier.
func Rounds(now time.Time) []models.Round {
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Zone)
		if err != nil {
			panic(err)
		}
		return t.UTC()
	}
	all := func(awards ...routing.Award) string {
		b, _ := json.Marshal(awards)
		return string(b)
	}
	twoTier := all(routing.GiayKhenXa, routing.GiayKhenSo, routing.BangKhenTinh, routing.BangKhenBo, routing.BangKhenThuTuong)
	year := now.Year()
	return []models.Round{
		PreliminaryRound2025(),
		{ID: "tong-ket-2030", Code: "tong-ket-2030", Kind: models.RoundFinal,
			Name:       "Tổng kết phong trào “Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời” giai đoạn 2023–2030",
			PeriodFrom: 2023, PeriodTo: 2030, OpensAt: at("2030-03-01 00:00"), ClosesAt: at("2030-06-30 17:00"),
			Chain: routing.TwoTier.Code, ReferenceDate: date("2030-03-01"), DueWorkingDays: 10, Awards: twoTier},
		AnnualRound(year),
	}
}

// PreliminaryRoundID is the 2025 preliminary review's ID (and code).
const PreliminaryRoundID = "so-ket-2025"

// PreliminaryRound2025 is the preliminary review of 2023–2025, held at the
// end of 2025 in the city as it is since 1 July: two-tier over the units
// of that day, open from 1 September to 17:00 on 20 November 2025.
func PreliminaryRound2025() models.Round {
	r := AnnualRound(2025)
	r.ID, r.Code, r.Kind = PreliminaryRoundID, PreliminaryRoundID, models.RoundPreliminary
	r.Name = "Sơ kết 3 năm thực hiện phong trào “Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời” giai đoạn 2023–2025"
	r.PeriodFrom, r.PeriodTo = 2023, 2025
	r.OpensAt, r.ReferenceDate = vietnam(2025, time.September, 1, 0), Reform
	return r
}

// AnnualRoundID is the ID (and code) of year's annual round.
func AnnualRoundID(year int) string { return fmt.Sprintf("hang-nam-%d", year) }

// AnnualRound is the template of year's annual round: open from 1 January
// to 17:00 on 20 November (the day units report), two-tier, routed over
// the units of 1 January, with the awards of the two-tier chain. The
// yearly rollover (activities.OpenAnnualRound) uses it when no earlier
// annual round is there to copy.
func AnnualRound(year int) models.Round {
	b, _ := json.Marshal([]routing.Award{routing.GiayKhenXa, routing.GiayKhenSo, routing.BangKhenTinh, routing.BangKhenBo, routing.BangKhenThuTuong})
	return models.Round{ID: AnnualRoundID(year), Code: AnnualRoundID(year), Kind: models.RoundAnnual,
		Name:       fmt.Sprintf("Khen thưởng hằng năm %d — phong trào xây dựng xã hội học tập", year),
		PeriodFrom: year, PeriodTo: year, OpensAt: vietnam(year, time.January, 1, 0), ClosesAt: vietnam(year, time.November, 20, 17),
		Chain: routing.TwoTier.Code, ReferenceDate: time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC), DueWorkingDays: 10, Awards: string(b)}
}

// DevPassword is the password of the demo accounts `tdkt dev` creates (and
// that cmd/tdkt-load logs in with). It protects nothing but a laptop demo;
// production creates no demo accounts.
const DevPassword = "khenthuong2024"

// DemoRoundID is the always-open demo round that `tdkt dev` and the tests
// use: the real rounds' windows are closed most of the year.
const DemoRoundID = "thu-nghiem"

// DemoRound routes like the 2025 preliminary review (three tiers: the
// district level still existed) with a window open from 2023 to 2099. It
// is a rehearsal: its steps keep the units of 1 March 2025 (FixedRouting)
// where a real round's would go to the units of the day.
func DemoRound() models.Round {
	b, _ := json.Marshal([]routing.Award{routing.GiayKhenXa, routing.GiayKhenHuyen, routing.GiayKhenSo,
		routing.BangKhenTinh, routing.BangKhenBo, routing.BangKhenThuTuong})
	return models.Round{ID: DemoRoundID, Code: DemoRoundID, Kind: models.RoundPreliminary,
		Name:       "Đợt thử nghiệm (dữ liệu mẫu) — xét ba cấp như sơ kết 2025",
		PeriodFrom: 2023, PeriodTo: 2025, OpensAt: vietnam(2023, 1, 1, 0), ClosesAt: vietnam(2099, 12, 31, 17),
		Chain: routing.ThreeTier.Code, ReferenceDate: date("2025-03-01"), FixedRouting: true, DueWorkingDays: 10, Awards: string(b)}
}
