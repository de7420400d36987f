// Package signing applies a PAdES digital signature to issued PDFs (the
// certificates and decisions) with the issuing authority's key and
// certificate, so that a printed-and-scanned copy can be told from the
// original file and any change to the file is detectable.
package signing

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
)

// Signer signs PDFs with one key and certificate.
type Signer struct {
	Key         crypto.Signer
	Certificate *x509.Certificate
	Chain       []*x509.Certificate
	Name        string // the signer shown by PDF readers
	Location    string
}

// Load reads a PEM private key (PKCS#8, PKCS#1 or EC) and a PEM
// certificate chain (the signer's first) from files.
func Load(keyFile, certFile string) (*Signer, error) {
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("signing certificate: %w", err)
	}
	block, _ := pem.Decode(keyPEM)
	if block == nil {
		return nil, errors.New("signing key: no PEM block")
	}
	key, err := parseKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	var chain []*x509.Certificate
	for rest := certPEM; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("signing certificate: %w", err)
		}
		chain = append(chain, c)
	}
	if len(chain) == 0 {
		return nil, errors.New("signing certificate: no certificate in the file")
	}
	// A key that does not match its certificate, or an expired one, would
	// produce signatures that never verify: refuse to start with it.
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(chain[0].PublicKey) {
		return nil, errors.New("signing key: does not match the certificate's public key")
	}
	if now := time.Now(); now.Before(chain[0].NotBefore) || now.After(chain[0].NotAfter) {
		return nil, fmt.Errorf("signing certificate: valid from %s to %s, not now", chain[0].NotBefore, chain[0].NotAfter)
	}
	return &Signer{Key: key, Certificate: chain[0], Chain: chain, Name: chain[0].Subject.CommonName}, nil
}

func parseKey(der []byte) (crypto.Signer, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		if s, ok := k.(crypto.Signer); ok {
			return s, nil
		}
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("signing key: not a PKCS#8, PKCS#1 or EC private key")
}

// Sign returns the PDF with an approval signature dated at.
func (s *Signer) Sign(in []byte, reason string, at time.Time) ([]byte, error) {
	rdr, err := pdf.NewReader(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		return nil, fmt.Errorf("sign: read PDF: %w", err)
	}
	var out bytes.Buffer
	err = sign.Sign(bytes.NewReader(in), &out, rdr, int64(len(in)), sign.SignData{
		Signature: sign.SignDataSignature{
			CertType:   sign.ApprovalSignature,
			DocMDPPerm: sign.AllowFillingExistingFormFieldsAndSignaturesPerms,
			Info:       sign.SignDataSignatureInfo{Name: s.Name, Location: s.Location, Reason: reason, Date: at},
		},
		Signer:            s.Key,
		DigestAlgorithm:   crypto.SHA256,
		Certificate:       s.Certificate,
		CertificateChains: [][]*x509.Certificate{s.Chain},
	})
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return out.Bytes(), nil
}

// SelfSigned makes a signer with a fresh RSA key and a self-signed
// certificate: for tests and demonstrations, never for real documents (no
// reader trusts it).
func SelfSigned(commonName string, validFor time.Duration) (*Signer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(now.UnixNano()),
		Subject:   pkix.Name{CommonName: commonName, Country: []string{"VN"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(validFor),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Signer{Key: key, Certificate: cert, Chain: []*x509.Certificate{cert}, Name: commonName}, nil
}
