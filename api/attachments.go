package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// maxAttachments bounds the evidence files of one nomination.
const maxAttachments = 50

func (s *Server) maxUpload() int64 {
	if s.MaxUploadBytes > 0 {
		return s.MaxUploadBytes
	}
	return 10 << 20
}

// sniff recognises PDF, JPEG and PNG by their first bytes; the name and
// the declared type are not trusted.
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	}
	return ""
}

// sanitizeName keeps a display name: the last path element, NFC, without
// control characters or path separators, at most 200 characters. It is
// never used as a path: files are stored under their ID.
func sanitizeName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' || r == '\\' || r == '"' || r == '<' || r == '>' {
			return -1
		}
		return r
	}, textnorm.Clean(name))
	name = strings.TrimLeft(name, ". ")
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	if name == "" {
		name = "minh-chung"
	}
	return name
}

type attachmentView struct {
	ID          string    `json:"id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

func viewAttachment(a models.Attachment) attachmentView {
	return attachmentView{ID: a.ID, FileName: a.FileName, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256,
		UploadedBy: a.UploadedBy, CreatedAt: a.CreatedAt}
}

// uploadAttachment stores one evidence file (multipart field "file") of a
// draft or returned nomination: PDF, JPEG or PNG recognised by content,
// within the size limit (413 above), with its SHA-256.
func (s *Server) uploadAttachment(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	if n.Status != workflows.StatusDraft && n.Status != workflows.StatusReturned {
		return problem(http.StatusConflict, "Chỉ bổ sung minh chứng cho hồ sơ đang soạn hoặc bị trả lại.",
			"Evidence can be added only to a draft or a returned nomination.")
	}
	fh, err := c.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return problem(http.StatusRequestEntityTooLarge,
				fmt.Sprintf("Tệp minh chứng vượt quá %d MB.", s.maxUpload()>>20),
				fmt.Sprintf("The file is larger than %d MB.", s.maxUpload()>>20))
		}
		return invalid([]FieldError{{Pointer: "/file", Message: "Chọn một tệp minh chứng (PDF, JPEG hoặc PNG).", MessageEN: `Send one file in the multipart field "file".`}})
	}
	if fh.Size > s.maxUpload() {
		return problem(http.StatusRequestEntityTooLarge, fmt.Sprintf("Tệp minh chứng vượt quá %d MB.", s.maxUpload()>>20),
			fmt.Sprintf("The file is larger than %d MB.", s.maxUpload()>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.maxUpload()+1))
	if err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > s.maxUpload() {
		return problem(http.StatusRequestEntityTooLarge, fmt.Sprintf("Tệp minh chứng vượt quá %d MB.", s.maxUpload()>>20),
			fmt.Sprintf("The file is larger than %d MB.", s.maxUpload()>>20))
	}
	kind := sniff(data)
	if kind == "" {
		return invalid([]FieldError{{Pointer: "/file", Message: "Chỉ nhận tệp PDF, JPEG hoặc PNG (nhận biết theo nội dung tệp).", MessageEN: "Only PDF, JPEG or PNG files are accepted, recognised by their content."}})
	}
	sum := sha256.Sum256(data)
	a := models.Attachment{ID: uuid.NewString(), NominationID: n.ID, FileName: sanitizeName(fh.Filename), ContentType: kind,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), UploadedBy: currentCaller(c).User.ID}
	path := filepath.Join(s.dataDir(), "attachments", a.ID)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	if err := os.WriteFile(path+".tmp", data, 0o640); err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	// Re-check, under the nomination's row lock, that it is still editable
	// (not claimed by a submission in flight) and below the file cap.
	err = s.DB.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&models.Nomination{}).Where("id = ? AND status IN ? AND pending_version <= dossier_version",
			n.ID, []string{workflows.StatusDraft, workflows.StatusReturned})
		if models.Dialect(tx) == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		var editable []models.Nomination
		if err := q.Select("id").Find(&editable).Error; err != nil {
			return err
		}
		if len(editable) == 0 {
			return problem(http.StatusConflict, "Hồ sơ đang được gửi hoặc đã gửi; không bổ sung minh chứng lúc này.",
				"The nomination is being submitted or was submitted; evidence cannot be added now.")
		}
		var count int64
		if err := tx.Model(&models.Attachment{}).Where("nomination_id = ?", n.ID).Count(&count).Error; err != nil {
			return err
		}
		if count >= maxAttachments {
			return problem(http.StatusConflict, fmt.Sprintf("Mỗi hồ sơ có tối đa %d tệp minh chứng.", maxAttachments),
				fmt.Sprintf("At most %d files per nomination.", maxAttachments))
		}
		return tx.Create(&a).Error
	})
	if err != nil {
		os.Remove(path)
		return err
	}
	return c.JSON(http.StatusCreated, viewAttachment(a))
}

func (s *Server) listAttachments(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	var as []models.Attachment
	if err := s.DB.WithContext(c.Request().Context()).Where("nomination_id = ?", n.ID).Order("created_at, id").Find(&as).Error; err != nil {
		return err
	}
	out := make([]attachmentView, 0, len(as))
	for _, a := range as {
		out = append(out, viewAttachment(a))
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

// downloadAttachment serves a file to whoever may see the nomination, as
// an attachment (never rendered inline), after checking its SHA-256.
func (s *Server) downloadAttachment(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	var a models.Attachment
	err = s.DB.WithContext(c.Request().Context()).First(&a, "id = ? AND nomination_id = ?", c.Param("file"), n.ID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return problem(http.StatusNotFound, "Không có tệp minh chứng này.", "No such file.")
	}
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(s.dataDir(), "attachments", a.ID))
	if err != nil {
		return fmt.Errorf("read attachment %s: %w", a.ID, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != a.SHA256 {
		return fmt.Errorf("attachment %s: content does not match its SHA-256", a.ID)
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`,
		asciiName(a.FileName), url.PathEscape(a.FileName)))
	return c.Blob(http.StatusOK, a.ContentType, data)
}

func asciiName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, textnorm.Fold(s))
}
