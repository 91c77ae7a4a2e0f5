// Package database opens the one database Werkwijzer runs on, PostgreSQL in
// production or an embedded SQLite file by default, with the options both
// need to behave the same (UTC timestamps, translated constraint errors,
// foreign keys on, bounded pools), and applies the versioned migrations.
package database

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Dialect names the SQL dialect of an open database.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is an open database and its dialect.
type DB struct {
	Gorm    *gorm.DB
	Dialect Dialect
	// Location says where the data lives, without credentials, for logs.
	Location string
}

// Config says which database to open.
type Config struct {
	// URL is a postgres:// or postgresql:// URL, or a sqlite: / file: path.
	// Empty means the SQLite file werkwijzer.db in DataDir.
	URL     string
	DataDir string
	// MaxOpenConns bounds the PostgreSQL pool per process; with several
	// replicas their sum must stay under the server's max_connections.
	MaxOpenConns int
	Logger       *slog.Logger
	// SlowStatement is how long a statement may take before it is
	// logged; 0 is DefaultSlowStatement.
	SlowStatement time.Duration
}

// Open connects, checks the connection and returns the database.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	dialect, dsn, location, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	gcfg := &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		Logger:                 gormLogger{},
	}
	var dialector gorm.Dialector
	switch dialect {
	case Postgres:
		dialector = postgres.Open(dsn)
	case SQLite:
		if err := createPrivate(location); err != nil {
			return nil, err
		}
		dialector = sqlite.Open(dsn)
	}
	gdb, err := gorm.Open(dialector, gcfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database %s: %w", dialect, location, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database %s: %w", dialect, location, err)
	}
	switch dialect {
	case Postgres:
		maxOpen := cfg.MaxOpenConns
		if maxOpen <= 0 {
			maxOpen = 20
		}
		sqlDB.SetMaxOpenConns(maxOpen)
		sqlDB.SetMaxIdleConns(maxOpen)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	case SQLite:
		// One file, one writer: a small pool avoids piling up writers that
		// would only wait on busy_timeout; WAL lets readers go on meanwhile.
		sqlDB.SetMaxOpenConns(4)
	}
	if err := logStatements(gdb, cfg.Logger, cfg.SlowStatement); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	db := &DB{Gorm: gdb, Dialect: dialect, Location: location}
	if err := db.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database %s: %w", dialect, location, err)
	}
	if dialect == SQLite {
		if err := db.checkForeignKeys(ctx); err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
		// A -wal or -shm file left by an older version, or by another
		// process still running, may be readable by others: it holds
		// recent writes (password hashes, sessions) too.
		for _, sibling := range []string{location + "-wal", location + "-shm"} {
			if err := makePrivate(sibling); err != nil && !errors.Is(err, fs.ErrNotExist) {
				_ = sqlDB.Close()
				return nil, err
			}
		}
	}
	return db, nil
}

// privateMode is the mode of the SQLite files: they hold password hashes
// and session tokens, so only the server's own user may read them.
const privateMode fs.FileMode = 0o600

// createPrivate creates the SQLite file with privateMode before SQLite
// does (it would use 0644), and takes group and other access away from an
// existing one. SQLite gives the -wal and -shm files it creates the mode
// of the database file, whatever the umask.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, privateMode)
	if err != nil {
		return fmt.Errorf("create sqlite database %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("create sqlite database %s: %w", path, err)
	}
	return makePrivate(path)
}

// makePrivate sets privateMode on path when group or others may access it.
func makePrivate(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.Mode().Perm()&^privateMode == 0 {
		return nil
	}
	if err := os.Chmod(path, privateMode); err != nil {
		return fmt.Errorf("make %s readable by its owner only: %w", path, err)
	}
	return nil
}

// resolve turns the configuration into a dialect, a driver DSN and a
// printable location.
func resolve(cfg Config) (Dialect, string, string, error) {
	url := strings.TrimSpace(cfg.URL)
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return Postgres, url, redact(url), nil
	case url == "":
		dir := cfg.DataDir
		if dir == "" {
			dir = "data"
		}
		return sqliteAt(filepath.Join(dir, "werkwijzer.db"))
	case strings.HasPrefix(url, "sqlite:"):
		return sqliteAt(strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "//"))
	case strings.HasPrefix(url, "file:"):
		return sqliteAt(strings.TrimPrefix(url, "file:"))
	default:
		return "", "", "", fmt.Errorf("DATABASE_URL %q: want postgres://..., postgresql://..., sqlite:PATH or file:PATH", redact(url))
	}
}

func sqliteAt(path string) (Dialect, string, string, error) {
	if path == "" {
		return "", "", "", errors.New("DATABASE_URL: sqlite needs a file path")
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return "", "", "", fmt.Errorf("create data directory for %s: %w", path, err)
	}
	// busy_timeout makes a writer wait instead of failing while another
	// writes; _txlock=immediate takes the write lock at BEGIN so that a
	// read-then-write transaction cannot fail with SQLITE_BUSY halfway.
	// Times are written as "2006-01-02 15:04:05.999999999-07:00", the
	// format files written before have (so string order stays time order),
	// and only DATETIME columns are read as times: text and integers from
	// expressions stay what they are.
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate" +
		"&_time_format=sqlite&_texttotime=0&_inttotime=0"
	return SQLite, dsn, path, nil
}

// redact hides the password of a URL.
func redact(url string) string {
	at := strings.LastIndexByte(url, '@')
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 {
		return url
	}
	userinfo := url[scheme+3 : at]
	if user, _, hasPassword := strings.Cut(userinfo, ":"); hasPassword {
		return url[:scheme+3] + user + ":***" + url[at:]
	}
	return url
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the connection pool.
func (db *DB) Close() error {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// checkForeignKeys fails when SQLite ignores foreign keys, which it does per
// connection unless told otherwise: cascades and references would silently
// stop working.
func (db *DB) checkForeignKeys(ctx context.Context) error {
	var on int
	if err := db.Gorm.WithContext(ctx).Raw("PRAGMA foreign_keys").Scan(&on).Error; err != nil {
		return fmt.Errorf("check sqlite foreign keys: %w", err)
	}
	if on != 1 {
		return errors.New("sqlite foreign keys are off; the driver ignored the foreign_keys pragma")
	}
	return nil
}
