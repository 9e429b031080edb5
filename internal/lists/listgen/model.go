package listgen

import (
	"fmt"
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
	List         string // root list field ("events"), "" when none
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

// buildModel reads the Ent graph.
func buildModel(g *gen.Graph) ([]*entity, []*enumInfo, error) {
	byName := map[string]*entity{}
	var out []*entity
	for _, t := range g.Nodes {
		a := decode(t.Annotations)
		if a.Skip {
			continue
		}
		e := &entity{Name: t.Name, Pkg: t.Package(), Receiver: t.Receiver(), List: a.List, Listed: a.List != ""}
		byName[t.Name] = e
		out = append(out, e)
	}
	enums := map[string]*enumInfo{}
	for _, t := range g.Nodes {
		e := byName[t.Name]
		if e == nil {
			continue
		}
		e.Fields = append(e.Fields, &fieldInfo{GQL: "id", Go: "ID", Const: e.Pkg + ".FieldID", Column: "id", Type: "TypeID", Input: "IdOperationFilterInput", GoInput: "lists.IdOperationFilterInput"})
		for _, f := range t.Fields {
			a := decode(f.Annotations)
			if a.Skip || f.IsEdgeField() || f.Type.Type == field.TypeJSON {
				continue
			}
			fi := &fieldInfo{
				GQL: camel(f.Name), Go: pascal(f.Name), Const: e.Pkg + "." + f.Constant(), Column: f.StorageKey(),
				Nullable: f.Optional || f.Nillable, Scale: a.Scale, Money: a.Money,
			}
			switch {
			case a.Money:
				fi.Type, fi.Input = "TypeMoney", "DecimalOperationFilterInput"
				cur := a.CurrencyField
				if cur == "" {
					cur = "currency"
				}
				fi.Currency = e.Pkg + ".Field" + pascal(cur)
			case a.Scale > 0:
				fi.Type, fi.Input = "TypeScaled", "DecimalOperationFilterInput"
			case f.Type.Type == field.TypeString:
				fi.Type, fi.Input = "TypeString", "StringOperationFilterInput"
			case f.Type.Type == field.TypeBool:
				fi.Type, fi.Input = "TypeBool", "BooleanOperationFilterInput"
			case f.Type.Type == field.TypeTime:
				fi.Type, fi.Input = "TypeTime", "DateTimeOperationFilterInput"
			case f.Type.Type == field.TypeEnum:
				if f.Type.RType == nil {
					return nil, nil, fmt.Errorf("listgen: enum %s.%s needs a GoType", t.Name, f.Name)
				}
				name := f.Type.RType.Name
				en, ok := enums[name]
				if !ok {
					en = &enumInfo{Name: name, GoType: f.Type.String(), PkgPath: f.Type.RType.PkgPath}
					for _, v := range f.Enums {
						en.Values = append(en.Values, v.Value)
					}
					enums[name] = en
				}
				fi.Enum = en
				fi.Type, fi.Input = "TypeEnum", name+"OperationFilterInput"
			case f.Type.Type.Integer():
				fi.Type, fi.Input = "TypeInt", "IntOperationFilterInput"
			default:
				continue
			}
			if fi.Enum != nil {
				fi.GoInput = fi.Input
			} else {
				fi.GoInput = "lists." + fi.Input
			}
			e.Fields = append(e.Fields, fi)
		}
		order := a0(decode(t.Annotations).DefaultOrder, "created_at DESC")
		col, dir, _ := strings.Cut(order, " ")
		for _, fi := range e.Fields {
			if fi.Column == col {
				e.DefaultOrder = orderKey{Field: fi, Desc: strings.EqualFold(dir, "DESC")}
			}
		}
		if e.DefaultOrder.Field == nil {
			return nil, nil, fmt.Errorf("listgen: default order %q of %s names no field", order, t.Name)
		}
	}
	for _, t := range g.Nodes {
		e := byName[t.Name]
		if e == nil {
			continue
		}
		for _, ed := range t.Edges {
			target := byName[ed.Type.Name]
			a := decode(ed.Annotations)
			if target == nil || a.Skip {
				continue
			}
			ei := &edgeInfo{GQL: camel(ed.Name), Struct: ed.StructField(), Target: target, Optional: ed.Optional, Connection: a.Connection, name: ed.Name}
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
					for i, te := range ed.Type.Edges {
						if te == ed.Ref {
							ei.BackRef, ei.BackIndex = te.StructField(), i
						}
					}
				}
			case gen.M2M:
				ei.M2M = true
				ei.JoinTable = ed.Rel.Table
				ei.JoinParent, ei.JoinChild = ed.Rel.Columns[0], ed.Rel.Columns[1]
				if ed.IsInverse() {
					ei.JoinParent, ei.JoinChild = ed.Rel.Columns[1], ed.Rel.Columns[0]
				}
			}
			if ed.Unique {
				e.ToOne = append(e.ToOne, ei)
			} else {
				e.ToMany = append(e.ToMany, ei)
				if ei.Connection {
					target.Listed = true
				}
			}
		}
	}
	var enumList []*enumInfo
	for _, en := range enums {
		enumList = append(enumList, en)
	}
	sort.Slice(enumList, func(i, j int) bool { return enumList[i].Name < enumList[j].Name })
	return out, enumList, nil
}

func a0(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
