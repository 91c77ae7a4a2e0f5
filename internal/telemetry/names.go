package telemetry

import "sync"

// Label values for operations without a name of their own.
const (
	anonymous = "anonymous" // an operation with no name
	other     = "other"     // a name past the limit, or not a GraphQL name
	unknown   = "unknown"   // a request refused before its operation was known
)

// maxNameLength bounds one operation label value.
const maxNameLength = 64

// nameSet gives GraphQL operation names label values while keeping their
// number bounded: the first max distinct names of operations that ran get
// their own, every later one is folded into "other". Only the document's
// operation name is ever used, never query text, variables or ids.
type nameSet struct {
	max  int
	mu   sync.RWMutex
	seen map[string]struct{}
}

func newNameSet(max int) *nameSet {
	if max <= 0 {
		max = DefaultMaxOperationNames
	}
	return &nameSet{max: max, seen: make(map[string]struct{}, max)}
}

// admit returns the label of an operation that ran, taking a free slot
// for a new name.
func (s *nameSet) admit(name string) string {
	if name == "" {
		return anonymous
	}
	if label, known := s.lookup(name); known {
		return label
	}
	if !isGraphQLName(name) {
		return other
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.seen[name]; ok {
		return name
	}
	if len(s.seen) >= s.max {
		return other
	}
	s.seen[name] = struct{}{}
	return name
}

// label returns the label of a request refused before its operation ran:
// a name already admitted, or "other". Such requests never take a slot,
// so malformed requests cannot crowd real operations out.
func (s *nameSet) label(name string) string {
	if name == "" {
		return anonymous
	}
	label, _ := s.lookup(name)
	return label
}

func (s *nameSet) lookup(name string) (string, bool) {
	s.mu.RLock()
	_, ok := s.seen[name]
	s.mu.RUnlock()
	if ok {
		return name, true
	}
	return other, false
}

// isGraphQLName reports whether s is a GraphQL name (/[_A-Za-z][_0-9A-Za-z]*/)
// of at most maxNameLength bytes: what a parsed document's operation name
// always is, and what a refused request's claimed name must be to be shown.
func isGraphQLName(s string) bool {
	if s == "" || len(s) > maxNameLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
