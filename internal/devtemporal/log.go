package devtemporal

import (
	"context"
	"log/slog"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// slogAdapter lets the embedded server log through the process's slog
// logger, so `tdkt dev` has one log stream. The server is verbose at info
// level; its messages are demoted one level.
type slogAdapter struct{ l *slog.Logger }

var _ log.Logger = slogAdapter{}

func (a slogAdapter) log(level slog.Level, msg string, tags []tag.Tag) {
	if !a.l.Enabled(context.Background(), level) {
		return
	}
	attrs := make([]any, 0, 2*len(tags)+2)
	attrs = append(attrs, "component", "temporal")
	for _, t := range tags {
		attrs = append(attrs, t.Key(), t.Value())
	}
	a.l.Log(context.Background(), level, msg, attrs...)
}

func (a slogAdapter) Debug(msg string, tags ...tag.Tag)  { a.log(slog.LevelDebug-4, msg, tags) }
func (a slogAdapter) Info(msg string, tags ...tag.Tag)   { a.log(slog.LevelDebug, msg, tags) }
func (a slogAdapter) Warn(msg string, tags ...tag.Tag)   { a.log(slog.LevelInfo, msg, tags) }
func (a slogAdapter) Error(msg string, tags ...tag.Tag)  { a.log(slog.LevelWarn, msg, tags) }
func (a slogAdapter) DPanic(msg string, tags ...tag.Tag) { a.log(slog.LevelError, msg, tags) }
func (a slogAdapter) Panic(msg string, tags ...tag.Tag) {
	a.log(slog.LevelError, msg, tags)
	panic(msg)
}
func (a slogAdapter) Fatal(msg string, tags ...tag.Tag) {
	a.log(slog.LevelError, msg, tags)
	panic(msg)
}
