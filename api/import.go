package api

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

// The Excel import of nominations (service/imports.go).

// importTemplate is the workbook to fill in.
func (s *Server) importTemplate(c echo.Context) error {
	d, err := s.svc.ImportTemplate()
	if err != nil {
		return err
	}
	return document(c, d)
}

// importNominations creates one draft per row of the uploaded workbook
// (multipart field "file"), for the caller's unit in ?round=.
func (s *Server) importNominations(c echo.Context) error {
	data, err := s.formFile(c, "file")
	if err != nil {
		return err
	}
	res, err := s.svc.ImportNominations(c.Request().Context(), currentCaller(c), c.QueryParam("round"), data)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, res)
}

// formFile reads a multipart file of at most the upload limit (and one
// byte more, for the service to refuse); nil when the request has none.
func (s *Server) formFile(c echo.Context, field string) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, s.svc.TooLargeFile()
		}
		return nil, nil
	}
	src, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return io.ReadAll(io.LimitReader(src, s.maxUpload()+1))
}
