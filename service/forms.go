package service

import "github.com/tdkt/tdkt/forms"

// FormInfo names a nominee kind's dossier form and where its JSON Schema
// is served.
type FormInfo struct {
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	TitleEN string `json:"title_en"`
	Schema  string `json:"schema"`
}

// Forms lists the dossier forms, one per nominee kind.
func (s *Service) Forms() []FormInfo {
	out := []FormInfo{}
	for _, k := range forms.Kinds() {
		f := forms.Dossier(k)
		out = append(out, FormInfo{Kind: k, Title: f.Title, TitleEN: f.TitleEN, Schema: "/api/v1/forms/" + k})
	}
	return out
}

// Form is the dossier form of a nominee kind (a copy: the caller may
// change it). The web form is built from it, so the page and the
// validation of a submission read the same declarations.
func (s *Service) Form(kind string) (forms.Form, error) {
	if _, ok := forms.Lookup(kind); !ok {
		return forms.Form{}, NotFound("Không có mẫu hồ sơ cho loại đối tượng này.", "No form for this nominee kind.")
	}
	return forms.Dossier(kind), nil
}

// FormSchema is the JSON Schema of a kind's dossier: the same definition
// validates submissions and drives the web form.
func (s *Service) FormSchema(kind string) (any, error) {
	f, err := s.Form(kind)
	if err != nil {
		return nil, err
	}
	return f.JSONSchema(), nil
}
