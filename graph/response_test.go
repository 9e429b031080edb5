package graph

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestWriteOperationResponse: the response written without re-encoding
// its data means what encoding/json's encoding of it means, for every shape
// an operation's response takes.
func TestWriteOperationResponse(t *testing.T) {
	yes := true
	tests := []struct {
		name string
		resp *graphql.Response
	}{
		{"data only", &graphql.Response{Data: json.RawMessage(`{"events":{"nodes":[{"title":"<b>Jazz</b> & more"}]}}`)}},
		{"null data", &graphql.Response{}},
		{"field errors beside data", &graphql.Response{
			Data:   json.RawMessage(`{"bookings":null}`),
			Errors: gqlerror.List{{Message: "this needs an API key", Path: ast.Path{ast.PathName("bookings")}, Extensions: map[string]any{"code": "UNAUTHENTICATED"}}},
		}},
		{"extensions", &graphql.Response{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"cost": 3}}},
		{"incremental parts fall back", &graphql.Response{Data: json.RawMessage(`{"a":1}`), Label: "x", HasNext: &yes}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(tt.resp)
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			writeOperationResponse(rec, mediaJSON, tt.resp)
			var got, exp any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("written response %q is not JSON: %v", rec.Body.String(), err)
			}
			_ = json.Unmarshal(want, &exp)
			if !reflect.DeepEqual(got, exp) {
				t.Errorf("wrote %s, encoding/json gives %s", rec.Body.Bytes(), want)
			}
			if rec.Code != 200 || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("status %d, headers %v", rec.Code, rec.Header())
			}
		})
	}
}
