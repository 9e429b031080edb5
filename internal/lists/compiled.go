package lists

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"

	"seatgraph/internal/config"
)

// The list compiler answers a root list field (a cursor connection or an
// offset segment) with one SQL statement: the database builds the whole
// field as JSON (rows, nested to-one and to-many edges with their own
// where/order/first, counts and page bounds) and Compiled.MarshalGQL turns
// it into the response, formatting in Go only the leaves the databases
// cannot write identically (IDs, DateTime, Money, localized enums, cursors).
// A field whose resolver needs Go runs that resolver (GoField). Anything
// else it does not know (a field resolved into an object, a JSON column,
// an argument that fails validation, a field the caller's role may not use)
// makes Compile decline, and the field is answered the ordinary way
// (docs/architecture.md, "Compiled lists").

// Leaf is a GraphQL field of an entity read from stored columns only.
type Leaf struct {
	Type   Type
	Column string
	// Currency is the currency column of a TypeMoney leaf.
	Currency string
	// Localized names the enum type of a *Localized field (domain.Localized).
	Localized string
}

// ToOne is a to-one edge: the neighbour is the Target row whose Remote
// column equals this row's Local column.
type ToOne struct {
	Target        string
	Local, Remote string
}

// ToMany is a to-many edge, a connection or a plain list: children hold FK,
// or the join table links parents (JoinParent) to children (JoinChild).
type ToMany struct {
	Target                           string
	Connection                       bool
	FK                               string
	JoinTable, JoinParent, JoinChild string
}

// Entity describes one Ent type to the compiler; listgen generates it.
type Entity struct {
	Name   string
	Leaves map[string]Leaf
	ToOne  map[string]ToOne
	ToMany map[string]ToMany
	// Base returns the selector of the entity's rows as its Ent query reads
	// them, with the table aliased: the query has gone through the client's
	// interceptors, so every part of a compiled statement carries the same
	// tenant (and publication) predicates as the ordinary path.
	Base func(ctx context.Context, alias string) (*sql.Selector, error)
	// Args decodes where and order (nil: no filter, the default order) and
	// the cursor arguments of a list of the entity.
	Args func(ctx context.Context, a Args) (Predicate, Order, CursorArgs, error)
	// Load reads the rows of ids (with the named to-one edges) as the
	// client's entities, by id, for the fields answered in Go.
	Load func(ctx context.Context, ids []int, edges []string) (map[int]any, error)
	// Run executes a compiled statement as a query of the entity, under
	// the client's interceptors: those that wrap execution (the booking
	// engine's expiry of due holds before a read) run as for any read.
	Run func(ctx context.Context, query string, args []any, rows *sql.Rows) error
}

// GoField is a field whose resolver needs Go ("Booking.balanceDue"): the
// compiled statement answers everything around it, and the field is
// resolved per object from the entity loaded by id (Entity.Load, one query
// per entity type and request), so one such field does not send the whole
// list back to the resolvers.
type GoField struct {
	// Edges are the to-one edges the resolver reads, loaded with the rows.
	Edges []string
	// Resolve is the field's resolver over the entity (*ent.Booking ...);
	// its value is an Int, String, Boolean, Decimal or Money.
	Resolve func(ctx context.Context, obj any) (any, error)
}

// Root is a root list field of an entity.
type Root struct {
	Entity  string
	Segment bool
}

// Catalog is what the compiler knows of a client's entities.
type Catalog struct {
	Dialect  string
	Entities map[string]*Entity
	Roots    map[string]Root
	// Time writes a DateTime as the schema's scalar does; Compile declines
	// while it is nil.
	Time func(time.Time) graphql.Marshaler
	// Go are the fields answered in Go, by "Type.field".
	Go map[string]GoField
	// Scope names what of the caller's context shapes a statement besides
	// the operation: the tenant and the role, which the interceptors and
	// Allowed read. ok is false where plans must not be reused.
	Scope func(ctx context.Context) (scope string, ok bool)

	plans *lru.Cache[planKey, *plan]
}

// planKey is everything a plan is made from: the operation (document,
// operation name, the field's place in it, the variables), the caller's
// scope and the server's page limits. Two requests with the same key get
// the same statement and arguments, so the plan of the first serves both.
type planKey struct {
	doc, op, vars, scope string
	offset               int
	pageSize, maxPage    int
}

// plan is a planned field (nil conn: declined).
type plan struct {
	conn  *connPlan
	query string
	args  []any
}

// CachePlans keeps the plans of the last n distinct fields, so that a
// repeated query (a booking page polling, a dashboard) is not planned and
// built again; building the statement with the SQL builder was a sixth of
// a request's CPU. Call it before serving.
func (c *Catalog) CachePlans(n int) {
	c.plans, _ = lru.New[planKey, *plan](n)
}

// key returns f's plan key; ok is false when f's plan must not be reused.
func (c *Catalog) key(ctx context.Context, oc *graphql.OperationContext, f graphql.CollectedField) (planKey, bool) {
	if c.plans == nil || c.Scope == nil || oc.RawQuery == "" || f.Position == nil {
		return planKey{}, false
	}
	scope, ok := c.Scope(ctx)
	if !ok {
		return planKey{}, false
	}
	vars, err := json.Marshal(oc.Variables) // map keys sorted: canonical
	if err != nil {
		return planKey{}, false
	}
	l := config.From(ctx)
	return planKey{doc: oc.RawQuery, op: oc.OperationName, vars: string(vars), scope: scope,
		offset: f.Position.Start, pageSize: l.PageSize, maxPage: l.MaxPageSize}, true
}

// Allowed reports whether the caller may use typ.field (the @allow rules of
// fields below the root); nil allows everything.
type Allowed func(typ, field string) bool

// Compile plans the root list field f; ok is false when the field is not a
// list root or its selection or arguments need the ordinary path.
func (c *Catalog) Compile(ctx context.Context, f graphql.CollectedField, allowed Allowed) (*Compiled, bool) {
	root, ok := c.Roots[f.Name]
	if !ok || c.Time == nil || !graphql.HasOperationContext(ctx) {
		return nil, false
	}
	e := c.Entities[root.Entity]
	if e == nil {
		return nil, false
	}
	oc := graphql.GetOperationContext(ctx)
	key, reuse := c.key(ctx, oc, f)
	if reuse {
		if pl, ok := c.plans.Get(key); ok {
			return pl.compiled(c)
		}
	}
	pl := &plan{}
	p := &planner{c: c, ctx: ctx, oc: oc, allowed: allowed}
	if conn, ok := p.connection(e, f, root.Segment); ok {
		if query, args, ok := p.statement(conn); ok {
			pl = &plan{conn: conn, query: query, args: args}
		}
	}
	if reuse {
		c.plans.Add(key, pl)
	}
	return pl.compiled(c)
}

// compiled is a run of pl; a plan is only read once made, so runs share it.
func (pl *plan) compiled(c *Catalog) (*Compiled, bool) {
	if pl.conn == nil {
		return nil, false
	}
	return &Compiled{cat: c, conn: pl.conn, query: pl.query, args: pl.args}, true
}

// fieldKind is how one selected field of an object is answered.
type fieldKind uint8

const (
	fTypename fieldKind = iota
	fLeaf
	fToOne
	fList
	fConn
	fGo
)

// outField is one selected field of an object, in selection order; slot is
// its place in the row array the database returns (-1: none).
type outField struct {
	alias string
	kind  fieldKind
	leaf  Leaf
	slot  int
	sub   []graphql.CollectedField // Money's own selection
	node  *nodePlan                // to-one and list elements
	conn  *connPlan
	one   ToOne
	many  ToMany
	// nonNull is a to-one edge the schema declares non-null: when the
	// neighbour is not visible the ordinary path reports an error, so the
	// compiled answer is refused.
	nonNull bool
	// order is the order of a plain list (the target's default).
	order Order
	gf    GoField
}

// nodePlan is the selection on objects of one entity.
type nodePlan struct {
	ent    *Entity
	fields []outField
	slots  int
	// idSlot holds the row's id when a field is answered in Go (-1: none).
	idSlot int
	edges  []string
}

// connPart is one selected field of a connection or segment.
type connPart struct {
	alias string
	name  string                   // edges, nodes, items, pageInfo, totalCount, __typename
	sub   []graphql.CollectedField // edges' and pageInfo's own selection
}

// connPlan is a connection or segment field with its arguments.
type connPlan struct {
	ent     *Entity
	typ     string // BookingConnection, BookingCollectionSegment
	segment bool
	where   Predicate
	order   Order
	w       window
	skip    int
	node    *nodePlan
	parts   []connPart
	// What the statement must compute besides the rows.
	total, prev, next bool
}

type planner struct {
	c       *Catalog
	ctx     context.Context
	oc      *graphql.OperationContext
	allowed Allowed
	aliases int
}

func (p *planner) allows(typ, field string) bool {
	return p.allowed == nil || p.allowed(typ, field)
}

// connection plans a connection (or segment) field f of entity e.
func (p *planner) connection(e *Entity, f graphql.CollectedField, segment bool) (*connPlan, bool) {
	args := ArgsOf(p.ctx, f)
	where, order, cargs, err := e.Args(p.ctx, args)
	if err != nil {
		return nil, false
	}
	cp := &connPlan{ent: e, segment: segment, where: where, order: order, typ: e.Name + "Connection"}
	if segment {
		cp.typ = e.Name + "CollectionSegment"
		skip, err1 := intArg(args, "skip")
		take, err2 := intArg(args, "take")
		if err1 != nil || err2 != nil {
			return nil, false
		}
		l := config.From(p.ctx)
		if CheckSize("take", take, l) != nil || (skip != nil && *skip < 0) {
			return nil, false
		}
		cp.w.size = l.PageSize
		if take != nil {
			cp.w.size = *take
		}
		if skip != nil {
			cp.skip = *skip
		}
	} else if cp.w, err = order.window(p.ctx, cargs); err != nil {
		return nil, false
	}
	nodeSel := map[string]bool{}
	for _, c := range graphql.CollectFields(p.oc, f.Selections, []string{cp.typ}) {
		if !p.allows(cp.typ, c.Name) {
			return nil, false
		}
		part := connPart{alias: c.Alias, name: c.Name}
		switch c.Name {
		case "__typename":
		case "totalCount":
			cp.total = true
		case "nodes", "items":
			nodeSel[c.Name] = true
		case "edges":
			part.sub = graphql.CollectFields(p.oc, c.Selections, []string{e.Name + "Edge"})
			for _, ec := range part.sub {
				switch ec.Name {
				case "node", "cursor", "__typename":
				default:
					return nil, false
				}
			}
		case "pageInfo":
			info := "PageInfo"
			if segment {
				info = "CollectionSegmentInfo"
			}
			part.sub = graphql.CollectFields(p.oc, c.Selections, []string{info})
			for _, ic := range part.sub {
				switch ic.Name {
				case "hasNextPage":
					cp.next = true
				case "hasPreviousPage":
					cp.prev = true
				case "startCursor", "endCursor", "__typename":
				default:
					return nil, false
				}
			}
		default:
			return nil, false
		}
		cp.parts = append(cp.parts, part)
	}
	// Every nodes, items and edges.node selection is one node selection:
	// the same rows, read once with all of their fields.
	sel := ConnectionSelection(p.ctx, f, e.Name)
	node, ok := p.node(e, sel)
	if !ok {
		return nil, false
	}
	cp.node = node
	return cp, true
}

// node plans a selection on objects of entity e.
func (p *planner) node(e *Entity, sel []graphql.CollectedField) (*nodePlan, bool) {
	n := &nodePlan{ent: e, idSlot: -1}
	for _, f := range sel {
		if !p.allows(e.Name, f.Name) {
			return nil, false
		}
		of := outField{alias: f.Alias, slot: -1}
		if f.Name == "__typename" {
			of.kind = fTypename
			n.fields = append(n.fields, of)
			continue
		}
		of.slot = n.slots
		if l, ok := e.Leaves[f.Name]; ok {
			of.kind, of.leaf = fLeaf, l
			if l.Type == TypeMoney {
				of.sub = graphql.CollectFields(p.oc, f.Selections, []string{"Money"})
				for _, m := range of.sub {
					switch m.Name {
					case "amount", "currency", "formatted", "__typename":
					default:
						return nil, false
					}
				}
			}
		} else if t, ok := e.ToOne[f.Name]; ok {
			te := p.c.Entities[t.Target]
			if te == nil {
				return nil, false
			}
			sub, ok := p.node(te, Selection(p.ctx, f, te.Name))
			if !ok {
				return nil, false
			}
			of.kind, of.node, of.one = fToOne, sub, t
			of.nonNull = f.Definition != nil && f.Definition.Type.NonNull
		} else if m, ok := e.ToMany[f.Name]; ok {
			te := p.c.Entities[m.Target]
			if te == nil {
				return nil, false
			}
			if m.Connection {
				cp, ok := p.connection(te, f, false)
				if !ok {
					return nil, false
				}
				of.kind, of.conn, of.many = fConn, cp, m
			} else {
				sub, ok := p.node(te, Selection(p.ctx, f, te.Name))
				if !ok {
					return nil, false
				}
				_, order, _, err := te.Args(p.ctx, nil)
				if err != nil {
					return nil, false
				}
				of.kind, of.node, of.many, of.order = fList, sub, m, order
			}
		} else if gf, ok := p.c.Go[e.Name+"."+f.Name]; ok && f.Definition != nil && e.Load != nil {
			switch f.Definition.Type.Name() {
			case "Money":
				of.sub = graphql.CollectFields(p.oc, f.Selections, []string{"Money"})
			case "Int", "String", "Boolean", "Decimal":
			default:
				return nil, false
			}
			of.kind, of.gf, of.slot = fGo, gf, -1
			n.fields = append(n.fields, of)
			for _, ed := range gf.Edges {
				if !slices.Contains(n.edges, ed) {
					n.edges = append(n.edges, ed)
				}
			}
			if n.idSlot < 0 {
				n.idSlot = n.slots
				n.slots++
			}
			continue
		} else {
			return nil, false
		}
		n.slots++
		n.fields = append(n.fields, of)
	}
	return n, true
}
