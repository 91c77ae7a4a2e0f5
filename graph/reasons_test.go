package graph

import (
	"context"
	"errors"
	"fmt"
	goast "go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/werkwijzer/werkwijzer/graph/generated"
	"github.com/werkwijzer/werkwijzer/graph/model"
	"github.com/werkwijzer/werkwijzer/internal/apperr"
)

// declaredReasons are the wire names of the reasons apperr declares: the
// string in every Reason{"..."} literal of its source.
func declaredReasons(t *testing.T) []string {
	t.Helper()
	var names []string
	forEachGoFile(t, "../internal/apperr", func(path string, f *goast.File) {
		goast.Inspect(f, func(n goast.Node) bool {
			lit, ok := n.(*goast.CompositeLit)
			if !ok || !isIdent(lit.Type, "Reason") || len(lit.Elts) != 1 {
				return true
			}
			if s, ok := lit.Elts[0].(*goast.BasicLit); ok {
				name, _ := strconv.Unquote(s.Value)
				names = append(names, name)
			}
			return true
		})
	})
	slices.Sort(names)
	return names
}

func TestEveryReasonIsDocumentedInTheSchemaAndTheREADME(t *testing.T) {
	declared := declaredReasons(t)
	var documented []string
	for _, r := range model.AllInputErrorReason {
		documented = append(documented, string(r))
	}
	slices.Sort(documented)
	if !slices.Equal(declared, documented) {
		t.Fatalf("apperr declares the reasons\n%v\nbut the schema's InputErrorReason documents\n%v", declared, documented)
	}
	enum := generated.NewExecutableSchema(generated.Config{}).Schema().Types["InputErrorReason"]
	for _, v := range enum.EnumValues {
		if strings.TrimSpace(v.Description) == "" {
			t.Errorf("InputErrorReason.%s has no description", v.Name)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range declared {
		if !strings.Contains(string(readme), "`"+name+"`") {
			t.Errorf("the README does not mention the reason `%s`", name)
		}
	}
}

// reasonlessBadInput reports where src builds a BAD_USER_INPUT without a
// reason: apperr.New with apperr.BadUserInput (Invalid gives a reason), a
// literal apperr.Error, a Reason made outside apperr, or an extensions
// map with code BAD_USER_INPUT and no reason.
func reasonlessBadInput(fset *token.FileSet, f *goast.File) []string {
	var found []string
	report := func(n goast.Node, what string) {
		found = append(found, fmt.Sprintf("%s: %s", fset.Position(n.Pos()), what))
	}
	goast.Inspect(f, func(n goast.Node) bool {
		switch n := n.(type) {
		case *goast.CallExpr:
			if isSelector(n.Fun, "apperr", "New") && len(n.Args) > 0 && isSelector(n.Args[0], "apperr", "BadUserInput") {
				report(n, "apperr.New(apperr.BadUserInput, ...) has no reason; use apperr.Invalid")
			}
		case *goast.CompositeLit:
			switch {
			case isSelector(n.Type, "apperr", "Error"):
				report(n, "a literal apperr.Error; use apperr.New or apperr.Invalid")
			case isSelector(n.Type, "apperr", "Reason"):
				report(n, "a Reason made outside apperr; use one of apperr's")
			case mapWithBadInputCode(n) && !mapHasKey(n, "reason"):
				report(n, `extensions with code BAD_USER_INPUT and no "reason"`)
			}
		}
		return true
	})
	return found
}

func TestEveryBadUserInputIsMadeWithAReason(t *testing.T) {
	fset := token.NewFileSet()
	var found []string
	forEachGoFileIn(t, fset, "..", func(path string, f *goast.File) {
		if strings.HasPrefix(path, filepath.Join("..", "internal", "apperr")) {
			return
		}
		found = append(found, reasonlessBadInput(fset, f)...)
	})
	if len(found) > 0 {
		t.Fatalf("BAD_USER_INPUT made without a reason:\n%s", strings.Join(found, "\n"))
	}
}

func TestTheReasonlessBadInputCheckFindsEachForm(t *testing.T) {
	for src, want := range map[string]int{
		`apperr.New(apperr.BadUserInput, "x").With("field", "f")`:                                1,
		`&apperr.Error{Code: apperr.BadUserInput}`:                                               1,
		`apperr.Invalid(apperr.Reason{}, "x")`:                                                   1,
		`map[string]any{"code": string(apperr.BadUserInput), "limit": 1}`:                        1,
		`map[string]any{"code": string(apperr.BadUserInput), "reason": apperr.TooMany.String()}`: 0,
		`apperr.Invalid(apperr.TooLong, "x").With("max", 3)`:                                     0,
		`apperr.New(apperr.NotFound, "x")`:                                                       0,
	} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", "package x\nvar _ = "+src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := reasonlessBadInput(fset, f); len(got) != want {
			t.Errorf("%s: found %v; want %d", src, got, want)
		}
	}
}

func TestThePresenterGivesEveryBadUserInputAReason(t *testing.T) {
	present := errorPresenter(slog.New(slog.DiscardHandler))
	ctx := graphql.WithFieldContext(context.Background(), &graphql.FieldContext{})
	for _, c := range []struct {
		name       string
		err        error
		code       string
		reason     any
		wantParams map[string]any
	}{
		{"domain error with parameters", apperr.Invalid(apperr.TooLong, "too long").With("field", "title").With("max", 200),
			"BAD_USER_INPUT", "TOO_LONG", map[string]any{"field": "title", "max": 200}},
		{"wrapped on a path", gqlerror.WrapPath(ast.Path{ast.PathName("article")}, fmt.Errorf("load: %w", apperr.Invalid(apperr.InvalidSlug, "bad"))),
			"BAD_USER_INPUT", "INVALID_SLUG", nil},
		{"domain error made without one", apperr.New(apperr.BadUserInput, "bad"), "BAD_USER_INPUT", "INVALID_REQUEST", nil},
		{"a body gqlgen cannot decode", gqlerror.Errorf("json request body could not be decoded"), "BAD_USER_INPUT", "INVALID_REQUEST", nil},
		{"a guard's refusal keeps its reason", &gqlerror.Error{Message: "deep", Extensions: map[string]any{"code": "BAD_USER_INPUT", "reason": "QUERY_TOO_LARGE"}},
			"BAD_USER_INPUT", "QUERY_TOO_LARGE", nil},
		{"validation errors are gqlgen's", &gqlerror.Error{Message: "no such field", Extensions: map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}},
			"GRAPHQL_VALIDATION_FAILED", nil, nil},
		{"other codes have none", apperr.New(apperr.NotFound, "gone"), "NOT_FOUND", nil, nil},
		{"internal errors have none", errors.New("SELECT failed"), "INTERNAL", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := present(ctx, c.err)
			if got.Extensions["code"] != c.code || got.Extensions["reason"] != c.reason {
				t.Fatalf("extensions %v; want code %s, reason %v", got.Extensions, c.code, c.reason)
			}
			for k, v := range c.wantParams {
				if got.Extensions[k] != v {
					t.Errorf("extensions.%s = %v; want %v", k, got.Extensions[k], v)
				}
			}
		})
	}
}

// forEachGoFile parses the Go files, tests aside, of one directory.
func forEachGoFile(t *testing.T, dir string, fn func(path string, f *goast.File)) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		fn(path, f)
	}
}

// forEachGoFileIn parses every Go file of the module under root, tests
// and generated code aside.
func forEachGoFileIn(t *testing.T, fset *token.FileSet, root string, fn func(path string, f *goast.File)) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "generated" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		fn(path, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func isIdent(e goast.Expr, name string) bool {
	id, ok := e.(*goast.Ident)
	return ok && id.Name == name
}

func isSelector(e goast.Expr, pkg, name string) bool {
	sel, ok := e.(*goast.SelectorExpr)
	return ok && isIdent(sel.X, pkg) && sel.Sel.Name == name
}

// mapWithBadInputCode reports whether lit has "code": string(apperr.BadUserInput).
func mapWithBadInputCode(lit *goast.CompositeLit) bool {
	for _, e := range lit.Elts {
		kv, ok := e.(*goast.KeyValueExpr)
		if !ok || !isString(kv.Key, "code") {
			continue
		}
		if conv, ok := kv.Value.(*goast.CallExpr); ok && len(conv.Args) == 1 && isSelector(conv.Args[0], "apperr", "BadUserInput") {
			return true
		}
		if isString(kv.Value, "BAD_USER_INPUT") {
			return true
		}
	}
	return false
}

func mapHasKey(lit *goast.CompositeLit, key string) bool {
	for _, e := range lit.Elts {
		if kv, ok := e.(*goast.KeyValueExpr); ok && isString(kv.Key, key) {
			return true
		}
	}
	return false
}

func isString(e goast.Expr, s string) bool {
	lit, ok := e.(*goast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return false
	}
	v, err := strconv.Unquote(lit.Value)
	return err == nil && v == s
}
