package certificates

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/tdkt/tdkt/routing"
)

// FuzzRender feeds arbitrary text to every field a user types: Render
// must return a PDF or an error, never panic, and accept any valid UTF-8
// with a recipient. The seeds run with every go test; explore with
// go test -fuzz FuzzRender ./certificates.
func FuzzRender(f *testing.F) {
	f.Add("Ông Nguyễn Văn An", "Trường THCS Phú Hòa", "Đã có thành tích", "123/QĐ-UBND", false)
	f.Add("<script>(\\)</script>", "%PDF-1.4 endobj", "BT ET Tj", "\x00\x01", true)
	f.Add("😀\U0010FFFF\u200b", "\u202e中文", "ﷺ", "", false)
	f.Add("W", string(bytes.Repeat([]byte("Ư"), 3000)), "a", "b", false)
	f.Fuzz(func(t *testing.T, recipient, unit, achievement, number string, draft bool) {
		c := sample(routing.BangKhenTinh)
		c.Recipient, c.RecipientUnit, c.Achievement, c.Draft = recipient, unit, achievement, draft
		c.SignerName, c.RegisterNumber = achievement, number
		var buf bytes.Buffer
		err := Render(&buf, DefaultFonts(), c)
		valid := utf8.ValidString(recipient) && utf8.ValidString(unit) && utf8.ValidString(achievement) && utf8.ValidString(number)
		hasRecipient := valid && clean(recipient) != ""
		needsNumber := !draft && clean(number) == ""
		switch {
		case err == nil && !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")):
			t.Fatalf("no PDF and no error")
		case err != nil && hasRecipient && !needsNumber:
			t.Fatalf("valid input refused: %v", err)
		}
	})
}
