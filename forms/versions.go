package forms

import "time"

// Versions of the forms.
//
// A dossier form follows a legal instrument: the decree detailing the Law
// on Emulation and Commendation prints, in its annex, the templates of the
// achievement reports, and the forms here are those templates adapted to
// the movement. When the decree is replaced the forms are replaced with
// it, but a nomination filed under the old decree is still read, checked
// and printed as it was filed. So each form has a code (one per nominee
// kind, the same in every version), a version and the instrument and days
// it follows, and every version stays in the registry after a newer one
// is added: Get finds the version a nomination recorded, InForce the one
// a new nomination takes.
//
// What the sources at hand confirm (lawnet.vn, 2024): under NĐ 98/2023/NĐ-CP
// the achievement report of a collective is Mẫu số 02 and that of an
// individual Mẫu số 03 of Phụ lục I. NOT CONFIRMED: the template of a
// household or a clan under NĐ 98/2023 (the reports here follow the
// individual's and the collective's), and the annex and template numbers
// of NĐ 152/2025/NĐ-CP, whose text was not at hand; its legal basis names
// the annex by what it holds, and Source says so, for someone to check
// against the official gazette (Công báo) and correct here with a new
// version, never by editing a released one. The fields did not change
// between the two decrees as far as the sources show; what differs is
// the decree a submission letter cites (the help of /letter/legal_basis)
// and the legal source itself.

// Ref names one version of one form: what a nomination records.
type Ref struct {
	Code    string `json:"code"`
	Version int    `json:"version"`
}

// edition is one legal instrument and the form versions it brings: the
// same version number for every nominee kind, so that a draft that
// changes kind stays under the same instrument.
type edition struct {
	version   int
	validFrom string // first day in force, YYYY-MM-DD
	validTo   string // last day in force, "" while in force
	// decree is how a submission letter cites the instrument, in the help
	// of its legal basis.
	decree string
	// basis is the legal basis of each kind's form: instrument, annex,
	// template.
	basis  map[string]string
	source string
}

// codes are the forms' codes, one per nominee kind: "HSKT" (hồ sơ khen
// thưởng) and the kind. A code never changes; a new form gets a new code.
var codes = map[string]string{
	KindIndividual: "HSKT-CN",  // cá nhân
	KindHousehold:  "HSKT-HGD", // hộ gia đình
	KindClan:       "HSKT-DH",  // dòng họ
	KindCollective: "HSKT-TT",  // tập thể
	KindEnterprise: "HSKT-DN",  // doanh nghiệp
	KindCommunity:  "HSKT-CD",  // cộng đồng
}

// editions are registered oldest first; their days never overlap.
var editions = []edition{
	{
		version: 1, validFrom: "2024-01-01", validTo: "2025-06-30",
		decree: "Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ",
		basis: map[string]string{
			KindIndividual: "Nghị định 98/2023/NĐ-CP, Phụ lục I, Mẫu số 03",
			KindHousehold:  "Nghị định 98/2023/NĐ-CP, Phụ lục I",
			KindClan:       "Nghị định 98/2023/NĐ-CP, Phụ lục I",
			KindCollective: "Nghị định 98/2023/NĐ-CP, Phụ lục I, Mẫu số 02",
			KindEnterprise: "Nghị định 98/2023/NĐ-CP, Phụ lục I, Mẫu số 02",
			KindCommunity:  "Nghị định 98/2023/NĐ-CP, Phụ lục I, Mẫu số 02",
		},
		source: "Mẫu số 02 (tập thể) và Mẫu số 03 (cá nhân) Phụ lục I Nghị định 98/2023/NĐ-CP theo lawnet.vn; " +
			"hiệu lực 01/01/2024–30/6/2025. CHƯA XÁC MINH: mẫu của hộ gia đình, dòng họ.",
	},
	{
		version: 2, validFrom: "2025-07-01",
		decree: "Nghị định số 152/2025/NĐ-CP ngày 14/6/2025 của Chính phủ",
		basis: map[string]string{
			KindIndividual: "Nghị định 152/2025/NĐ-CP, Phụ lục, mẫu báo cáo thành tích của cá nhân",
			KindHousehold:  "Nghị định 152/2025/NĐ-CP, Phụ lục, mẫu báo cáo thành tích của hộ gia đình",
			KindClan:       "Nghị định 152/2025/NĐ-CP, Phụ lục, mẫu báo cáo thành tích của dòng họ",
			KindCollective: "Nghị định 152/2025/NĐ-CP, Phụ lục, mẫu báo cáo thành tích của tập thể",
			KindEnterprise: "Nghị định 152/2025/NĐ-CP, Phụ lục, mẫu báo cáo thành tích của tập thể",
			KindCommunity:  "Nghị định 152/2025/NĐ-CP, Phụ lục, mẫu báo cáo thành tích của tập thể",
		},
		source: "Nghị định 152/2025/NĐ-CP có hiệu lực từ 01/7/2025, thay Nghị định 98/2023/NĐ-CP (laodong.vn). " +
			"CHƯA XÁC MINH: số phụ lục và số mẫu; khi đối chiếu được, đăng ký phiên bản mới.",
	},
}

// versions holds every dossier form version, by code and version; byKind
// the refs of each kind, oldest first.
var (
	versions = map[Ref]Form{}
	byKind   = map[string][]Ref{}
)

// register adds a nominee form under every edition; the last edition's
// stays the kind's newest (nomineeForms, dossierForms).
func register(build func() Form) {
	for _, e := range editions {
		nf := build()
		nf.Code, nf.Version, nf.LegalBasis = codes[nf.Kind], e.version, e.basis[nf.Kind]
		nf.ValidFrom, nf.ValidTo, nf.Source = e.validFrom, e.validTo, e.source
		df := dossierForm(nf, e)
		ref := Ref{Code: df.Code, Version: df.Version}
		versions[ref] = df
		byKind[nf.Kind] = append(byKind[nf.Kind], ref)
		nomineeForms[nf.Kind], dossierForms[nf.Kind] = nf, df
	}
}

// Code is the form code of a nominee kind, "" for an unknown kind.
func Code(kind string) string { return codes[kind] }

// Get returns the dossier form of a code at a version: the version a
// nomination recorded, whatever has been added since.
func Get(code string, version int) (Form, bool) {
	f, ok := versions[Ref{Code: code, Version: version}]
	if !ok {
		return Form{}, false
	}
	return f.clone(), true
}

// InForce returns the dossier form of kind in force on day (its civil
// day in Việt Nam), or false when none is: a day before the first
// version, or an unknown kind.
func InForce(kind string, day time.Time) (Form, bool) {
	d := isoDate(civilDay(day))
	for _, ref := range byKind[kind] {
		f := versions[ref]
		if f.ValidFrom <= d && (f.ValidTo == "" || d <= f.ValidTo) {
			return f.clone(), true
		}
	}
	return Form{}, false
}

// Versions lists every version of kind's dossier form, oldest first.
func Versions(kind string) []Form {
	out := make([]Form, 0, len(byKind[kind]))
	for _, ref := range byKind[kind] {
		out = append(out, versions[ref].clone())
	}
	return out
}

// at is the dossier form a check without a nomination applies on day:
// the version in force, or on a day before the first version (the
// movement began in 2023, under a decree the engine has no form of) the
// first. Callers holding a nomination use its recorded version instead.
func at(kind string, day time.Time) (Form, bool) {
	if f, ok := InForce(kind, day); ok {
		return f, true
	}
	refs := byKind[kind]
	if len(refs) == 0 || isoDate(civilDay(day)) > versions[refs[0]].ValidFrom {
		return Form{}, false
	}
	return versions[refs[0]].clone(), true
}
