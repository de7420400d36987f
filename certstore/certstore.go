// Package certstore keeps the PDFs of issued certificates: it renders each
// once (the activity of a decision's certificates workflow does, when the
// decision is issued), signs it when a signer is configured, stores it
// under the data directory and records its SHA-256 on the certificate's
// row; a download then reads the stored bytes back, checked against that
// hash. It also builds what a certificate shows from its rows, for the
// drafts and the print batches that are rendered on demand.
package certstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/signing"
)

// ErrNotStored: no PDF is recorded for the certificate yet — its
// decision's workflow has not rendered it.
var ErrNotStored = errors.New("certificate not rendered yet")

// ErrLost: a PDF was recorded for the certificate but its file is gone
// (a data directory restored without it); rendering it again restores it.
var ErrLost = errors.New("stored certificate missing")

// ErrIrreparable: the stored PDF cannot be served or restored — its bytes
// differ from the recorded SHA-256, or it was signed (a signature is not
// reproducible) and its file is gone. Retrying does not help.
var ErrIrreparable = errors.New("stored certificate irreparable")

// Store is the stored PDFs of a deployment's issued certificates.
type Store struct {
	DB  *gorm.DB
	Ref *models.Reference
	// Dir is the data directory; the PDFs are Dir/certificates/<id>.pdf.
	// Empty: "data".
	Dir string
	// Fonts typeset the certificates; zero: the embedded Liberation Serif.
	Fonts certificates.Fonts
	// Signer, when set, signs each certificate as it is first stored.
	Signer *signing.Signer
}

// Path is where the PDF of certificate id is stored.
func (s *Store) Path(id string) string {
	dir := s.Dir
	if dir == "" {
		dir = "data"
	}
	return filepath.Join(dir, "certificates", id+".pdf")
}

// fonts are the configured fonts or the embedded ones.
func (s *Store) fonts() certificates.Fonts {
	if s.Fonts.Regular != nil {
		return s.Fonts
	}
	return certificates.DefaultFonts()
}

// Hash is the hex SHA-256 recorded for a stored PDF's bytes.
func Hash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Read returns the stored PDF of cert, checked against its recorded
// SHA-256: ErrNotStored before it is rendered, ErrLost when its file is
// gone.
func (s *Store) Read(cert models.Certificate) ([]byte, error) {
	if cert.PDFSHA256 == "" {
		return nil, ErrNotStored
	}
	b, err := os.ReadFile(s.Path(cert.ID))
	if errors.Is(err, os.ErrNotExist) {
		if s.Signer != nil {
			return nil, fmt.Errorf("certificate %s: the signed PDF is missing from %s: %w", cert.ID, s.Path(cert.ID), ErrIrreparable)
		}
		return nil, fmt.Errorf("certificate %s: %w", cert.ID, ErrLost)
	}
	if err != nil {
		return nil, fmt.Errorf("read certificate %s: %w", cert.ID, err)
	}
	if Hash(b) != cert.PDFSHA256 {
		return nil, fmt.Errorf("certificate %s: the stored PDF does not match its SHA-256: %w", cert.ID, ErrIrreparable)
	}
	return b, nil
}

// Issued is what an issued certificate adds to its nomination: its row,
// its decision, and the base URL its verification link starts with.
type Issued struct {
	Certificate models.Certificate
	Decision    models.Decision
	BaseURL     string
}

// Data is what a nomination's certificate shows: a draft when issued is
// nil; else set on the paper recorded with it, so that a stored PDF
// renders again to its bytes. Every certificate tdkt renders — stored,
// printed in a batch or drafted — is built here, so a central award's is
// refused here (RecordedOnly).
func Data(ctx context.Context, ref *models.Reference, n models.Nomination, issued *Issued) (certificates.Data, error) {
	if err := RecordedOnly(routing.Award(n.Award)); err != nil {
		return certificates.Data{}, fmt.Errorf("certificate of %s: %w", n.ID, err)
	}
	round, err := ref.Round(ctx, n.RoundID)
	if err != nil {
		return certificates.Data{}, err
	}
	body, err := ref.Unit(ctx, n.UnitID)
	if err != nil {
		return certificates.Data{}, err
	}
	out := certificates.Data{
		Award:         routing.Award(n.Award),
		Recipient:     n.NomineeName,
		RecipientUnit: body.Name,
		Achievement: fmt.Sprintf("Đã có thành tích xuất sắc trong Phong trào thi đua “Cả nước thi đua xây dựng xã hội học tập, "+
			"đẩy mạnh học tập suốt đời” giai đoạn %d – %d", round.PeriodFrom, round.PeriodTo),
		Draft: issued == nil,
	}
	// The issuer as it was on the decision's day; a draft's, on the
	// round's.
	on, issuerID := round.ReferenceDate, ""
	if issued != nil {
		on, issuerID = issued.Decision.SignedOn, issued.Decision.IssuerUnitID
	} else {
		dir, err := ref.Directory(ctx, on)
		if err != nil {
			return certificates.Data{}, err
		}
		if issuerID, err = IssuerUnit(dir, n); err != nil && !errors.Is(err, ErrNoIssuer) {
			return certificates.Data{}, err
		}
	}
	names, err := ref.UnitNameHistory(ctx)
	if err != nil {
		return certificates.Data{}, err
	}
	out.RecipientUnit = models.NameOn(names[body.ID], body, on)
	if award, err := routing.LookupAward(routing.Award(n.Award)); err == nil && issuerID != "" {
		is, err := IssuerOn(ctx, ref, issuerID, award, on)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return certificates.Data{}, err
		}
		out.Issuer, out.Place = is.Title, is.Place
	}
	if issued == nil {
		return out, nil
	}
	c, d := issued.Certificate, issued.Decision
	out.DecisionNumber, out.DecisionDate = d.Number, d.SignedOn
	out.RegisterNumber = strconv.Itoa(c.RegisterNumber)
	out.SignerTitle, out.SignerName = d.SignerTitle, d.SignerName
	out.VerifyURL, out.VerifyCode = strings.TrimRight(issued.BaseURL, "/")+"/verify/"+c.VerifyCode, c.VerifyCode
	out.Paper = certificates.Paper(c.Paper)
	return out, nil
}

// Put renders, signs (with a signer, dated at) and stores the PDF of each
// certificate of decision d that has none yet, recording its SHA-256; a
// certificate whose recorded PDF is lost is rendered again and must give
// the recorded bytes. A certificate of a central award is passed over: its
// decision is recorded, its paper is the central body's (RecordedOnly).
// noms holds the certificates' nominations. It is idempotent, and safe to
// run twice at once: a file is published by a hard link that only one
// writer wins, and its hash is recorded from the published bytes. It
// returns how many PDFs it wrote.
func (s *Store) Put(ctx context.Context, d models.Decision, certs []models.Certificate,
	noms map[string]models.Nomination, base string, at time.Time) (int, error) {
	ctx = s.Ref.Pin(ctx)
	written := 0
	for _, c := range certs {
		n, ok := noms[c.NominationID]
		if !ok {
			return written, fmt.Errorf("certificate %s: no nomination %s", c.ID, c.NominationID)
		}
		if RecordedOnly(routing.Award(n.Award)) != nil {
			continue
		}
		if _, err := s.Read(c); err == nil {
			continue
		} else if !errors.Is(err, ErrNotStored) && !errors.Is(err, ErrLost) {
			return written, err
		}
		wrote, err := s.put(ctx, d, c, n, base, at)
		if err != nil {
			return written, err
		}
		if wrote {
			written++
		}
	}
	return written, nil
}

// put stores one certificate's PDF; it reports whether it wrote the file.
func (s *Store) put(ctx context.Context, d models.Decision, c models.Certificate, n models.Nomination, base string, at time.Time) (bool, error) {
	path := s.Path(c.ID)
	if c.PDFSHA256 == "" {
		// A file without a recorded hash: an earlier attempt published it
		// and stopped before recording (or runs beside this one).
		if b, err := os.ReadFile(path); err == nil {
			return false, s.record(ctx, c.ID, Hash(b))
		} else if !errors.Is(err, os.ErrNotExist) {
			return false, fmt.Errorf("read certificate %s: %w", c.ID, err)
		}
	}
	b, err := s.render(ctx, d, c, n, base, at)
	if err != nil {
		return false, err
	}
	if c.PDFSHA256 != "" && Hash(b) != c.PDFSHA256 {
		return false, fmt.Errorf("certificate %s: re-rendered PDF differs from the issued one: %w", c.ID, ErrIrreparable)
	}
	won, err := publish(path, b, c.PDFSHA256 != "")
	if err != nil {
		return false, fmt.Errorf("store certificate %s: %w", c.ID, err)
	}
	if !won {
		// Another attempt published first: record its bytes' hash.
		published, err := os.ReadFile(path)
		if err != nil {
			return false, fmt.Errorf("read certificate %s: %w", c.ID, err)
		}
		b = published
	}
	if c.PDFSHA256 != "" {
		return won, nil
	}
	return won, s.record(ctx, c.ID, Hash(b))
}

// record records a certificate's hash; one recorded already must be the
// same.
func (s *Store) record(ctx context.Context, id, sum string) error {
	recorded, err := models.RecordCertificateHash(s.DB.WithContext(ctx), id, sum)
	if err != nil || recorded {
		return err
	}
	var c models.Certificate
	if err := s.DB.WithContext(ctx).Select("id", "pdf_sha256").First(&c, "id = ?", id).Error; err != nil {
		return fmt.Errorf("certificate %s: %w", id, err)
	}
	if c.PDFSHA256 != sum {
		return fmt.Errorf("certificate %s: the stored PDF does not match its SHA-256: %w", id, ErrIrreparable)
	}
	return nil
}

// render typesets one issued certificate and signs it.
func (s *Store) render(ctx context.Context, d models.Decision, c models.Certificate, n models.Nomination, base string, at time.Time) ([]byte, error) {
	data, err := Data(ctx, s.Ref, n, &Issued{Certificate: c, Decision: d, BaseURL: base})
	if err != nil {
		return nil, fmt.Errorf("certificate %s: %w", c.ID, err)
	}
	var buf bytes.Buffer
	if err := certificates.Render(&buf, s.fonts(), data); err != nil {
		return nil, fmt.Errorf("render certificate %s: %w", c.ID, err)
	}
	if s.Signer == nil {
		return buf.Bytes(), nil
	}
	if c.PDFSHA256 != "" {
		// Signed once, when first stored: a signature is not reproducible
		// byte for byte.
		return nil, fmt.Errorf("certificate %s: the signed PDF is missing: %w", c.ID, ErrIrreparable)
	}
	reason := fmt.Sprintf("Cấp theo Quyết định số %s ngày %s, số vào sổ %d", data.DecisionNumber,
		data.DecisionDate.Format("02/01/2006"), c.RegisterNumber)
	b, err := s.Signer.Sign(buf.Bytes(), reason, at)
	if err != nil {
		return nil, fmt.Errorf("sign certificate %s: %w", c.ID, err)
	}
	return b, nil
}

// publish writes b to path through a synced temporary file. Without
// replace, the file appears by a hard link, which fails when path exists:
// only the first writer wins (false: another one did). With replace (a
// lost file restored to its recorded bytes, identical whoever writes
// them) it is renamed over.
func publish(path string, b []byte, replace bool) (bool, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return false, err
	}
	// Removing the temporary name is best effort: after a link or rename
	// it is gone or a second name of the published file.
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if replace {
		return true, os.Rename(tmp.Name(), path)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, nil
}
