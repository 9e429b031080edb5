package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"seatgraph/internal/auth"
	"seatgraph/internal/domain"
)

// Who may ask for what is declared next to the schema, by the server-only
// directive @allow(roles: [...]) (schema/schema.graphql), and read from the
// parsed schema when the handler is built, so a field and its rule cannot
// drift apart. Rows are limited further below the resolvers: by tenant, and
// to published events for anonymous callers.
const (
	// allowDirective and roleEnum are server-only: publicSchema hides them.
	allowDirective = "allow"
	roleEnum       = "AccessRole"
	// roleAnonymous is how @allow names a caller without an API key.
	roleAnonymous = "ANONYMOUS"
)

// roleBits are the roles @allow may name; a key whose role is not here is
// refused everything.
var roleBits = map[string]roleSet{
	roleAnonymous:              1 << 0,
	string(domain.RoleAdmin):   1 << 1,
	string(domain.RoleStaff):   1 << 2,
	string(domain.RoleCheckIn): 1 << 3,
}

// roleSet is a set of roles, one bit each (roleBits).
type roleSet uint8

// has reports whether role (empty for anonymous callers) is in s.
func (s roleSet) has(role domain.Role) bool {
	name := string(role)
	if role == "" {
		name = roleAnonymous
	}
	return s&roleBits[name] != 0
}

// Access is the permission table of a schema.
type Access struct {
	// roots are the names of the operation types (Query, Mutation,
	// Subscription): their fields are refused unless a rule allows them.
	roots  map[string]bool
	rootOf map[ast.Operation]string
	// fields maps "Type.field" to the roles that may use it.
	fields map[string]roleSet
	// nodes maps an object type to the roles node(id:) and nodes(ids:)
	// show it to; a type without a rule is shown to no one.
	nodes map[string]roleSet
}

// ReadAccess builds the permission table from the @allow directives of s.
// An @allow naming a role the server does not know is an error.
func ReadAccess(s *ast.Schema) (*Access, error) {
	a := &Access{roots: map[string]bool{}, rootOf: map[ast.Operation]string{}, fields: map[string]roleSet{}, nodes: map[string]roleSet{}}
	for op, root := range map[ast.Operation]*ast.Definition{ast.Query: s.Query, ast.Mutation: s.Mutation, ast.Subscription: s.Subscription} {
		if root != nil {
			a.roots[root.Name] = true
			a.rootOf[op] = root.Name
		}
	}
	for _, def := range s.Types {
		if d := def.Directives.ForName(allowDirective); d != nil {
			roles, err := readRoles(d)
			if err != nil {
				return nil, fmt.Errorf("type %s: %w", def.Name, err)
			}
			a.nodes[def.Name] = roles
		}
		for _, f := range def.Fields {
			if d := f.Directives.ForName(allowDirective); d != nil {
				roles, err := readRoles(d)
				if err != nil {
					return nil, fmt.Errorf("field %s.%s: %w", def.Name, f.Name, err)
				}
				a.fields[def.Name+"."+f.Name] = roles
			}
		}
	}
	return a, nil
}

// MustReadAccess is ReadAccess for the server's own schema, whose rules
// are checked by the tests: an error is a programming error.
func MustReadAccess(s *ast.Schema) *Access {
	a, err := ReadAccess(s)
	if err != nil {
		panic("graph: reading @allow: " + err.Error())
	}
	return a
}

func readRoles(d *ast.Directive) (roleSet, error) {
	arg := d.Arguments.ForName("roles")
	if arg == nil || arg.Value == nil || arg.Value.Kind != ast.ListValue {
		return 0, fmt.Errorf("@%s needs a list of roles", allowDirective)
	}
	var s roleSet
	for _, v := range arg.Value.Children {
		bit, ok := roleBits[v.Value.Raw]
		if v.Value.Kind != ast.EnumValue || !ok {
			return 0, fmt.Errorf("@%s names unknown role %s", allowDirective, v.Value.String())
		}
		s |= bit
	}
	return s, nil
}

// Allows reports whether a caller of role (empty for anonymous callers)
// may use the field typ.field: a root field only by a rule naming the
// role, any other field unless a rule leaves the role out. Introspection
// is open to everyone.
func (a *Access) Allows(role domain.Role, typ, field string) bool {
	if strings.HasPrefix(field, "__") {
		return true
	}
	roles, ruled := a.fields[typ+"."+field]
	if !ruled {
		return !a.roots[typ]
	}
	return roles.has(role)
}

// Shows reports whether node(id:) and nodes(ids:) show an object of type
// typ to a caller of role.
func (a *Access) Shows(role domain.Role, typ string) bool {
	return a.nodes[typ].has(role)
}

// denied is the error of a field the caller may not use.
func denied(p auth.Principal) *gqlerror.Error {
	if p.Anonymous() {
		return codedError(domain.CodeUnauthenticated, "this needs an API key (Authorization: Bearer <key>)")
	}
	return codedError(domain.CodeForbidden, "the API key's role may not do this")
}

type accessKey struct{}

// guardRoot refuses root fields outside the caller's role, and hands the
// table on to the resolvers (visible).
func (a *Access) guardRoot(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return next(ctx)
	}
	fc := graphql.GetRootFieldContext(ctx)
	if fc != nil && !a.Allows(p.Role, a.rootType(ctx), fc.Field.Name) {
		err := denied(p)
		err.Path = ast.Path{ast.PathName(fc.Field.Alias)}
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	return next(context.WithValue(ctx, accessKey{}, a))
}

// rootType names the root type of the operation in ctx (a root field's
// context names the field, not its type).
func (a *Access) rootType(ctx context.Context) string {
	return a.rootOf[graphql.GetOperationContext(ctx).Operation.Operation]
}

// guardField keeps limited callers out of the fields below the root that
// carry a rule: the lists hanging off the objects they may see (anonymous
// callers reach their own booking's tickets and payments, not an event's
// bookings; CHECKIN keys reach lists of tickets only).
func (a *Access) guardField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	// Most fields carry no directive at all: skip the lookup for them.
	if fc == nil || fc.Field.Definition == nil || len(fc.Field.Definition.Directives) == 0 || a.roots[fc.Object] {
		return next(ctx)
	}
	p, ok := auth.FromContext(ctx)
	if !ok || a.Allows(p.Role, fc.Object, fc.Field.Name) {
		return next(ctx)
	}
	return nil, denied(p)
}

// visible hides node(id:) results of types the caller may not look up.
func visible(ctx context.Context, typ string) bool {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return true
	}
	a, _ := ctx.Value(accessKey{}).(*Access)
	return a != nil && a.Shows(p.Role, typ)
}

// publicSchema is s without the server-only directive and enum, for
// introspection: a shallow copy sharing every other definition, so the
// fields of a validated query still carry their @allow.
func publicSchema(s *ast.Schema) *ast.Schema {
	pub := *s
	pub.Types = make(map[string]*ast.Definition, len(s.Types))
	for name, def := range s.Types {
		if name != roleEnum {
			pub.Types[name] = def
		}
	}
	pub.Directives = make(map[string]*ast.DirectiveDefinition, len(s.Directives))
	for name, d := range s.Directives {
		if name != allowDirective {
			pub.Directives[name] = d
		}
	}
	return &pub
}
