package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// PersistedQueries stores automatic persisted queries for every replica.
type PersistedQueries struct {
	db *gorm.DB
}

// NewPersistedQueries returns the persisted-query store on db.
func NewPersistedQueries(db *gorm.DB) *PersistedQueries { return &PersistedQueries{db: db} }

type persistedQueryRow struct {
	Hash      string `gorm:"primaryKey"`
	Query     string
	CreatedAt time.Time
}

func (persistedQueryRow) TableName() string { return "persisted_queries" }

// Get returns the query registered under hash.
func (s *PersistedQueries) Get(ctx context.Context, hash string) (string, bool, error) {
	var row persistedQueryRow
	err := s.db.WithContext(ctx).Where("hash = ?", hash).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("get persisted query: %w", err)
	}
	return row.Query, true, nil
}

// Add registers query under hash; the caller has checked that hash is the
// query's SHA-256, so a hash registered already keeps its row.
func (s *PersistedQueries) Add(ctx context.Context, hash, query string) error {
	row := persistedQueryRow{Hash: hash, Query: query, CreatedAt: time.Now().UTC()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return fmt.Errorf("add persisted query: %w", err)
	}
	return nil
}
