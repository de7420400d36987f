package certificates

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/routing"
)

// An issued certificate is set on the 400×300 mm stock and a draft on A4
// landscape unless another paper is asked for; the text is the same on
// both; an unknown paper is an error.
func TestPaper(t *testing.T) {
	for _, tc := range []struct {
		name  string
		draft bool
		paper Paper
		want  Paper
	}{
		{"issued", false, "", Paper400x300},
		{"draft", true, "", PaperA4},
		{"issued on A4", false, PaperA4, PaperA4},
		{"draft on the stock", true, Paper400x300, Paper400x300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := sample(routing.BangKhenTinh)
			c.Draft, c.Paper = tc.draft, tc.paper
			path, _ := render(t, c)
			info := pdftest.ReadInfo(t, path)
			checkPaper(t, info, tc.want)
			text := pdftest.Flat(pdftest.Text(t, path, 0))
			for _, s := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", c.Issuer, "TẶNG", "BẰNG KHEN", c.Recipient,
				c.RecipientUnit, achievement, "KT. CHỦ TỊCH PHÓ CHỦ TỊCH", c.SignerName} {
				if !strings.Contains(text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			if got := strings.Contains(text, "DỰ THẢO"); got != tc.draft {
				t.Errorf("watermark shown = %v, want %v", got, tc.draft)
			}
			if !tc.draft && !strings.Contains(text, "Quyết định số: 123/QĐ-UBND ngày 15/8/2025 Số vào sổ: 2025-00456") {
				t.Errorf("text lacks the decision lines:\n%s", text)
			}
			words := checkInsideFrame(t, path)
			if !tc.draft { // the watermark overlaps the text on purpose
				checkNoOverlap(t, words)
			}
			if tc.paper == "" {
				saveArtifact(t, path, "paper-"+tc.name)
			}
		})
	}
	c := sample(routing.GiayKhenSo)
	c.Paper = "A3"
	if err := Render(&bytes.Buffer{}, DefaultFonts(), c); err == nil || !strings.Contains(err.Error(), `unknown paper "A3"`) {
		t.Errorf("unknown paper: err = %v", err)
	}
}

// Certificates issued before the 400×300 mm stock were set on A4 and
// stored with their SHA-256: rendered on PaperA4 they must give the same
// bytes as then. The sums are those of the build before the paper option
// (commit 37e3f82); a change here breaks the re-download of every
// certificate issued on A4 whose stored file is lost.
func TestA4IssuedBytesUnchanged(t *testing.T) {
	for award, want := range map[routing.Award]string{
		routing.BangKhenTinh: "9348e1c263a254319c1d754d0cd5c883a4912a9de52ce0ecf52ce3a8ad488212",
		routing.GiayKhenXa:   "8c421322480c20af6b1788d612b883a0c1cfab17d80233a5cd25fdeb085844b1",
	} {
		c := sample(award)
		c.Paper = PaperA4
		var b bytes.Buffer
		if err := Render(&b, DefaultFonts(), c); err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(b.Bytes()); hex.EncodeToString(sum[:]) != want {
			t.Errorf("%s on A4: SHA-256 %x, want %s", award, sum, want)
		}
	}
}

// On A4 the sheet maps every box of the layout to itself, exactly.
func TestA4SheetIsTheIdentity(t *testing.T) {
	g := sheets[PaperA4]
	for _, b := range []box{bxHeader1, bxHeader2, bxIssuer, bxGive, bxForm, bxBody, bxRecipient, bxUnit, bxAchievement,
		bxPlaceDate, bxSignerTitle, bxSignerName, bxCode, bxDecision, bxDecisionDraft, {qrX, qrY, qrSize, qrSize}} {
		if got := g.at(b); got != b {
			t.Errorf("A4 maps %+v to %+v", b, got)
		}
	}
	if st := g.text(stRecipient); st != stRecipient {
		t.Errorf("A4 scales %+v to %+v", stRecipient, st)
	}
}
