package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

func (s *Server) listForms(c echo.Context) error {
	type formInfo struct {
		Kind    string `json:"kind"`
		Title   string `json:"title"`
		TitleEN string `json:"title_en"`
		Schema  string `json:"schema"`
	}
	out := []formInfo{}
	for _, k := range forms.Kinds() {
		f := forms.Dossier(k)
		out = append(out, formInfo{Kind: k, Title: f.Title, TitleEN: f.TitleEN, Schema: "/api/v1/forms/" + k})
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

// getForm serves the JSON Schema of a kind's dossier: the same definition
// validates submissions and drives the web form.
func (s *Server) getForm(c echo.Context) error {
	if _, ok := forms.Lookup(c.Param("kind")); !ok {
		return problem(http.StatusNotFound, "Không có mẫu hồ sơ cho loại đối tượng này.", "No form for this nominee kind.")
	}
	return c.JSON(http.StatusOK, forms.Dossier(c.Param("kind")).JSONSchema())
}

// checkDossier validates a nomination's dossier against its form and the
// award's eligibility rules before it is submitted. It returns the clean
// (normalized) dossier, the rule results and the nominee's key, or a 422
// listing every error, or a 409 naming an open nomination of the same
// nominee for the same award in the round.
func (s *Server) checkDossier(c echo.Context, n models.Nomination) (checkedDossier, error) {
	var none checkedDossier
	var d map[string]any
	if err := json.Unmarshal([]byte(n.Dossier), &d); err != nil {
		return none, fmt.Errorf("dossier of %s: %w", n.ID, err)
	}
	now := s.now()
	cleaned, ferrs := forms.Validate(n.NomineeKind, d, now)
	if len(ferrs) > 0 {
		errs := make([]FieldError, 0, len(ferrs))
		for _, e := range ferrs {
			errs = append(errs, FieldError{Pointer: "/dossier" + e.Pointer, Message: e.Message, MessageEN: e.MessageEN})
		}
		p := invalid(errs)
		p.Detail = "Hồ sơ chưa đầy đủ hoặc chưa hợp lệ; sửa các mục được chỉ ra rồi gửi lại."
		p.DetailEN = "The dossier is incomplete or invalid; fix the fields listed and submit again."
		return none, p
	}
	res := forms.Eligibility(n.Award, n.NomineeKind, cleaned, now)
	if forms.Blocking(res) {
		var errs []FieldError
		for _, r := range res {
			if r.Status == forms.StatusFail {
				errs = append(errs, FieldError{Pointer: "/dossier" + r.Pointer, Message: r.Message, MessageEN: r.MessageEN})
			}
		}
		p := invalid(errs)
		p.Detail = "Đối tượng chưa đủ điều kiện đề nghị hình thức khen thưởng này."
		p.DetailEN = "The nominee does not meet the conditions of this award."
		return none, p
	}
	key := forms.NomineeKey(n.NomineeKind, cleaned)
	if key != "" {
		if err := s.checkDuplicate(c, n, key); err != nil {
			return none, err
		}
	}
	b, _ := json.Marshal(cleaned)
	r, _ := json.Marshal(res)
	return checkedDossier{dossier: string(b), results: string(r), key: key}, nil
}

// checkedDossier is a dossier that passed its form and the award's rules.
type checkedDossier struct {
	dossier string // normalized JSON
	results string // JSON list of forms.Result
	key     string // forms.NomineeKey
}

// checkDuplicate refuses a second open nomination of the same nominee for
// the same award in the same round. A key without a CCCD (name and date of
// birth) only matches within the same nominating body.
func (s *Server) checkDuplicate(c echo.Context, n models.Nomination, key string) error {
	q := s.DB.WithContext(c.Request().Context()).Omit("dossier").
		Where("round_id = ? AND award = ? AND nominee_key = ? AND id <> ? AND status NOT IN ?",
			n.RoundID, n.Award, key, n.ID, []string{workflows.StatusDraft, workflows.StatusWithdrawn, workflows.StatusRejected})
	if !strings.Contains(key, "|cccd|") {
		q = q.Where("unit_id = ?", n.UnitID)
	}
	var other models.Nomination
	err := q.Limit(1).Find(&other).Error
	if err != nil {
		return err
	}
	if other.ID != "" {
		return problem(http.StatusConflict,
			fmt.Sprintf("Đối tượng này đã có hồ sơ đề nghị cùng hình thức trong đợt xét (mã hồ sơ %s, trạng thái %s).", other.ID, statusLabels[other.Status]),
			fmt.Sprintf("This nominee already has an open nomination for the same award in this round: %s (%s).", other.ID, other.Status))
	}
	return nil
}
