package api

import (
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/labstack/echo/v4"
	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/service"
	"github.com/tdkt/tdkt/signing"
)

// testServer is what an API test configures: the service's settings and
// the server's, from which Handler builds both. The clock is read at each
// call, so a test may pin it after the handler is built.
type testServer struct {
	DB             *gorm.DB
	Tokens         auth.Tokens
	Log            *slog.Logger
	MaxBodyBytes   int64
	MaxUploadBytes int64
	Now            func() time.Time
	DataDir        string
	Signer         *signing.Signer
	AllowOrigins   []string

	svc *service.Service
}

// Handler builds the service and the API's handler over it.
func (c *testServer) Handler() *echo.Echo {
	c.svc = service.New(service.Config{DB: c.DB, Tokens: c.Tokens, Log: c.Log, DataDir: c.DataDir, Signer: c.Signer,
		MaxUploadBytes: c.MaxUploadBytes, Now: func() time.Time {
			if c.Now != nil {
				return c.Now()
			}
			return time.Now()
		}})
	s := &Server{Service: c.svc, Log: c.Log, MaxBodyBytes: c.MaxBodyBytes, AllowOrigins: c.AllowOrigins}
	return s.Handler()
}

// reference is the service's reference cache.
func (c *testServer) reference() *models.Reference { return c.svc.Reference() }
