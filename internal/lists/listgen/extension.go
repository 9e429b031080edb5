package listgen

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

//go:embed tmpl/*
var templates embed.FS

// Extension is the entc extension; see the package comment.
type Extension struct {
	entc.DefaultExtension
	sdlPath string
}

// NewExtension returns the extension writing the list SDL to sdlPath.
func NewExtension(sdlPath string) *Extension { return &Extension{sdlPath: sdlPath} }

// Templates hooks into Ent's templates: an after-load step on queries and a
// place on each node for the nested connection pages loaded with it.
func (e *Extension) Templates() []*gen.Template {
	return []*gen.Template{gen.MustParse(gen.NewTemplate("listgen").ParseFS(templates, "tmpl/hooks.tmpl"))}
}

// Hooks writes the Go glue and the SDL after Ent generated its code.
func (e *Extension) Hooks() []gen.Hook {
	return []gen.Hook{func(next gen.Generator) gen.Generator {
		return gen.GenerateFunc(func(g *gen.Graph) error {
			if err := next.Generate(g); err != nil {
				return err
			}
			entities, enums, err := buildModel(g)
			if err != nil {
				return err
			}
			if err := writeGo(filepath.Join(g.Target, "gql_lists.go"), entities, enums); err != nil {
				return err
			}
			return os.WriteFile(e.sdlPath, []byte(sdl(entities, enums)), 0o644)
		})
	}}
}

func writeGo(path string, entities []*entity, enums []*enumInfo) error {
	t, err := template.New("lists.go.tmpl").Funcs(template.FuncMap{"lower": lowerFirst}).ParseFS(templates, "tmpl/lists.go.tmpl")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, map[string]any{"Entities": entities, "Enums": enums}); err != nil {
		return err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		_ = os.WriteFile(path, buf.Bytes(), 0o644)
		return fmt.Errorf("listgen: formatting %s: %w", path, err)
	}
	return os.WriteFile(path, src, 0o644)
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }
