package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// Evidence files of a nomination (service/attachments.go).

func (s *Server) maxUpload() int64 { return s.svc.MaxUploadBytes() }

// uploadAttachment stores one evidence file (multipart field "file").
func (s *Server) uploadAttachment(c echo.Context) error {
	if _, err := s.loadVisible(c); err != nil {
		return err // 404 before the body is read
	}
	var up *service.Upload
	fh, err := c.FormFile("file")
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		up = &service.Upload{TooLarge: true} // refused after the nomination's own checks, as before
	case err == nil:
		f, err := fh.Open()
		if err != nil {
			return fmt.Errorf("open upload: %w", err)
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, s.maxUpload()+1))
		if err != nil {
			return fmt.Errorf("read upload: %w", err)
		}
		up = &service.Upload{Name: fh.Filename, Data: data}
	}
	v, err := s.svc.AddAttachment(c.Request().Context(), currentCaller(c), c.Param("id"), up)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

func (s *Server) listAttachments(c echo.Context) error {
	out, err := s.svc.Attachments(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

// downloadAttachment serves a file as an attachment, never inline.
func (s *Server) downloadAttachment(c echo.Context) error {
	d, err := s.svc.Attachment(c.Request().Context(), currentCaller(c), c.Param("id"), c.Param("file"))
	if err != nil {
		return err
	}
	return document(c, d)
}
