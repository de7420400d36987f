package service

import (
	"fmt"
	"hash/fnv"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// FormInfo names a nominee kind's dossier form, the version in force
// today with its legal source, every version, and where its JSON Schema
// is served.
type FormInfo struct {
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	TitleEN string `json:"title_en"`
	FormVersion
	Versions []FormVersion `json:"versions"`
	Schema   string        `json:"schema"`
}

// FormVersion is one version of a form and the instrument it follows.
type FormVersion struct {
	Code       string `json:"code"`
	Version    int    `json:"version"`
	LegalBasis string `json:"legal_basis"`
	ValidFrom  string `json:"valid_from"`
	ValidTo    string `json:"valid_to,omitempty"`
}

// FormSource is the version of the form a nomination was filed under, on
// its view: what it is validated, shown and printed with.
type FormSource struct {
	Code       string `json:"code"`
	Version    int    `json:"version"`
	LegalBasis string `json:"legal_basis"`
}

func formVersion(f forms.Form) FormVersion {
	return FormVersion{Code: f.Code, Version: f.Version, LegalBasis: f.LegalBasis, ValidFrom: f.ValidFrom, ValidTo: f.ValidTo}
}

// Forms lists the dossier forms, one per nominee kind, in the version in
// force today.
func (s *Service) Forms() []FormInfo {
	out := []FormInfo{}
	for _, k := range forms.Kinds() {
		f, err := s.Form(k)
		if err != nil {
			continue // no version in force today: not offered
		}
		info := FormInfo{Kind: k, Title: f.Title, TitleEN: f.TitleEN, FormVersion: formVersion(f),
			Schema: "/api/v1/forms/" + k, Versions: []FormVersion{}}
		for _, v := range forms.Versions(k) {
			info.Versions = append(info.Versions, formVersion(v))
		}
		out = append(out, info)
	}
	return out
}

// Form is the dossier form of a nominee kind in the version in force
// today (a copy: the caller may change it): the web's form of a new
// nomination. A nomination has its own version (NominationForm).
func (s *Service) Form(kind string) (forms.Form, error) {
	f, ok := forms.InForce(kind, s.now())
	if !ok {
		return forms.Form{}, NotFound("Không có mẫu hồ sơ cho loại đối tượng này.", "No form for this nominee kind.")
	}
	return f, nil
}

// FormSchema is the JSON Schema of a kind's dossier: the same definition
// validates submissions and drives the web form. Version 0 is the version
// in force today; another is that version, still served after it was
// replaced, for the nominations filed under it.
func (s *Service) FormSchema(kind string, version int) (any, error) {
	if version == 0 {
		f, err := s.Form(kind)
		if err != nil {
			return nil, err
		}
		return f.JSONSchema(), nil
	}
	f, ok := forms.Get(forms.Code(kind), version)
	if !ok {
		return nil, NotFound("Không có phiên bản này của mẫu hồ sơ.", "No such version of this form.")
	}
	return f.JSONSchema(), nil
}

// formInForce is the version of kind's form a new nomination in round
// takes: the one in force on the round's reference date, or for a round
// dated before the first version (the movement's 2023 rounds) the one in
// force today. Creation and the import both choose through it.
func (s *Service) formInForce(kind string, round models.Round) (forms.Form, bool) {
	if f, ok := forms.InForce(kind, round.ReferenceDate); ok {
		return f, true
	}
	return forms.InForce(kind, s.now())
}

// nominationForm is the version of the form n was filed under: its
// dossier is validated, shown and printed with it, never with a newer one.
func nominationForm(n models.Nomination) (forms.Form, error) {
	f, ok := forms.Get(n.FormCode, n.FormVersion)
	if !ok {
		return forms.Form{}, fmt.Errorf("nomination %s: form %q version %d is not registered", n.ID, n.FormCode, n.FormVersion)
	}
	return f, nil
}

// NominationForm is the form of a nomination as its view names it: the
// web shows and collects its dossier with it.
func (s *Service) NominationForm(v NominationView) (forms.Form, error) {
	if v.Form == nil {
		return forms.Form{}, fmt.Errorf("nomination %s records no form", v.ID)
	}
	return nominationForm(models.Nomination{ID: v.ID, FormCode: v.Form.Code, FormVersion: v.Form.Version})
}

// formSource is n's form on its view, nil for a row that records none.
func formSource(n models.Nomination) *FormSource {
	f, ok := forms.Get(n.FormCode, n.FormVersion)
	if !ok {
		return nil
	}
	return &FormSource{Code: f.Code, Version: f.Version, LegalBasis: f.LegalBasis}
}

// FormExample is a filled-in dossier of kind for a nominee called name,
// asked for award — what a clerk (or the README's walkthrough) starts
// from. The nominee's CCCD is drawn from the name, so two names give two
// nominees.
func (s *Service) FormExample(kind, name, award string) (map[string]any, error) {
	var errs []FieldError
	if _, err := forms.Example(kind); err != nil {
		return nil, NotFound("Không có mẫu hồ sơ cho loại đối tượng này.", err.Error())
	}
	if name == "" {
		errs = append(errs, Required("/name"))
	}
	if _, err := routing.LookupAward(routing.Award(award)); err != nil {
		errs = append(errs, FieldError{Pointer: "/award", Message: "Không có hình thức khen thưởng này.", MessageEN: err.Error()})
	}
	if err := InvalidIf(errs); err != nil {
		return nil, err
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return forms.ExampleFor(kind, name, routing.Award(award), int(h.Sum32()%900000))
}
