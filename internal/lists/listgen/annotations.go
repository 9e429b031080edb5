// Package listgen is the entc extension that turns the Ent schema into the
// Hot Chocolate style list API: filter and sort inputs, connections and
// collection segments, the Query list fields, the nested connection fields,
// and the Go code that translates those inputs into SQL through the generic
// runtime in package lists. Adding a field to an Ent schema and running
// `go generate ./...` makes it filterable and sortable; nothing is written by
// hand per entity or per field.
package listgen

import (
	"encoding/json"

	"seatgraph/internal/lists"
)

// decode reads a listgen annotation out of an Ent annotation map.
func decode(annotations map[string]any) lists.Annotation {
	var a lists.Annotation
	raw, ok := annotations[lists.AnnotationName]
	if !ok {
		return a
	}
	b, err := json.Marshal(raw)
	if err == nil {
		_ = json.Unmarshal(b, &a)
	}
	return a
}
