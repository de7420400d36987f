package notify

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/notify/notifytest"
)

func TestSMTPDeliversVietnamese(t *testing.T) {
	in, addr := notifytest.Start(t)
	s := SMTP{Addr: addr, From: "tdkt@tdkt.local"}
	m := Message{To: "xet.dian@tdkt.local", Subject: "Nhắc hạn xét hồ sơ: Nguyễn Thị Hồng",
		Body: "Hồ sơ đề nghị Bằng khen của Chủ tịch UBND tỉnh\nhạn xét: 10/03/2026"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	got := in.Messages()
	if len(got) != 1 || got[0].To[0] != m.To {
		t.Fatalf("received %+v", got)
	}
	parsed, err := mail.ReadMessage(strings.NewReader(string(got[0].Raw)))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Fatalf("subject %q (%v)", subject, err)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(parsed.Body))
	if got := strings.TrimSuffix(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n"); got != m.Body {
		t.Fatalf("body %q", got)
	}
}

func TestSMTPFailsWhenServerIsDown(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	err := SMTP{Addr: addr, From: "tdkt@tdkt.local"}.Send(context.Background(), Message{To: "a@b.c", Subject: "x", Body: "y"})
	if err == nil {
		t.Fatal("delivery to a closed port succeeded")
	}
}

func TestHeaderInjectionRefused(t *testing.T) {
	err := SMTP{Addr: "127.0.0.1:1", From: "tdkt@tdkt.local"}.Send(context.Background(),
		Message{To: "a@b.c\r\nBcc: victim@x.y", Subject: "x", Body: "y"})
	if err == nil || !strings.Contains(err.Error(), "line break") {
		t.Fatalf("err = %v", err)
	}
}
