package listgen

import (
	"fmt"
	"seatgraph/internal/lists"
	"sort"
	"strings"

	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"
)

// entity is what the generator needs to know of one Ent type.
type entity struct {
	Name         string // Go and GraphQL type name: "Event"
	Pkg          string // Ent package: "event"
	Receiver     string
	List         string   // root list field ("events"), "" when none
	Roles        []string // who may call the root list fields (@allow)
	DefaultOrder orderKey
	Fields       []*fieldInfo
	ToOne        []*edgeInfo
	ToMany       []*edgeInfo
	Listed       bool // needs connection types (root list or connection edge target)
}

// HasMoney reports whether a field of e is Money, so its file imports money.
func (e *entity) HasMoney() bool {
	for _, f := range e.Fields {
		if f.Money {
			return true
		}
	}
	return false
}

type orderKey struct {
	Field *fieldInfo
	Desc  bool
}

type fieldInfo struct {
	GQL      string // "startsAt"
	Go       string // Go name in inputs: "StartsAt"
	Const    string // "event.FieldStartsAt"
	Type     string // lists.Type constant name
	Input    string // GraphQL operation input type
	GoInput  string // Go operation input type
	Nullable bool
	Enum     *enumInfo
	Scale    int
	Money    bool
	Currency string // const of the currency column
	Column   string
}

type enumInfo struct {
	Name    string // GraphQL name: "EventStatus"
	GoType  string // "domain.EventStatus"
	PkgPath string // package of GoType: "seatgraph/internal/domain"
	Values  []string
}

type edgeInfo struct {
	GQL        string // "ticketCategory"
	Struct     string // Ent struct field: "TicketCategory"
	Target     *entity
	Optional   bool
	Connection bool
	Roles      []string // who may read the connection field (@allow)
	M2M        bool
	// to-one: the neighbour is the Table row whose Column equals Local.
	HopTable, HopColumn, HopLocal string
	// to-many: foreign key on the child table, or the join table.
	FK                               string
	JoinTable, JoinParent, JoinChild string
	// BackRef is the children's to-one edge back to the parent (O2M), set
	// on loaded children so they need no query to reach it; BackIndex is
	// its position among the child type's edges.
	BackRef   string
	BackIndex int
	name      string // Ent edge name
}

// camel turns an Ent snake_case name into the GraphQL name: online_url is onlineUrl.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func pascal(s string) string {
	c := camel(s)
	return strings.ToUpper(c[:1]) + c[1:]
}

// modelBuilder reads the Ent graph in passes: the entities first, so fields
// and edges can refer to any of them, then the fields of each (which
// collect the enums), then the edges (which mark connection targets).
type modelBuilder struct {
	byName map[string]*entity
	enums  map[string]*enumInfo
}

// buildModel reads the Ent graph.
func buildModel(g *gen.Graph) ([]*entity, []*enumInfo, error) {
	b := &modelBuilder{byName: map[string]*entity{}, enums: map[string]*enumInfo{}}
	out := b.entities(g)
	for _, t := range g.Nodes {
		if e := b.byName[t.Name]; e != nil {
			if err := b.fields(t, e); err != nil {
				return nil, nil, err
			}
		}
	}
	for _, t := range g.Nodes {
		if e := b.byName[t.Name]; e != nil {
			b.edges(t, e)
		}
	}
	return out, b.sortedEnums(), nil
}

// entities registers every type not skipped, in the graph's order.
func (b *modelBuilder) entities(g *gen.Graph) []*entity {
	var out []*entity
	for _, t := range g.Nodes {
		a := decode(t.Annotations)
		if a.Skip {
			continue
		}
		e := &entity{Name: t.Name, Pkg: t.Package(), Receiver: t.Receiver(), List: a.List, Roles: a.Roles, Listed: a.List != ""}
		b.byName[t.Name] = e
		out = append(out, e)
	}
	return out
}

// fields reads the id and the stored fields of t in schema order, then the
// default order, which must name one of them.
func (b *modelBuilder) fields(t *gen.Type, e *entity) error {
	e.Fields = append(e.Fields, &fieldInfo{GQL: "id", Go: "ID", Const: e.Pkg + ".FieldID", Column: "id", Type: "TypeID", Input: "IdOperationFilterInput", GoInput: "lists.IdOperationFilterInput"})
	for _, f := range t.Fields {
		a := decode(f.Annotations)
		if a.Skip || f.IsEdgeField() || f.Type.Type == field.TypeJSON {
			continue
		}
		fi, ok, err := b.field(t, e, f, a)
		if err != nil {
			return err
		}
		if ok {
			e.Fields = append(e.Fields, fi)
		}
	}
	return defaultOrder(t, e)
}

// field describes one stored field; ok is false for a type the list API
// does not filter (bytes, floats, UUIDs ...).
func (b *modelBuilder) field(t *gen.Type, e *entity, f *gen.Field, a lists.Annotation) (fi *fieldInfo, ok bool, err error) {
	fi = &fieldInfo{
		GQL: camel(f.Name), Go: pascal(f.Name), Const: e.Pkg + "." + f.Constant(), Column: f.StorageKey(),
		Nullable: f.Optional || f.Nillable, Scale: a.Scale, Money: a.Money,
	}
	switch {
	case a.Money:
		fi.Type, fi.Input = "TypeMoney", "DecimalOperationFilterInput"
		fi.Currency = e.Pkg + ".Field" + pascal(a0(a.CurrencyField, "currency"))
	case a.Scale > 0:
		fi.Type, fi.Input = "TypeScaled", "DecimalOperationFilterInput"
	case f.Type.Type == field.TypeString:
		fi.Type, fi.Input = "TypeString", "StringOperationFilterInput"
	case f.Type.Type == field.TypeBool:
		fi.Type, fi.Input = "TypeBool", "BooleanOperationFilterInput"
	case f.Type.Type == field.TypeTime:
		fi.Type, fi.Input = "TypeTime", "DateTimeOperationFilterInput"
	case f.Type.Type == field.TypeEnum:
		if fi.Enum, err = b.enum(t, f); err != nil {
			return nil, false, err
		}
		fi.Type, fi.Input = "TypeEnum", fi.Enum.Name+"OperationFilterInput"
	case f.Type.Type.Integer():
		fi.Type, fi.Input = "TypeInt", "IntOperationFilterInput"
	default:
		return nil, false, nil
	}
	// The enum inputs are generated into package ent; the others are the
	// runtime's.
	if fi.Enum != nil {
		fi.GoInput = fi.Input
	} else {
		fi.GoInput = "lists." + fi.Input
	}
	return fi, true, nil
}

// enum returns the enum of an enum field, registering it the first time:
// fields sharing a Go type share one GraphQL enum and one input.
func (b *modelBuilder) enum(t *gen.Type, f *gen.Field) (*enumInfo, error) {
	if f.Type.RType == nil {
		return nil, fmt.Errorf("listgen: enum %s.%s needs a GoType", t.Name, f.Name)
	}
	name := f.Type.RType.Name
	if en, ok := b.enums[name]; ok {
		return en, nil
	}
	en := &enumInfo{Name: name, GoType: f.Type.String(), PkgPath: f.Type.RType.PkgPath}
	for _, v := range f.Enums {
		en.Values = append(en.Values, v.Value)
	}
	b.enums[name] = en
	return en, nil
}

// defaultOrder reads the DefaultOrder annotation ("column [ASC|DESC]").
func defaultOrder(t *gen.Type, e *entity) error {
	order := a0(decode(t.Annotations).DefaultOrder, "created_at DESC")
	col, dir, _ := strings.Cut(order, " ")
	for _, fi := range e.Fields {
		if fi.Column == col {
			e.DefaultOrder = orderKey{Field: fi, Desc: strings.EqualFold(dir, "DESC")}
		}
	}
	if e.DefaultOrder.Field == nil {
		return fmt.Errorf("listgen: default order %q of %s names no field", order, t.Name)
	}
	return nil
}

// edges reads the edges of t to entities not skipped; a connection edge
// makes its target Listed, for it needs the connection types.
func (b *modelBuilder) edges(t *gen.Type, e *entity) {
	for _, ed := range t.Edges {
		target := b.byName[ed.Type.Name]
		a := decode(ed.Annotations)
		if target == nil || a.Skip {
			continue
		}
		ei := &edgeInfo{GQL: camel(ed.Name), Struct: ed.StructField(), Target: target, Optional: ed.Optional, Connection: a.Connection, Roles: a.Roles, name: ed.Name}
		relation(ei, ed)
		if ed.Unique {
			e.ToOne = append(e.ToOne, ei)
			continue
		}
		e.ToMany = append(e.ToMany, ei)
		if ei.Connection {
			target.Listed = true
		}
	}
}

// relation sets how SQL reaches the neighbours of ed: the hop of a to-one
// edge, the foreign key (and back reference) of an O2M one, the join table
// of an M2M one.
func relation(ei *edgeInfo, ed *gen.Edge) {
	switch ed.Rel.Type {
	case gen.M2O:
		ei.HopTable, ei.HopColumn, ei.HopLocal = ed.Type.Table(), "id", ed.Rel.Column()
	case gen.O2O:
		if ed.OwnFK() {
			ei.HopTable, ei.HopColumn, ei.HopLocal = ed.Type.Table(), "id", ed.Rel.Column()
		} else {
			ei.HopTable, ei.HopColumn, ei.HopLocal = ed.Type.Table(), ed.Rel.Column(), "id"
		}
	case gen.O2M:
		ei.FK = ed.Rel.Column()
		if ed.Ref != nil && ed.Ref.Unique {
			ei.BackRef, ei.BackIndex = backRef(ed)
		}
	case gen.M2M:
		ei.M2M = true
		ei.JoinTable = ed.Rel.Table
		ei.JoinParent, ei.JoinChild = ed.Rel.Columns[0], ed.Rel.Columns[1]
		if ed.IsInverse() {
			ei.JoinParent, ei.JoinChild = ed.Rel.Columns[1], ed.Rel.Columns[0]
		}
	}
}

// backRef returns the struct field and the position among the child's edges
// of the to-one edge back from the children of an O2M edge.
func backRef(ed *gen.Edge) (string, int) {
	var (
		name  string
		index int
	)
	for i, te := range ed.Type.Edges {
		if te == ed.Ref {
			name, index = te.StructField(), i
		}
	}
	return name, index
}

// sortedEnums returns the enums by name, so the output does not follow map
// order.
func (b *modelBuilder) sortedEnums() []*enumInfo {
	var out []*enumInfo
	for _, en := range b.enums {
		out = append(out, en)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func a0(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
