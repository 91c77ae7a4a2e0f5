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
	var m missing
	switch typ {
	case TypeRole:
		var f RoleFields
		if err := json.Unmarshal(fieldsJSON, &f); err != nil {
			return nil, fmt.Errorf("decode role fields: %w", err)
		}
		m.text("title", f.Title)
		m.text("summary", f.Summary)
	case TypeFAQ:
		var f FAQFields
		if err := json.Unmarshal(fieldsJSON, &f); err != nil {
			return nil, fmt.Errorf("decode faq fields: %w", err)
		}
		m.text("question", f.Question)
		m.text("answer", f.Answer)
	case TypeArticle:
		var s ArticleStructure
		var f ArticleFields
		if err := decodeBoth(structureJSON, &s, fieldsJSON, &f); err != nil {
			return nil, fmt.Errorf("decode article: %w", err)
		}
		m.text("title", f.Title)
		m.text("lead", f.Lead)
		for i, b := range s.Blocks {
			text := f.Blocks[b.ID]
			at := fmt.Sprintf("blocks[%d].", i)
			switch b.Type {
			case BlockRichText:
				m.text(at+"body", text.Body)
			case BlockCallToAction:
				m.text(at+"label", text.Label)
				m.text(at+"url", text.URL)
			}
		}
	case TypeComparison:
		var s ComparisonStructure
		var f ComparisonFields
		if err := decodeBoth(structureJSON, &s, fieldsJSON, &f); err != nil {
			return nil, fmt.Errorf("decode comparison: %w", err)
		}
		m.text("title", f.Title)
		for i, rowID := range s.RowIDs {
			row := f.Rows[rowID]
			at := fmt.Sprintf("rows[%d].", i)
			m.text(at+"label", row.Label)
			for j := range s.RoleIDs {
				value := ""
				if j < len(row.Values) {
					value = row.Values[j]
				}
				m.text(fmt.Sprintf("%svalues[%d]", at, j), value)
			}
		}
	default:
		return nil, fmt.Errorf("unknown entry type %q", typ)
	}
	return m.paths, nil
}

type missing struct{ paths []string }

func (m *missing) text(path, value string) {
	if strings.TrimSpace(value) == "" {
		m.paths = append(m.paths, path)
	}
}

func decodeBoth(structureJSON json.RawMessage, structure any, fieldsJSON json.RawMessage, fields any) error {
	if err := json.Unmarshal(structureJSON, structure); err != nil {
		return err
	}
	return json.Unmarshal(fieldsJSON, fields)
}
