package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// Evidence files (minh chứng) of a nomination: stored under their ID in
// the data directory, with their SHA-256, checked again on every download.

// maxAttachments bounds the evidence files of one nomination.
const maxAttachments = 50

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

// AttachmentView is an evidence file as lists show it.
type AttachmentView struct {
	ID          string    `json:"id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

func viewAttachment(a models.Attachment) AttachmentView {
	return AttachmentView{ID: a.ID, FileName: a.FileName, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256,
		UploadedBy: a.UploadedBy, CreatedAt: a.CreatedAt}
}

// Upload is one uploaded file: the name the client gave and its bytes
// (at most the upload limit and one byte more, for the check). TooLarge
// marks a file the adapter stopped reading at its body limit.
type Upload struct {
	Name     string
	Data     []byte
	TooLarge bool
}

// errFileTooLarge refuses an evidence file beyond the upload limit.
func (s *Service) errFileTooLarge() error {
	return TooLarge(fmt.Sprintf("Tệp minh chứng vượt quá %d MB.", s.cfg.MaxUploadBytes>>20),
		fmt.Sprintf("The file is larger than %d MB.", s.cfg.MaxUploadBytes>>20))
}

// ErrNoUpload is the refusal of an upload without a file.
var ErrNoUpload = Invalid(FieldError{Pointer: "/file", Message: "Chọn một tệp minh chứng (PDF, JPEG hoặc PNG).",
	MessageEN: `Send one file in the multipart field "file".`})

// dataDir is where files are stored.
func (s *Service) dataDir() string {
	if s.cfg.DataDir != "" {
		return s.cfg.DataDir
	}
	return "data"
}

// AddAttachment stores one evidence file of a draft or returned
// nomination: PDF, JPEG or PNG recognised by content, within the size
// limit, with its SHA-256. A nil upload is refused as missing.
func (s *Service) AddAttachment(ctx context.Context, who Caller, nominationID string, up *Upload) (AttachmentView, error) {
	if err := who.Require(models.RoleNominator); err != nil {
		return AttachmentView{}, err
	}
	n, err := s.VisibleNomination(ctx, who, nominationID)
	if err != nil {
		return AttachmentView{}, err
	}
	if n.Status != workflows.StatusDraft && n.Status != workflows.StatusReturned {
		return AttachmentView{}, Conflict("Chỉ bổ sung minh chứng cho hồ sơ đang soạn hoặc bị trả lại.",
			"Evidence can be added only to a draft or a returned nomination.")
	}
	if up == nil {
		return AttachmentView{}, ErrNoUpload
	}
	if up.TooLarge || int64(len(up.Data)) > s.cfg.MaxUploadBytes {
		return AttachmentView{}, s.errFileTooLarge()
	}
	kind := sniff(up.Data)
	if kind == "" {
		return AttachmentView{}, Invalid(FieldError{Pointer: "/file", Message: "Chỉ nhận tệp PDF, JPEG hoặc PNG (nhận biết theo nội dung tệp).",
			MessageEN: "Only PDF, JPEG or PNG files are accepted, recognised by their content."})
	}
	sum := sha256.Sum256(up.Data)
	a := models.Attachment{ID: uuid.NewString(), NominationID: n.ID, FileName: sanitizeName(up.Name), ContentType: kind,
		Size: int64(len(up.Data)), SHA256: hex.EncodeToString(sum[:]), UploadedBy: who.User.ID}
	path := filepath.Join(s.dataDir(), "attachments", a.ID)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return AttachmentView{}, fmt.Errorf("store attachment: %w", err)
	}
	if err := os.WriteFile(path+".tmp", up.Data, 0o640); err != nil {
		return AttachmentView{}, fmt.Errorf("store attachment: %w", err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		return AttachmentView{}, fmt.Errorf("store attachment: %w", err)
	}
	// Re-check, under the nomination's row lock, that it is still editable
	// (not claimed by a submission in flight) and below the file cap.
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
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
			return Conflict("Hồ sơ đang được gửi hoặc đã gửi; không bổ sung minh chứng lúc này.",
				"The nomination is being submitted or was submitted; evidence cannot be added now.")
		}
		var count int64
		if err := tx.Model(&models.Attachment{}).Where("nomination_id = ?", n.ID).Count(&count).Error; err != nil {
			return err
		}
		if count >= maxAttachments {
			return Conflict(fmt.Sprintf("Mỗi hồ sơ có tối đa %d tệp minh chứng.", maxAttachments),
				fmt.Sprintf("At most %d files per nomination.", maxAttachments))
		}
		return tx.Create(&a).Error
	})
	if err != nil {
		if rerr := os.Remove(path); rerr != nil {
			s.log.Warn("remove an evidence file not recorded", "path", path, "error", rerr)
		}
		return AttachmentView{}, err
	}
	return viewAttachment(a), nil
}

// Attachments lists a nomination's evidence files.
func (s *Service) Attachments(ctx context.Context, who Caller, nominationID string) ([]AttachmentView, error) {
	n, err := s.VisibleNomination(ctx, who, nominationID)
	if err != nil {
		return nil, err
	}
	var as []models.Attachment
	if err := s.db.WithContext(ctx).Where("nomination_id = ?", n.ID).Order("created_at, id").Find(&as).Error; err != nil {
		return nil, fmt.Errorf("attachments of %s: %w", n.ID, err)
	}
	out := make([]AttachmentView, 0, len(as))
	for _, a := range as {
		out = append(out, viewAttachment(a))
	}
	return out, nil
}

// Attachment is one evidence file for whoever may see the nomination, as
// a download (never shown inline), after checking its SHA-256.
func (s *Service) Attachment(ctx context.Context, who Caller, nominationID, fileID string) (Document, error) {
	n, err := s.VisibleNomination(ctx, who, nominationID)
	if err != nil {
		return Document{}, err
	}
	var a models.Attachment
	err = s.db.WithContext(ctx).First(&a, "id = ? AND nomination_id = ?", fileID, n.ID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Document{}, NotFound("Không có tệp minh chứng này.", "No such file.")
	}
	if err != nil {
		return Document{}, fmt.Errorf("attachment %s: %w", fileID, err)
	}
	data, err := os.ReadFile(filepath.Join(s.dataDir(), "attachments", a.ID))
	if err != nil {
		return Document{}, fmt.Errorf("read attachment %s: %w", a.ID, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != a.SHA256 {
		return Document{}, fmt.Errorf("attachment %s: content does not match its SHA-256", a.ID)
	}
	return Document{Name: asciiName(a.FileName), UTF8Name: url.PathEscape(a.FileName), ContentType: a.ContentType, Body: data}, nil
}

func asciiName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, textnorm.Fold(s))
}

// KB is the file's size in kilobytes, rounded up, as the pages show it.
func (a AttachmentView) KB() int64 { return (a.Size + 1023) / 1024 }
