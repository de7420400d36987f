package signing

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/digitorus/pdfsign/verify"

	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/routing"
)

// selfSigned writes a self-signed test key and certificate as PEM files.
func selfSigned(t *testing.T) (keyFile, certFile string) {
	s, err := SelfSigned("Sở Nội vụ tỉnh Bình Dương (thử nghiệm)", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile, certFile = filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem")
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(s.Key.(*rsa.PrivateKey))}), 0o600)
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate.Raw}), 0o644)
	return keyFile, certFile
}

func TestSignedCertificateVerifies(t *testing.T) {
	s, err := Load(selfSigned(t))
	if err != nil {
		t.Fatal(err)
	}
	s.Location = "Bình Dương"
	var pdf bytes.Buffer
	err = certificates.Render(&pdf, certificates.DefaultFonts(), certificates.Data{
		Award: routing.BangKhenTinh, Recipient: "Bà Nguyễn Thị Hồng", DecisionNumber: "123/QĐ-UBND",
		DecisionDate: time.Date(2025, 8, 15, 0, 0, 0, 0, time.UTC), RegisterNumber: "1", SignerName: "Nguyễn Lộc Hà",
		VerifyURL: "https://tdkt.example.vn/verify/0123456789abcdef0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := s.Sign(pdf.Bytes(), "Cấp Bằng khen", time.Date(2025, 8, 15, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "signed.pdf")
	if err := os.WriteFile(path, signed, 0o644); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	res, err := verify.VerifyFile(f)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if len(res.Signers) != 1 || !res.Signers[0].ValidSignature || res.Signers[0].Reason != "Cấp Bằng khen" {
		t.Fatalf("signers %+v", res.Signers)
	}
	// A changed byte breaks the signature.
	tampered := append([]byte(nil), signed...)
	tampered[len(signed)/5] ^= 0x01 // inside the first signed byte range
	tp := filepath.Join(t.TempDir(), "tampered.pdf")
	os.WriteFile(tp, tampered, 0o644)
	tf, _ := os.Open(tp)
	defer tf.Close()
	if res, err := verify.VerifyFile(tf); err == nil && len(res.Signers) > 0 && res.Signers[0].ValidSignature {
		t.Fatal("a tampered PDF still verifies")
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	os.WriteFile(junk, []byte("not pem"), 0o600)
	if _, err := Load(junk, junk); err == nil {
		t.Fatal("loaded junk")
	}
	if _, err := Load(filepath.Join(dir, "missing"), junk); err == nil {
		t.Fatal("loaded a missing key")
	}
}
