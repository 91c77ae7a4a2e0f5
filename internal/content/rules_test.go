package content

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

func TestMissingFields(t *testing.T) {
	mustJSON := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	article := ArticleStructure{Blocks: []BlockStructure{
		{ID: "b1", Type: BlockRichText}, {ID: "b2", Type: BlockCallToAction}, {ID: "b3", Type: BlockFAQ},
	}}
	comparison := ComparisonStructure{RoleIDs: []string{"r1", "r2"}, RowIDs: []string{"x"}}
	for name, tc := range map[string]struct {
		typ               Type
		structure, fields any
		want              []string
	}{
		"complete role":  {TypeRole, RoleStructure{}, RoleFields{Title: "T", Summary: "S"}, nil},
		"blank role":     {TypeRole, RoleStructure{}, RoleFields{Title: "  "}, []string{"title", "summary"}},
		"faq":            {TypeFAQ, FAQStructure{}, FAQFields{Question: "Q?"}, []string{"answer"}},
		"article blocks": {TypeArticle, article, ArticleFields{Title: "T", Lead: "L", Blocks: map[string]BlockFields{"b2": {Label: "Go"}}}, []string{"blocks[0].body", "blocks[1].url"}},
		"comparison cells": {TypeComparison, comparison, ComparisonFields{Title: "C", Rows: map[string]ComparisonRow{"x": {Label: "L", Values: []string{"a"}}}},
			[]string{"rows[0].values[1]"}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := MissingFields(tc.typ, mustJSON(tc.structure), mustJSON(tc.fields))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("missing %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := MissingFields(TypeFAQ, json.RawMessage(`{}`), json.RawMessage(`not json`)); err == nil {
		t.Fatal("undecodable fields must be an error")
	}
}

func TestValidateSlug(t *testing.T) {
	for _, ok := range []string{"office-manager", "a", "faq-2", "x1-y2-z3", strings.Repeat("a", 200)} {
		if err := ValidateSlug(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Office", "a--b", "-a", "a-", "a b", "café", "a/b", string(make([]byte, 201)), strings.Repeat("a", 201)} {
		if err := ValidateSlug(bad); !apperr.Is(err, apperr.BadUserInput) {
			t.Errorf("%q accepted or wrong error: %v", bad, err)
		}
	}
}

func TestMergePatch(t *testing.T) {
	var target, patch any
	_ = json.Unmarshal([]byte(`{"title":"Oud","lead":"Intro","blocks":{"b1":{"heading":"Kop","body":"Tekst"},"b2":{"body":"Weg"}}}`), &target)
	_ = json.Unmarshal([]byte(`{"title":"Nieuw","blocks":{"b1":{"heading":"Nieuwe kop"},"b2":null}}`), &patch)
	got, _ := json.Marshal(mergePatch(target, patch))
	want := `{"blocks":{"b1":{"body":"Tekst","heading":"Nieuwe kop"}},"lead":"Intro","title":"Nieuw"}`
	if string(got) != want {
		t.Fatalf("merge patch:\n got %s\nwant %s", got, want)
	}
}

func TestDecodeFieldsIsStrict(t *testing.T) {
	if _, err := decodeFields(TypeFAQ, json.RawMessage(`{"question":"Q?","answr":"typo"}`)); !apperr.Is(err, apperr.BadUserInput) {
		t.Fatalf("unknown member: %v", err)
	}
	if _, err := decodeFields(TypeRole, json.RawMessage(`{"title":["not","a","string"]}`)); !apperr.Is(err, apperr.BadUserInput) {
		t.Fatalf("wrong type: %v", err)
	}
	f, err := decodeFields(TypeFAQ, json.RawMessage(`{"question":"Q?","answer":"A."}`))
	if err != nil || f.(FAQFields).Answer != "A." {
		t.Fatalf("valid fields: %v %v", f, err)
	}
}

func TestMergePatchReplacesWhatIsNotAnObject(t *testing.T) {
	var patch any
	_ = json.Unmarshal([]byte(`{"blocks":{"b1":{"body":"Nieuw"}}}`), &patch)
	got, _ := json.Marshal(mergePatch(map[string]any{"blocks": "not an object"}, patch))
	if string(got) != `{"blocks":{"b1":{"body":"Nieuw"}}}` {
		t.Fatalf("a patch over a string: %s", got)
	}
	if got := mergePatch(map[string]any{"a": "b"}, "whole"); got != "whole" {
		t.Fatalf("a patch that is not an object replaces the target: %v", got)
	}
}
