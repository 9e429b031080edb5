package graph_test

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"seatgraph/graph"
	"seatgraph/graph/generated"
	"seatgraph/graph/graphtest"
	"seatgraph/internal/auth"
	"seatgraph/internal/domain"
	"seatgraph/internal/gid"
)

// The role policy every root field must follow, written out here on its own
// so that a wrong @allow in the schema fails a test rather than changing who
// may do what.
var (
	// accAnonymous: published events, booking, and a booker's own booking.
	accAnonymous = []string{"Query.events", "Query.eventsPage", "Query.node", "Query.nodes",
		"Query.bookingByOrderNumber", "Mutation.createBooking"}
	// accCheckIn: a check-in app reads events and tickets and checks in.
	accCheckIn = []string{"Query.events", "Query.eventsPage", "Query.tickets", "Query.ticketsPage",
		"Query.node", "Query.nodes", "Mutation.checkInTicket", "Mutation.undoCheckIn"}
	// accAdminOnly: managing events and categories is not for STAFF.
	accAdminOnly = []string{"Mutation.createEvent", "Mutation.updateEvent", "Mutation.publishEvent",
		"Mutation.cancelEvent", "Mutation.duplicateEvent", "Mutation.deleteEvent",
		"Mutation.createTicketCategory", "Mutation.updateTicketCategory"}
	// accNodeTypes: the types node(id:) shows to a role; missing means all.
	accNodeTypes = map[domain.Role][]string{
		"":                 {"Event", "TicketCategory"},
		domain.RoleCheckIn: {"Event", "TicketCategory", "Ticket"},
	}
	accRoles = []domain.Role{"", domain.RoleAdmin, domain.RoleStaff, domain.RoleCheckIn}
)

// accWant reports whether the policy lets role use the root field name.
func accWant(role domain.Role, name string) bool {
	switch role {
	case domain.RoleAdmin:
		return true
	case domain.RoleStaff:
		return !slices.Contains(accAdminOnly, name)
	case domain.RoleCheckIn:
		return slices.Contains(accCheckIn, name)
	}
	return slices.Contains(accAnonymous, name)
}

func accRoleName(r domain.Role) string {
	if r == "" {
		return "ANONYMOUS"
	}
	return string(r)
}

func accSchema() *ast.Schema { return generated.NewExecutableSchema(generated.Config{}).Schema() }

// accRootFields lists "Type.field" of every field of the operation types.
func accRootFields(s *ast.Schema) []*ast.FieldDefinition {
	var out []*ast.FieldDefinition
	for _, root := range []*ast.Definition{s.Query, s.Mutation, s.Subscription} {
		if root == nil {
			continue
		}
		for _, f := range root.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				out = append(out, f)
			}
		}
	}
	return out
}

func accRootOf(s *ast.Schema, f *ast.FieldDefinition) *ast.Definition {
	for _, root := range []*ast.Definition{s.Query, s.Mutation, s.Subscription} {
		if root != nil && slices.Contains(root.Fields, f) {
			return root
		}
	}
	return nil
}

// TestAccessEveryRootFieldHasARule: a root field without @allow would be
// refused to everyone, and an @allow naming an unknown role is a typo; both
// fail here, before any server starts.
func TestAccessEveryRootFieldHasARule(t *testing.T) {
	s := accSchema()
	if _, err := graph.ReadAccess(s); err != nil {
		t.Fatal(err)
	}
	known := []string{"ANONYMOUS", "ADMIN", "STAFF", "CHECKIN"}
	enum := s.Types["AccessRole"]
	if enum == nil || enum.Kind != ast.Enum {
		t.Fatal("no enum AccessRole")
	}
	var values []string
	for _, v := range enum.EnumValues {
		values = append(values, v.Name)
	}
	if !slices.Equal(values, known) {
		t.Errorf("AccessRole = %v, want %v", values, known)
	}
	checkRoles := func(where string, dirs ast.DirectiveList) bool {
		d := dirs.ForName("allow")
		if d == nil {
			return false
		}
		arg := d.Arguments.ForName("roles")
		if arg == nil || arg.Value.Kind != ast.ListValue || len(arg.Value.Children) == 0 {
			t.Errorf("%s: @allow without roles", where)
			return true
		}
		for _, c := range arg.Value.Children {
			if !slices.Contains(known, c.Value.Raw) {
				t.Errorf("%s: @allow names unknown role %s", where, c.Value.Raw)
			}
		}
		return true
	}
	n := 0
	for _, f := range accRootFields(s) {
		name := accRootOf(s, f).Name + "." + f.Name
		n++
		if !checkRoles(name, f.Directives) {
			t.Errorf("%s has no @allow: every root field needs an explicit rule", name)
		}
	}
	if n < 30 {
		t.Fatalf("only %d root fields found", n)
	}
	for _, def := range s.Types {
		if def.BuiltIn {
			continue
		}
		checkRoles(def.Name, def.Directives)
		if def.Kind == ast.Object && slices.Contains(def.Interfaces, "Node") && !checkRoles(def.Name, def.Directives) {
			t.Errorf("type %s implements Node but has no @allow: node(id:) shows it to no one", def.Name)
		}
		if def == s.Query || def == s.Mutation || def == s.Subscription {
			continue
		}
		for _, f := range def.Fields {
			name := def.Name + "." + f.Name
			has := checkRoles(name, f.Directives)
			typ := f.Type.Name()
			if !has && (strings.HasSuffix(typ, "Connection") || strings.HasSuffix(typ, "CollectionSegment")) {
				t.Errorf("%s is a list but has no @allow: it would be open to whoever reaches %s", name, def.Name)
			}
		}
	}
}

// TestAccessPolicy: the rules read from the schema are the policy, for
// every root field and every role, and node(id:) shows the same types.
func TestAccessPolicy(t *testing.T) {
	s := accSchema()
	a := graph.MustReadAccess(s)
	for _, f := range accRootFields(s) {
		root := accRootOf(s, f).Name
		name := root + "." + f.Name
		for _, role := range accRoles {
			if got, want := a.Allows(role, root, f.Name), accWant(role, name); got != want {
				t.Errorf("%s for %s: allowed %v, want %v", name, accRoleName(role), got, want)
			}
		}
	}
	for _, name := range slices.Concat(accAnonymous, accCheckIn, accAdminOnly) {
		typ, field, _ := strings.Cut(name, ".")
		if def := s.Types[typ]; def == nil || def.Fields.ForName(field) == nil {
			t.Errorf("the policy names %s, which the schema lacks", name)
		}
	}
	for _, def := range s.Types {
		if def.Kind != ast.Object || !slices.Contains(def.Interfaces, "Node") {
			continue
		}
		for _, role := range accRoles {
			types, limited := accNodeTypes[role]
			if got, want := a.Shows(role, def.Name), !limited || slices.Contains(types, def.Name); got != want {
				t.Errorf("node(id:) of a %s for %s: shown %v, want %v", def.Name, accRoleName(role), got, want)
			}
		}
	}
	// Types that are no Node are shown to no one, whatever the role.
	for _, role := range accRoles {
		if a.Shows(role, "Tenant") || a.Shows(role, "APIKey") || a.Shows(role, "") {
			t.Errorf("%s: node(id:) shows a type that is no Node", accRoleName(role))
		}
	}
	// Introspection is open; a field the schema lacks is refused at the root.
	if !a.Allows("", "Query", "__schema") || a.Allows(domain.RoleAdmin, "Query", "noSuchField") {
		t.Error("introspection refused, or an unknown root field allowed")
	}
}

// accLiteral writes a value of type t that passes validation: required
// input fields only, IDs of rows that do not exist.
func accLiteral(s *ast.Schema, t *ast.Type) string {
	if t.Elem != nil {
		return "[" + accLiteral(s, t.Elem) + "]"
	}
	def := s.Types[t.NamedType]
	switch def.Kind {
	case ast.Enum:
		return def.EnumValues[0].Name
	case ast.InputObject:
		var parts []string
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil {
				parts = append(parts, f.Name+": "+accLiteral(s, f.Type))
			}
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	switch t.NamedType {
	case "ID":
		return strconv.Quote(gid.Encode(2<<32 | 999999))
	case "Int":
		return "1"
	case "Float":
		return "1.5"
	case "Boolean":
		return "false"
	case "DateTime":
		return `"2027-01-01T10:00:00Z"`
	case "Decimal":
		return `"1.00"`
	case "Map":
		return "{}"
	}
	return `"x"`
}

// accOperation is an operation calling only f, with its required arguments.
func accOperation(s *ast.Schema, root *ast.Definition, f *ast.FieldDefinition) string {
	var args []string
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			args = append(args, a.Name+": "+accLiteral(s, a.Type))
		}
	}
	call := f.Name
	if len(args) > 0 {
		call += "(" + strings.Join(args, ", ") + ")"
	}
	if k := s.Types[f.Type.Name()].Kind; k == ast.Object || k == ast.Interface || k == ast.Union {
		call += " { __typename }"
	}
	op := "query"
	switch root {
	case s.Mutation:
		op = "mutation"
	case s.Subscription:
		op = "subscription"
	}
	return op + " { " + call + " }"
}

// TestAccessThroughHandler: every root field, called over HTTP by every
// kind of caller, is refused (UNAUTHENTICATED without a key, FORBIDDEN with
// one) exactly where the policy says, before it runs.
func TestAccessThroughHandler(t *testing.T) {
	e := graphtest.SQLite(t)
	s := accSchema()
	keys := map[domain.Role]string{"": "", domain.RoleAdmin: e.AdminKey}
	for _, role := range []domain.Role{domain.RoleStaff, domain.RoleCheckIn} {
		key, err := auth.CreateKey(context.Background(), e.Client, e.Tenant, role)
		if err != nil {
			t.Fatal(err)
		}
		keys[role] = key
	}
	fields := accRootFields(s)
	sort.Slice(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })
	for _, f := range fields {
		root := accRootOf(s, f)
		if root == s.Subscription {
			continue // subscriptions are served over websockets only
		}
		name := root.Name + "." + f.Name
		query := accOperation(s, root, f)
		t.Run(name, func(t *testing.T) {
			for _, role := range accRoles {
				r := e.Do(t, query, nil, tncAuth(keys[role])...)
				refused := ""
				for _, err := range r.Errors {
					if c := err.Code(); c == domain.CodeUnauthenticated || c == domain.CodeForbidden {
						refused = c
					}
				}
				switch {
				case accWant(role, name) && refused != "":
					t.Errorf("%s: refused with %s: %s", accRoleName(role), refused, query)
				case accWant(role, name):
					// It ran: at most the rows it names are missing.
					for _, c := range r.Codes() {
						if c != "NOT_FOUND" {
							t.Errorf("%s: codes %v, want it to run: %s", accRoleName(role), r.Codes(), query)
						}
					}
				case !accWant(role, name):
					want := domain.CodeForbidden
					if role == "" {
						want = domain.CodeUnauthenticated
					}
					if codes := r.Codes(); len(codes) != 1 || codes[0] != want {
						t.Errorf("%s: codes %v, want [%s]: %s", accRoleName(role), codes, want, query)
					}
					var data map[string]json.RawMessage
					if err := json.Unmarshal(r.Data, &data); err == nil && string(data[f.Name]) != "null" && data[f.Name] != nil {
						t.Errorf("%s: refused but answered %s", accRoleName(role), r.Data)
					}
				}
			}
		})
	}
}

// TestAccessHiddenFromIntrospection: the directive and its enum are the
// server's own; clients never see them.
func TestAccessHiddenFromIntrospection(t *testing.T) {
	e := graphtest.SQLite(t)
	r := e.Do(t, `{ __schema { directives { name } types { name } } role: __type(name: "AccessRole") { name } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors %+v", r.Errors)
	}
	var out struct {
		Schema struct {
			Directives []struct{ Name string }
			Types      []struct{ Name string }
		} `json:"__schema"`
		Role *struct{ Name string } `json:"role"`
	}
	if err := json.Unmarshal(r.Data, &out); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range out.Schema.Directives {
		names = append(names, "@"+d.Name)
	}
	for _, ty := range out.Schema.Types {
		names = append(names, ty.Name)
	}
	for _, hidden := range []string{"@allow", "AccessRole"} {
		if slices.Contains(names, hidden) {
			t.Errorf("introspection shows %s", hidden)
		}
	}
	if !slices.Contains(names, "@goField") || !slices.Contains(names, "Event") {
		t.Errorf("introspection incomplete: %v", names)
	}
	if out.Role != nil {
		t.Errorf("__type(name: \"AccessRole\") = %+v, want null", out.Role)
	}
	// A query cannot use the server-only directive either.
	r = e.Do(t, `{ events @allow(roles: [ADMIN]) { totalCount } }`, nil)
	if len(r.Errors) == 0 {
		t.Errorf("@allow accepted in a query: %s", r.Data)
	}
}
