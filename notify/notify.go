// Package notify sends e-mail. Messages are recorded in the outbox table by
// the activities before delivery; this package only delivers one message.
package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"strings"
	"time"
)

// Message is one e-mail in UTF-8 plain text.
type Message struct {
	To      string
	Subject string
	Body    string
}

// Sender delivers a message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTP delivers through an SMTP server. Username, when set, enables PLAIN
// authentication (which net/smtp allows only over TLS or to localhost).
type SMTP struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
}

// Send delivers m, failing on any refusal so the caller can retry. The
// whole exchange is bounded by ctx: a hung server cannot deliver late, after
// the caller has given up and will retry.
func (s SMTP) Send(ctx context.Context, m Message) error {
	if strings.ContainsAny(m.To, "\r\n") || strings.ContainsAny(s.From, "\r\n") {
		return fmt.Errorf("send mail: address contains a line break")
	}
	raw, err := Compose(s.From, m, time.Now())
	if err != nil {
		return err
	}
	if err := s.send(ctx, m.To, raw); err != nil {
		return fmt.Errorf("send mail to %s via %s: %w", m.To, s.Addr, err)
	}
	return nil
}

func (s SMTP) send(ctx context.Context, to string, raw []byte) error {
	conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline := time.Now().Add(time.Minute)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(s.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// Compose renders m as an RFC 5322 message: the subject encoded per RFC
// 2047, the body quoted-printable UTF-8, so Vietnamese survives any relay.
func Compose(from string, m Message, date time.Time) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", m.To)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", strings.ReplaceAll(m.Subject, "\n", " ")))
	fmt.Fprintf(&b, "Date: %s\r\n", date.Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\n")
	b.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
	w := quotedprintable.NewWriter(&b)
	if _, err := w.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Log "delivers" to the log: `tdkt dev` uses it when no SMTP server is
// configured, so notices are visible without a mail server.
type Log struct{ Logger *slog.Logger }

// Send logs m.
func (l Log) Send(_ context.Context, m Message) error {
	l.Logger.Info("mail (not sent: no SMTP server configured)", "to", m.To, "subject", m.Subject)
	return nil
}
