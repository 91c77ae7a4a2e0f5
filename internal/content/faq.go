package content

// TypeFAQ is a question with its answer.
const TypeFAQ Type = "faq"

// FAQStructure is empty today; it exists so every type has the same shape
// and a later locale-independent FAQ property has a place to go.
type FAQStructure struct{}

// FAQFields is one locale's question and answer (Markdown).
type FAQFields struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Kind is TypeFAQ.
func (FAQStructure) Kind() Type { return TypeFAQ }

// Kind is TypeFAQ.
func (FAQFields) Kind() Type { return TypeFAQ }

// check: a FAQ refers to nothing.
func (FAQStructure) check(references) error { return nil }

// check: a FAQ's text links to nothing the service checks.
func (FAQFields) check() error { return nil }

// required: a FAQ needs its question and its answer in every locale.
func (f FAQFields) required(_ FAQStructure, m *missing) {
	m.text("question", f.Question)
	m.text("answer", f.Answer)
}
