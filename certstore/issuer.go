package certstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// Issuer is how a decision and its certificates name the body that issues
// them, as it was on the day they bear (Nghị định 30/2020/NĐ-CP, thể
// thức): a phường's Giấy khen is headed by its own People's Committee, a
// Sở's by the province or city it belongs to, a Bằng khen signed in June
// 2025 by Bình Dương's and one signed in 2026 by the city's.
type Issuer struct {
	// UnitID is the body whose register numbers the decision and its
	// certificates: the commune, the Sở, or Interior for the province's
	// and the central awards.
	UnitID string
	// Governing is the line above the issuing body where there is one
	// ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH" above a Sở).
	Governing string
	// Body is the issuing body in capitals: "ỦY BAN NHÂN DÂN PHƯỜNG DĨ AN",
	// "SỞ GIÁO DỤC VÀ ĐÀO TẠO".
	Body string
	// Title is the deciding authority in capitals, the certificate's
	// heading and the decision's line under its subject: "CHỦ TỊCH ỦY BAN
	// NHÂN DÂN PHƯỜNG DĨ AN", "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ HỒ
	// CHÍ MINH". Empty for the central awards, whose documents tdkt does
	// not write.
	Title string
	// Place is the place name of the line above the signature: the proper
	// name of the unit where the body sits ("Dĩ An", "Bình Dương",
	// "Thành phố Hồ Chí Minh").
	Place string
	// Proposal is whose proposal the decision follows.
	Proposal string
	// Executors is the decision's last article: who carries it out.
	Executors string
	// AwardName names the award as this issuer gives it: "Giấy khen của
	// Chủ tịch Ủy ban nhân dân phường Dĩ An", "Bằng khen của Chủ tịch Ủy
	// ban nhân dân thành phố Hồ Chí Minh".
	AwardName string
}

// IssuerOn describes the body unitID as the issuer of award on day on.
// The body must be in force that day; for the province's awards unitID is
// Interior and the authority is the People's Committee above it.
func IssuerOn(ctx context.Context, ref *models.Reference, unitID string, award routing.AwardInfo, on time.Time) (Issuer, error) {
	dir, err := ref.Directory(ctx, on)
	if err != nil {
		return Issuer{}, err
	}
	unit, ok := dir.Unit(unitID)
	if !ok {
		// A decision stored under a body that had ended by its date (as
		// earlier versions recorded Interior's): the body it went into
		// whole.
		lineage, err := ref.Lineage(ctx)
		if err != nil {
			return Issuer{}, err
		}
		unitID = models.WholeSuccessor(lineage, unitID, func(id string) bool { _, ok := dir.Unit(id); return ok })
		if unit, ok = dir.Unit(unitID); !ok {
			return Issuer{}, fmt.Errorf("issuer %s on %s: %w", unitID, on.Format(time.DateOnly), models.ErrNotFound)
		}
	}
	root := unit
	for depth := 0; depth < 16 && root.ParentID != ""; depth++ {
		if root, ok = dir.Unit(root.ParentID); !ok {
			return Issuer{}, fmt.Errorf("parent of %s on %s: %w", unitID, on.Format(time.DateOnly), models.ErrNotFound)
		}
	}
	body, err := ref.Unit(ctx, unitID)
	if err != nil {
		return Issuer{}, err
	}
	province, err := ref.Unit(ctx, root.ID)
	if err != nil {
		return Issuer{}, err
	}
	// Each with the name it bore that day.
	names, err := ref.UnitNameHistory(ctx)
	if err != nil {
		return Issuer{}, err
	}
	body.Name, province.Name = models.NameOn(names[body.ID], body, on), models.NameOn(names[province.ID], province, on)
	committee := func(u models.Unit) string { return "ỦY BAN NHÂN DÂN " + strings.ToUpper(u.Name) }
	chairman := func(u models.Unit) string {
		return award.Form + " của Chủ tịch Ủy ban nhân dân " + lowerFirst(u.Name)
	}
	out := Issuer{UnitID: unitID, AwardName: award.Name}
	switch {
	case body.Kind == models.KindCommune || body.Kind == models.KindDistrict:
		out.Body = committee(body)
		out.Title = "CHỦ TỊCH " + out.Body
		out.Place = PlaceName(body)
		out.AwardName = chairman(body)
		out.Proposal = "Xét đề nghị của công chức phụ trách công tác thi đua, khen thưởng."
		out.Executors = "Văn phòng Ủy ban nhân dân, các cơ quan, đơn vị và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
	case award.Issuer == routing.Interior && !award.External:
		out.Body = committee(province)
		out.Title = "CHỦ TỊCH " + out.Body
		out.Place = PlaceName(province)
		out.AwardName = chairman(province)
		out.Proposal = "Xét đề nghị của Giám đốc Sở Nội vụ."
		out.Executors = "Chánh Văn phòng Ủy ban nhân dân, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
	case award.External:
		// Recorded from the ministry's or the government's decision:
		// tdkt writes no document in that body's name (RecordedOnly),
		// so only the award's own name and the recording body are used.
		out.Body = strings.ToUpper(body.Name)
		out.Place = PlaceName(province)
	default:
		// A department: its province's committee above it, its name
		// without the province's.
		out.Governing = committee(province)
		out.Body = strings.ToUpper(withoutPlace(body.Name, province.Name))
		out.Title = "GIÁM ĐỐC " + strings.ToUpper(body.Name)
		out.Place = PlaceName(province)
		out.AwardName = award.Form + " của Giám đốc " + body.Name
		out.Proposal = "Xét đề nghị của Hội đồng Thi đua – Khen thưởng " + withoutPlace(body.Name, province.Name) + "."
		out.Executors = "Chánh Văn phòng, Thủ trưởng các đơn vị thuộc Sở và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
	}
	return out, nil
}

// ErrNoIssuer is wrapped when no body issues a nomination's award.
var ErrNoIssuer = errors.New("no issuing body")

// IssuerUnit is the body that issues nomination n's award: the unit of
// its planned route at the award's issuing level or, before it has a
// route (a draft), the one the units in force in dir give (those of the
// round's reference date): the first unit at that level above the
// nominating body, or the province's.
func IssuerUnit(dir routing.Directory, n models.Nomination) (string, error) {
	award, err := routing.LookupAward(routing.Award(n.Award))
	if err != nil {
		return "", err
	}
	if route, ok := n.PlannedRoute(); ok {
		for _, st := range route.Steps {
			if st.Level == award.Issuer {
				return st.UnitID, nil
			}
		}
	}
	id := n.UnitID
	for depth := 0; depth < 16; depth++ {
		u, ok := dir.Unit(id)
		if !ok {
			break
		}
		if u.Level == award.Issuer {
			return u.ID, nil
		}
		if u.ParentID == "" {
			if r, ok := dir.Reviewer(award.Issuer, u.ID); ok {
				return r.ID, nil
			}
			break
		}
		id = u.ParentID
	}
	return "", fmt.Errorf("nomination %s: %w at the %s level", n.ID, ErrNoIssuer, award.Issuer)
}

// PlaceName is a unit's proper name, as the place of a document: "Phường
// Dĩ An" gives "Dĩ An"; a name that is a number keeps its kind ("Phường
// 1"), and the centrally-run city keeps its whole name ("Thành phố Hồ Chí
// Minh"), as Nghị định 30/2020/NĐ-CP writes them.
func PlaceName(u models.Unit) string {
	if u.Kind == models.KindProvince && u.LegalKind == "thành phố" {
		return u.Name
	}
	for _, k := range append([]string{u.LegalKind}, models.LegalKinds[u.Kind]...) {
		if k == "" || len(u.Name) <= len(k) || !strings.EqualFold(u.Name[:len(k)], k) {
			continue
		}
		rest := strings.TrimSpace(u.Name[len(k):])
		if r := []rune(rest); len(r) > 0 && !unicode.IsDigit(r[0]) {
			return rest
		}
		return u.Name
	}
	return u.Name
}

// withoutPlace is a department's name without its province's at the end:
// "Sở Giáo dục và Đào tạo tỉnh Bình Dương" gives "Sở Giáo dục và Đào tạo".
func withoutPlace(name, province string) string {
	if len(name) > len(province) && strings.EqualFold(name[len(name)-len(province):], province) {
		return strings.TrimSpace(name[:len(name)-len(province)])
	}
	return name
}

// lowerFirst writes a unit's name inside a phrase: "Phường Dĩ An" gives
// "phường Dĩ An".
func lowerFirst(name string) string {
	r := []rune(name)
	if len(r) == 0 {
		return name
	}
	return string(unicode.ToLower(r[0])) + string(r[1:])
}
