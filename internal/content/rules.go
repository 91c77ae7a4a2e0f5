package content

import (
	"encoding/json"
	"fmt"
	"strings"
)

// MissingFields lists the required fields that are empty in one locale's
// draft, as paths an editor can find ("title", "blocks[2].body",
// "rows[0].values[1]"). A translation with missing fields cannot be
// published.
func MissingFields(typ Type, structureJSON, fieldsJSON json.RawMessage) ([]string, error) {
	k, ok := kindOf(typ)
	if !ok {
		return nil, fmt.Errorf("unknown entry type %q", typ)
	}
	return k.missingFields(structureJSON, fieldsJSON)
}

// missing collects the paths of empty required fields.
type missing struct{ paths []string }

func (m *missing) text(path, value string) {
	if strings.TrimSpace(value) == "" {
		m.paths = append(m.paths, path)
	}
}
