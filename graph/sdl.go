package graph

import (
	"embed"
	"io/fs"
	"strings"
	"sync"
)

//go:embed schema/*.graphqls
var schemaFS embed.FS

// SDL returns the schema in GraphQL SDL, for frontend code generators.
var SDL = sync.OnceValue(func() string {
	files, err := fs.Glob(schemaFS, "schema/*.graphqls")
	if err != nil {
		panic(err) // the pattern is a constant
	}
	var b strings.Builder
	for _, f := range files {
		data, err := schemaFS.ReadFile(f)
		if err != nil {
			panic(err) // embedded files are always readable
		}
		b.Write(data)
		b.WriteString("\n")
	}
	return b.String()
})
