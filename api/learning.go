package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/service"
)

// The register of learning titles and the plan's indicators
// (service/learning.go, service/indicators.go): a unit's staff keep its
// holders, recognitions and counts; every signed-in user reads the
// indicators.

// learningCatalogue lists the titles, the measures units record, the
// indicators with their arithmetic and every version of the scoring
// sheets.
func (s *Server) learningCatalogue(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"titles": learning.Titles, "measures": learning.Measures, "indicators": learning.Indicators,
		"sheets": learning.Sheets()})
}

// createHolder adds a holder of learning titles.
func (s *Server) createHolder(c echo.Context) error {
	var req service.HolderInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.CreateHolder(c.Request().Context(), currentCaller(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// getHolder returns a holder with its recognitions.
func (s *Server) getHolder(c echo.Context) error {
	out, err := s.svc.Holder(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// recordRecognition records one year's decision on a holder's title.
func (s *Server) recordRecognition(c echo.Context) error {
	var req service.RecognitionInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.RecordRecognition(c.Request().Context(), currentCaller(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// revokeRecognition revokes a recognised title with its reason.
func (s *Server) revokeRecognition(c echo.Context) error {
	var req service.RevokeInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.RevokeRecognition(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// recordCount records a unit's count for a year.
func (s *Server) recordCount(c echo.Context) error {
	var req service.LearningCountInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.RecordCount(c.Request().Context(), currentCaller(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// learningIndicators gives the plan's indicators for ?unit= and ?year=.
func (s *Server) learningIndicators(c echo.Context) error {
	out, err := s.svc.Indicators(c.Request().Context(), currentCaller(c), c.QueryParam("unit"), c.QueryParam("year"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// listLearningReports lists the year's reports the caller's unit sends and
// receives.
func (s *Server) listLearningReports(c echo.Context) error {
	out, err := s.svc.LearningReports(c.Request().Context(), currentCaller(c), c.QueryParam("year"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// getLearningReport returns a report with its submitted versions.
func (s *Server) getLearningReport(c echo.Context) error {
	out, err := s.svc.LearningReport(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// patchLearningReport replaces a report's text sections.
func (s *Server) patchLearningReport(c echo.Context) error {
	var req service.ReportSectionsInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.PatchLearningReport(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// submitLearningReport sends a report to the level above.
func (s *Server) submitLearningReport(c echo.Context) error {
	out, err := s.svc.SubmitLearningReport(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// receiveLearningReport records that the level above received a report.
func (s *Server) receiveLearningReport(c echo.Context) error {
	out, err := s.svc.ReceiveLearningReport(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// learningIndicatorsXLSX serves the same indicators as a workbook
// (service/indicatorexports.go).
func (s *Server) learningIndicatorsXLSX(c echo.Context) error {
	d, err := s.svc.IndicatorsXLSX(c.Request().Context(), currentCaller(c), c.QueryParam("unit"), c.QueryParam("year"))
	if err != nil {
		return err
	}
	return document(c, d)
}

// learningIndicatorsPDF serves them as an A4 PDF.
func (s *Server) learningIndicatorsPDF(c echo.Context) error {
	d, err := s.svc.IndicatorsPDF(c.Request().Context(), currentCaller(c), c.QueryParam("unit"), c.QueryParam("year"))
	if err != nil {
		return err
	}
	return document(c, d)
}

// recognitionQuery reads the register view's filters (?unit=,
// ?with_predecessors=, ?year=, ?title=, ?status=) and, as the nominations'
// list, ?page= and ?per_page=.
func recognitionQuery(c echo.Context) (service.RecognitionQuery, error) {
	q := service.RecognitionQuery{UnitID: c.QueryParam("unit"), Title: c.QueryParam("title"), Status: c.QueryParam("status"), Page: 1, PerPage: 20}
	var errs []FieldError
	q.WithPredecessors, errs = withPredecessors(c)
	if v := c.QueryParam("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1945 || n > 2100 {
			errs = append(errs, FieldError{Pointer: "/year", Message: "Năm phải là số, ví dụ 2025.", MessageEN: "year must be a number such as 2025."})
		}
		q.Year = n
	}
	errs = append(errs, readPage(c, &q.Page, &q.PerPage)...)
	if len(errs) > 0 {
		return q, invalid(errs)
	}
	return q, nil
}

// listRecognitions is a page of the register's recognitions the caller
// keeps.
func (s *Server) listRecognitions(c echo.Context) error {
	q, err := recognitionQuery(c)
	if err != nil {
		return err
	}
	out, err := s.svc.Recognitions(c.Request().Context(), currentCaller(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// exportRecognitions is the same view, unpaged, as a workbook.
func (s *Server) exportRecognitions(c echo.Context) error {
	q, err := recognitionQuery(c)
	if err != nil {
		return err
	}
	d, err := s.svc.ExportRecognitions(c.Request().Context(), currentCaller(c), q)
	if err != nil {
		return err
	}
	return document(c, d)
}

// registerTemplate is the register's workbook to fill in.
func (s *Server) registerTemplate(c echo.Context) error {
	d, err := s.svc.RegisterTemplate()
	if err != nil {
		return err
	}
	return document(c, d)
}

// previewRegisterImport checks an uploaded workbook (multipart field
// "file") for ?unit= and answers its row errors; nothing is written.
func (s *Server) previewRegisterImport(c echo.Context) error { return s.registerImport(c, false) }

// commitRegisterImport writes the same workbook, every row or none.
func (s *Server) commitRegisterImport(c echo.Context) error { return s.registerImport(c, true) }

func (s *Server) registerImport(c echo.Context, commit bool) error {
	data, err := s.formFile(c, "file")
	if err != nil {
		return err
	}
	out, err := s.svc.ImportRegister(c.Request().Context(), currentCaller(c), c.QueryParam("unit"), data, service.ImportOptions{Commit: commit})
	if err != nil {
		return err
	}
	if commit {
		return c.JSON(http.StatusCreated, out)
	}
	return c.JSON(http.StatusOK, out)
}

// createProposal starts a proposal of recognitions.
func (s *Server) createProposal(c echo.Context) error {
	var req service.ProposalInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.CreateProposal(c.Request().Context(), currentCaller(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// getProposal returns a proposal with its history.
func (s *Server) getProposal(c echo.Context) error {
	out, err := s.svc.Proposal(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// decideProposal takes a step's decision on a proposal.
func (s *Server) decideProposal(c echo.Context) error {
	var req service.ProposalDecisionInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.DecideProposal(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
