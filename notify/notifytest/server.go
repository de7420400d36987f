// Package notifytest runs a real SMTP server in the test process (built on
// github.com/emersion/go-smtp) so that tests receive the mail tdkt sends.
package notifytest

import (
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Inbox keeps every message the server accepted.
type Inbox struct {
	mu       sync.Mutex
	messages []Received
	// Fail, when set, makes the server refuse every message (temporary
	// failure), to test retries.
	fail bool
}

// Received is one accepted message.
type Received struct {
	To  []string
	Raw []byte
}

// Header parses the message's headers.
func (r Received) Header() mail.Header {
	m, err := mail.ReadMessage(strings.NewReader(string(r.Raw)))
	if err != nil {
		return mail.Header{}
	}
	return m.Header
}

// Messages returns a copy of what was received so far.
func (in *Inbox) Messages() []Received {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Received(nil), in.messages...)
}

// SetFailing makes the server refuse (or accept again) every message.
func (in *Inbox) SetFailing(fail bool) {
	in.mu.Lock()
	in.fail = fail
	in.mu.Unlock()
}

type session struct {
	in *Inbox
	to []string
}

func (s *session) Reset()                               { s.to = nil }
func (s *session) Logout() error                        { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.in.mu.Lock()
	defer s.in.mu.Unlock()
	if s.in.fail {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.in.messages = append(s.in.messages, Received{To: s.to, Raw: b})
	return nil
}

// Start runs a server on a free local port until the test ends and returns
// its inbox and address.
func Start(t testing.TB) (*Inbox, string) {
	in := &Inbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{in: in}, nil }))
	srv.Domain = "localhost"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	return in, l.Addr().String()
}
