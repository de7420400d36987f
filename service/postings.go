package service

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// A Prime Minister's Bằng khen nominee is posted publicly for 10 working
// days before the council: anyone, without an account, reads the names
// under posting and objects; Interior reads and resolves the objections.

// postingWorkingDays is the length of a public posting.
const postingWorkingDays = 10

// PostingView is a nomination's public posting.
type PostingView struct {
	NominationID string    `json:"nomination_id,omitempty"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`
}

// StartPosting publishes an accepted Prime Minister's Bằng khen nominee
// for 10 working days from now.
func (s *Service) StartPosting(ctx context.Context, who Caller, nominationID string) (PostingView, error) {
	if err := who.Require(models.RoleInterior); err != nil {
		return PostingView{}, err
	}
	n, err := s.VisibleNomination(ctx, who, nominationID)
	if err != nil {
		return PostingView{}, err
	}
	if n.Status != access.StatusAccepted || n.Award != string(routing.BangKhenThuTuong) {
		return PostingView{}, Conflict("Chỉ niêm yết hồ sơ đề nghị Bằng khen của Thủ tướng đã được Sở Nội vụ chấp thuận.",
			"Only accepted nominations for the Prime Minister's Bằng khen are posted.")
	}
	cal, err := s.ref.Calendar(ctx)
	if err != nil {
		return PostingView{}, err
	}
	now := s.now().UTC()
	p := models.Posting{NominationID: n.ID, RoundID: n.RoundID, StartsAt: now, EndsAt: cal.Due(now, postingWorkingDays).UTC(),
		CreatedBy: who.User.ID}
	err = s.db.WithContext(ctx).Create(&p).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return PostingView{}, Conflict("Hồ sơ đã được niêm yết.", "The nomination is already posted.")
	}
	if err != nil {
		return PostingView{}, fmt.Errorf("post %s: %w", n.ID, err)
	}
	return PostingView{NominationID: p.NominationID, StartsAt: p.StartsAt, EndsAt: p.EndsAt}, nil
}

// PublicPosting is a nominee under posting, as the public reads it.
type PublicPosting struct {
	NominationID string    `json:"nomination_id"`
	NomineeName  string    `json:"nominee_name"`
	UnitName     string    `json:"unit_name"`
	AwardName    string    `json:"award_name"`
	EndsAt       time.Time `json:"ends_at"`
}

// Postings lists the nominees under posting now, the soonest ending first:
// public, so that anyone can object.
func (s *Service) Postings(ctx context.Context) ([]PublicPosting, error) {
	db := s.db.WithContext(ctx)
	ps, err := models.OpenPostings(db, s.now().UTC())
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.NominationID
	}
	noms, err := models.NominationsWithoutDossier(db, "", ids)
	if err != nil {
		return nil, err
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PublicPosting, 0, len(ps))
	for _, p := range ps {
		n := noms[p.NominationID]
		out = append(out, PublicPosting{NominationID: n.ID, NomineeName: n.NomineeName, UnitName: names[n.UnitID],
			AwardName: awardNameOf(n.Award), EndsAt: p.EndsAt})
	}
	return out, nil
}

// ObjectionInput is a citizen's objection to a posted nominee.
type ObjectionInput struct {
	Author  string `json:"author"`
	Contact string `json:"contact"`
	Text    string `json:"text"`
}

// ObjectionReceipt acknowledges an objection.
type ObjectionReceipt struct {
	ID         string    `json:"id"`
	ReceivedAt time.Time `json:"received_at"`
}

// Object records an objection to a nominee under posting now. Anyone may
// object without an account (who is anonymous but for its address), at
// most a few times a minute from one address, through the API or the web
// form alike. read fills the objection once the limit and the posting
// allow it (the API decodes the body then).
func (s *Service) Object(ctx context.Context, who Caller, nominationID string, read func(*ObjectionInput) error) (ObjectionReceipt, error) {
	if err := s.allowObjection(who.Address); err != nil {
		return ObjectionReceipt{}, err
	}
	db := s.db.WithContext(ctx)
	p, err := models.OpenPosting(db, nominationID, s.now().UTC())
	if errors.Is(err, models.ErrNoPosting) {
		return ObjectionReceipt{}, NotFound("Không có hồ sơ đang niêm yết này.", "No such posting open now.")
	}
	if err != nil {
		return ObjectionReceipt{}, err
	}
	var in ObjectionInput
	if err := read(&in); err != nil {
		return ObjectionReceipt{}, err
	}
	errs := cleanText(map[string]*string{"/author": &in.Author, "/contact": &in.Contact, "/text": &in.Text})
	if l := utf8.RuneCountInString(in.Author); l < 2 || l > 255 {
		errs = append(errs, FieldError{Pointer: "/author", Message: "Cần ghi họ tên người phản ánh (2–255 ký tự).", MessageEN: "Your name is required (2–255 characters)."})
	}
	if utf8.RuneCountInString(in.Contact) > 255 {
		errs = append(errs, FieldError{Pointer: "/contact", Message: "Tối đa 255 ký tự.", MessageEN: "At most 255 characters."})
	}
	if l := utf8.RuneCountInString(in.Text); l < 10 || l > 4000 {
		errs = append(errs, FieldError{Pointer: "/text", Message: "Nội dung phản ánh từ 10 đến 4000 ký tự.", MessageEN: "Between 10 and 4000 characters."})
	}
	if err := InvalidIf(errs); err != nil {
		return ObjectionReceipt{}, err
	}
	o := models.Objection{ID: uuid.NewString(), NominationID: p.NominationID, Author: in.Author, Contact: in.Contact, Text: in.Text,
		CreatedAt: s.now().UTC()}
	if err := db.Create(&o).Error; err != nil {
		return ObjectionReceipt{}, fmt.Errorf("objection to %s: %w", p.NominationID, err)
	}
	return ObjectionReceipt{ID: o.ID, ReceivedAt: o.CreatedAt}, nil
}

// ObjectionView is one objection and how it was resolved.
type ObjectionView struct {
	ID             string     `json:"id"`
	Author         string     `json:"author"`
	Contact        string     `json:"contact,omitempty"`
	Text           string     `json:"text"`
	CreatedAt      time.Time  `json:"created_at"`
	Resolution     string     `json:"resolution,omitempty"`
	ResolvedBy     string     `json:"resolved_by,omitempty"`
	ResolvedByName string     `json:"resolved_by_name,omitempty"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
}

// ObjectionsView is a nomination's posting (nil before one) and the
// objections raised during it.
type ObjectionsView struct {
	Posting *PostingView    `json:"posting,omitempty"`
	Items   []ObjectionView `json:"items"`
	Total   int             `json:"total"`
}

// Objections shows Interior a nomination's public posting and the
// objections raised during it, oldest first, with how each was resolved.
// Objectors' names and contacts are personal data: not for the nominating
// body, the reviewers or the administrators.
func (s *Service) Objections(ctx context.Context, who Caller, nominationID string) (ObjectionsView, error) {
	if err := who.Require(models.RoleInterior); err != nil {
		return ObjectionsView{}, err
	}
	n, err := s.VisibleNomination(ctx, who, nominationID)
	if err != nil {
		return ObjectionsView{}, err
	}
	db := s.db.WithContext(ctx)
	out := ObjectionsView{Items: []ObjectionView{}}
	p, err := models.PostingOf(db, n.ID)
	switch {
	case err == nil:
		out.Posting = &PostingView{StartsAt: p.StartsAt, EndsAt: p.EndsAt}
	case !errors.Is(err, models.ErrNoPosting):
		return ObjectionsView{}, err
	}
	objs, names, err := models.ObjectionsOf(db, n.ID)
	if err != nil {
		return ObjectionsView{}, err
	}
	for _, o := range objs {
		out.Items = append(out.Items, ObjectionView{ID: o.ID, Author: o.Author, Contact: o.Contact, Text: o.Text, CreatedAt: o.CreatedAt,
			Resolution: o.Resolution, ResolvedBy: o.ResolvedBy, ResolvedByName: names[o.ResolvedBy], ResolvedAt: o.ResolvedAt})
	}
	out.Total = len(out.Items)
	return out, nil
}

// ResolveInput is how Interior resolved an objection.
type ResolveInput struct {
	Resolution string `json:"resolution"`
}

// ResolveObjection records how Interior resolved an open objection.
func (s *Service) ResolveObjection(ctx context.Context, who Caller, id string, in ResolveInput) error {
	if err := who.Require(models.RoleInterior); err != nil {
		return err
	}
	errs := cleanText(map[string]*string{"/resolution": &in.Resolution})
	if l := utf8.RuneCountInString(in.Resolution); l < 5 || l > 4000 {
		errs = append(errs, FieldError{Pointer: "/resolution", Message: "Cần ghi kết quả giải quyết (5–4000 ký tự).", MessageEN: "A resolution is required (5–4000 characters)."})
	}
	if err := InvalidIf(errs); err != nil {
		return err
	}
	resolved, err := models.ResolveObjection(s.db.WithContext(ctx), id, in.Resolution, who.User.ID, s.now().UTC())
	if err != nil {
		return err
	}
	if !resolved {
		return NotFound("Không có ý kiến phản ánh chưa giải quyết này.", "No such open objection.")
	}
	return nil
}
