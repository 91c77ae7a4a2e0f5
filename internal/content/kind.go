package content

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// Type is the kind of an entry.
type Type string

// Valid reports whether t is a known entry type.
func (t Type) Valid() bool {
	_, ok := kindOf(t)
	return ok
}

// Structure is the locale-independent part of an entry: RoleStructure,
// ArticleStructure, ComparisonStructure or FAQStructure. Each kind's file
// owns its structure's rules; the unexported method keeps the set closed,
// so a structure the service has no rules for cannot reach it.
type Structure interface {
	// Kind is the type of entry the structure belongs to.
	Kind() Type
	// check validates the structure on its own and names in refs every
	// entry it refers to, with the type that entry must have.
	check(refs references) error
}

// Fields is one locale's text of an entry: RoleFields, ArticleFields,
// ComparisonFields or FAQFields. Like Structure, the set is closed.
type Fields interface {
	// Kind is the type of entry the fields belong to.
	Kind() Type
	// check validates what the text links to (anchors, URLs, images).
	check() error
}

// fieldsOf is Fields that know which of their members a publication
// needs, given the structure S of the same kind (an article's blocks, a
// comparison's rows and roles, decide which texts must be there).
type fieldsOf[S Structure] interface {
	Fields
	required(structure S, m *missing)
}

// kind is what the service needs to handle an entry type it only knows by
// its stored name: decode its JSON and list its empty required fields.
type kind interface {
	typ() Type
	decodeStructure(raw json.RawMessage) (Structure, error)
	decodeFields(raw json.RawMessage) (Fields, error)
	missingFields(structure, fields json.RawMessage) ([]string, error)
}

// kinds are the entry types, in the order lists of types follow. An entry
// type is its file plus one line here.
var kinds = []kind{
	kindFor[RoleStructure, RoleFields]{},
	kindFor[ArticleStructure, ArticleFields]{},
	kindFor[ComparisonStructure, ComparisonFields]{},
	kindFor[FAQStructure, FAQFields]{},
}

// kindOf finds the kind of an entry type.
func kindOf(t Type) (kind, bool) {
	i := slices.IndexFunc(kinds, func(k kind) bool { return k.typ() == t })
	if i < 0 {
		return nil, false
	}
	return kinds[i], true
}

// kindFor is the kind whose structure is S and whose fields are F.
type kindFor[S Structure, F fieldsOf[S]] struct{}

func (kindFor[S, F]) typ() Type {
	var s S
	return s.Kind()
}

func (kindFor[S, F]) decodeStructure(raw json.RawMessage) (Structure, error) {
	var s S
	err := json.Unmarshal(raw, &s)
	return s, err
}

// decodeFields decodes strictly: unknown members and values of the wrong
// JSON type are bad input, named.
func (k kindFor[S, F]) decodeFields(raw json.RawMessage) (Fields, error) {
	var f F
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, badInput("fields", apperr.WrongType, "fields do not fit a %s: %v", k.typ(), err)
	}
	return f, nil
}

func (k kindFor[S, F]) missingFields(structureJSON, fieldsJSON json.RawMessage) ([]string, error) {
	var s S
	var f F
	if err := json.Unmarshal(structureJSON, &s); err != nil {
		return nil, fmt.Errorf("decode %s structure: %w", k.typ(), err)
	}
	if err := json.Unmarshal(fieldsJSON, &f); err != nil {
		return nil, fmt.Errorf("decode %s fields: %w", k.typ(), err)
	}
	var m missing
	f.required(s, &m)
	return m.paths, nil
}

// decodeStructure decodes a stored structure of typ into its Go type.
func decodeStructure(typ Type, raw json.RawMessage) (Structure, error) {
	k, ok := kindOf(typ)
	if !ok {
		return nil, fmt.Errorf("unknown entry type %q", typ)
	}
	return k.decodeStructure(raw)
}

// decodeFields decodes a type's fields strictly (see kindFor.decodeFields).
func decodeFields(typ Type, raw json.RawMessage) (Fields, error) {
	k, ok := kindOf(typ)
	if !ok {
		return nil, fmt.Errorf("unknown entry type %q", typ)
	}
	return k.decodeFields(raw)
}

// references are the entries a structure refers to, by id, each with the
// type it must have.
type references map[string]Type

// add names one referenced entry; field is where the id was given.
func (r references) add(field, id string, want Type) error {
	if id == "" {
		return badInput(field, apperr.Required, "%s must name a %s", field, want)
	}
	if other, ok := r[id]; ok && other != want {
		// One entry cannot be both: checking only one of the two types
		// would let the other reference through.
		return badInput(field, apperr.WrongType, "%s names %s, which is also given as a %s", field, id, other)
	}
	r[id] = want
	return nil
}

// addList names a list of referenced entries, which must be unique and at
// most most long.
func (r references) addList(field string, ids []string, most int, want Type) error {
	if err := uniqueIDs(field, ids, most); err != nil {
		return err
	}
	for i, id := range ids {
		if err := r.add(fmt.Sprintf("%s[%d]", field, i), id, want); err != nil {
			return err
		}
	}
	return nil
}

// exist checks that every referenced entry exists with the right type.
func (r references) exist(ctx context.Context, tx Store) error {
	if len(r) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(r))
	found, err := tx.TypesOf(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if got, ok := found[id]; !ok || got != r[id] {
			return apperr.Invalid(apperr.UnknownReference, "%s %s does not exist", r[id], id).With("field", "structure").With("id", id)
		}
	}
	return nil
}

// checkStructure validates a structure for an entry of typ, including that
// every entry it refers to exists with the right type, and returns it
// encoded.
func checkStructure(ctx context.Context, tx Store, typ Type, structure Structure) (json.RawMessage, error) {
	if structure == nil || structure.Kind() != typ {
		return nil, badInput("structure", apperr.WrongType, "that structure does not belong to a %s", typ)
	}
	refs := references{}
	if err := structure.check(refs); err != nil {
		return nil, err
	}
	if err := refs.exist(ctx, tx); err != nil {
		return nil, err
	}
	encoded, err := json.Marshal(structure)
	if err != nil {
		return nil, fmt.Errorf("encode %s structure: %w", typ, err)
	}
	return encoded, nil
}

// checkFields validates one locale's fields for an entry of typ.
func checkFields(typ Type, fields Fields) error {
	if fields == nil || fields.Kind() != typ {
		return badInput("fields", apperr.WrongType, "those fields do not belong to a %s", typ)
	}
	return fields.check()
}
