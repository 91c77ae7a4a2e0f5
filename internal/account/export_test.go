package account

import (
	"context"
	"sync/atomic"
)

// HashCounts counts the password hashing a Service does.
type HashCounts struct {
	hashes, verifies atomic.Int64
}

// Hashes is the number of new hashes made since the last Reset.
func (c *HashCounts) Hashes() int64 { return c.hashes.Load() }

// Verifies is the number of argon2id verifications since the last Reset:
// calls with a hash that parses, so that the work was really done.
func (c *HashCounts) Verifies() int64 { return c.verifies.Load() }

// Reset sets both counts to zero.
func (c *HashCounts) Reset() { c.hashes.Store(0); c.verifies.Store(0) }

type countingHasher struct {
	next   passwordHasher
	counts *HashCounts
}

func (h countingHasher) hash(ctx context.Context, password string) (string, error) {
	h.counts.hashes.Add(1)
	return h.next.hash(ctx, password)
}

func (h countingHasher) verify(ctx context.Context, encoded, password string) (bool, bool, error) {
	if _, err := parsePHC(encoded); err == nil {
		h.counts.verifies.Add(1)
	}
	return h.next.verify(ctx, encoded, password)
}

// CountPasswordHashing makes s count its hashing from now on. Call it
// before s serves concurrent calls.
func CountPasswordHashing(s *Service) *HashCounts {
	counts := &HashCounts{}
	s.hasher = countingHasher{next: s.hasher, counts: counts}
	return counts
}
