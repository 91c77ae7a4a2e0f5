package content

import "github.com/werkwijzer/werkwijzer/internal/apperr"

// BlockType is the kind of an article block.
type BlockType string

const (
	BlockRichText     BlockType = "richText"
	BlockComparison   BlockType = "comparison"
	BlockFAQ          BlockType = "faq"
	BlockVacancyList  BlockType = "vacancyList"
	BlockCallToAction BlockType = "callToAction"
)

// BlockStructure is the locale-independent part of a block. Which reference
// applies depends on Type.
type BlockStructure struct {
	ID           string    `json:"id"`
	Type         BlockType `json:"type"`
	ComparisonID string    `json:"comparisonId,omitempty"`
	FAQIDs       []string  `json:"faqIds,omitempty"`
	RoleID       string    `json:"roleId,omitempty"`
	Limit        int       `json:"limit,omitempty"`
}

// BlockFields is one locale's text of a block.
type BlockFields struct {
	Anchor  string `json:"anchor,omitempty"`
	Heading string `json:"heading,omitempty"`
	Body    string `json:"body,omitempty"`
	Label   string `json:"label,omitempty"`
	URL     string `json:"url,omitempty"`
}

// blockKind is the rules of one block type.
type blockKind struct {
	// check validates the block's settings and names in refs the entries
	// it refers to; at is the block's path ("blocks[2]").
	check func(at string, b BlockStructure, refs references) error
	// required records the block's empty required texts; at is the
	// prefix of their paths ("blocks[2].").
	required func(at string, text BlockFields, m *missing)
}

// blockKinds are the rules per block type: a block type is one entry here.
var blockKinds = map[BlockType]blockKind{
	BlockRichText: {
		check: refersToNothing,
		required: func(at string, text BlockFields, m *missing) {
			m.text(at+"body", text.Body)
		},
	},
	BlockCallToAction: {
		check: refersToNothing,
		required: func(at string, text BlockFields, m *missing) {
			m.text(at+"label", text.Label)
			m.text(at+"url", text.URL)
		},
	},
	BlockComparison: {
		check: func(at string, b BlockStructure, refs references) error {
			return refs.add(at+".comparisonId", b.ComparisonID, TypeComparison)
		},
		required: requiresNoText,
	},
	BlockFAQ: {
		check: func(at string, b BlockStructure, refs references) error {
			if len(b.FAQIDs) == 0 {
				return badInput(at+".faqIds", apperr.Required, "%s lists no FAQs", at)
			}
			return refs.addList(at+".faqIds", b.FAQIDs, maxListItems, TypeFAQ)
		},
		required: requiresNoText,
	},
	BlockVacancyList: {
		check: func(at string, b BlockStructure, refs references) error {
			if b.Limit < 1 || b.Limit > maxBlockLimit {
				return badInput(at+".limit", apperr.OutOfRange, "%s.limit must be 1 to %d", at, maxBlockLimit).With("min", 1).With("max", maxBlockLimit)
			}
			return refs.add(at+".roleId", b.RoleID, TypeRole)
		},
		required: requiresNoText,
	},
}

func refersToNothing(string, BlockStructure, references) error { return nil }

func requiresNoText(string, BlockFields, *missing) {}
