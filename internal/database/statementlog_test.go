package database_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/werkwijzer/werkwijzer/internal/database"
	"github.com/werkwijzer/werkwijzer/internal/dbtest"
)

// syncBuffer is a log destination the pool's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSlowStatementLogHasNoValuesAndStaysShort: a slow 250-value statement
// (every statement is slow here) and a failed one are logged with their
// placeholders, never their values, and cut to a few hundred bytes.
func TestSlowStatementLogHasNoValuesAndStaysShort(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			url := "sqlite:" + filepath.Join(t.TempDir(), "log.db")
			if dialect == "postgres" {
				url = dbtest.PostgresURL()
			}
			var out syncBuffer
			db, err := database.Open(context.Background(), database.Config{
				URL: url, Logger: slog.New(slog.NewTextHandler(&out, nil)), SlowStatement: time.Nanosecond,
			})
			if err != nil {
				if dialect == "postgres" && !dbtest.Required() {
					t.Skipf("PostgreSQL unreachable: %v", err)
				}
				t.Fatal(err)
			}
			defer db.Close()

			const secret = "confidential-value-0123456789"
			placeholders := make([]string, 250)
			values := make([]any, 250)
			for i := range values {
				placeholders[i] = "(?)"
				values[i] = secret
			}
			var n int
			q := "SELECT count(*) FROM (VALUES " + strings.Join(placeholders, ", ") + ") AS v"
			if err := db.Gorm.Raw(q, values...).Scan(&n).Error; err != nil || n != 250 {
				t.Fatalf("count %d, %v", n, err)
			}
			if err := db.Gorm.Exec("SELECT no_such_column FROM (VALUES (?)) AS v", secret).Error; err == nil {
				t.Fatal("the failing statement succeeded")
			}
			log := out.String()
			if strings.Contains(log, secret) {
				t.Fatalf("a bound value reached the log:\n%.2000s", log)
			}
			if !strings.Contains(log, "slow SQL statement") || !strings.Contains(log, "SQL statement failed") {
				t.Fatalf("the slow and the failed statement were not both logged:\n%.2000s", log)
			}
			for line := range strings.SplitSeq(strings.TrimSpace(log), "\n") {
				if len(line) > 700 {
					t.Fatalf("a log line of %d bytes: %.300s...", len(line), line)
				}
			}
		})
	}
}
