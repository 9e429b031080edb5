package lists

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"

	"seatgraph/internal/domain"
	"seatgraph/internal/gid"
	"seatgraph/internal/money"
)

// Compiled is a planned root list field.
type Compiled struct {
	cat   *Catalog
	conn  *connPlan
	query string
	args  []any
	out   *bytes.Buffer
}

// Statement returns the SQL and its arguments (for tests and logs).
func (c *Compiled) Statement() (string, []any) { return c.query, c.args }

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// errShape means the database's answer is not what the plan expects: the
// caller answers the field the ordinary way (and says so in its log).
var errShape = errors.New("lists: the compiled statement's answer does not fit its plan")

// ErrRefused means the answer holds what the ordinary path answers with an
// error (a non-null neighbour out of sight, a failing resolver of a field
// answered in Go): the caller answers the field the ordinary way, which
// reports it.
var ErrRefused = errors.New("lists: compiled answer refused")

// Run executes the statement and renders the field's response. On an error
// nothing is written and the field can still be answered the ordinary way.
func (c *Compiled) Run(ctx context.Context) error {
	rows := &sql.Rows{}
	if err := c.conn.ent.Run(ctx, c.query, c.args, rows); err != nil {
		return err
	}
	var raw []byte
	found := false
	for rows.Next() {
		if err := rows.Scan(&raw); err != nil {
			rows.Close()
			return err
		}
		found = true
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !found {
		return errShape
	}
	v, rest, err := parseJSON(raw)
	if err != nil || len(bytes.TrimSpace(rest)) != 0 {
		return errShape
	}
	loaded, err := c.load(ctx, v)
	if err != nil {
		return err
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	r := renderer{ctx: ctx, cat: c.cat, w: buf, loaded: loaded}
	if err := r.conn(c.conn, v); err != nil {
		bufPool.Put(buf)
		return err
	}
	c.out = buf
	return nil
}

// loadSet is what one entity type needs loaded for its fields answered in Go.
type loadSet struct {
	ids   []int
	edges []string
}

// load reads the entities whose fields are answered in Go, one query per
// entity type.
func (c *Compiled) load(ctx context.Context, v jval) (map[*Entity]map[int]any, error) {
	sets := map[*Entity]*loadSet{}
	if err := collectConn(c.conn, v, sets); err != nil {
		return nil, err
	}
	if len(sets) == 0 {
		return nil, nil
	}
	out := make(map[*Entity]map[int]any, len(sets))
	for e, set := range sets {
		rows, err := e.Load(ctx, set.ids, set.edges)
		if err != nil {
			return nil, err
		}
		out[e] = rows
	}
	return out, nil
}

func collectConn(cp *connPlan, v jval, sets map[*Entity]*loadSet) error {
	if v.k != '[' || len(v.arr) != 4 || v.arr[0].k != '[' {
		return errShape
	}
	for _, row := range v.arr[0].arr {
		if err := collectNode(cp.node, row, sets); err != nil {
			return err
		}
	}
	return nil
}

func collectNode(np *nodePlan, v jval, sets map[*Entity]*loadSet) error {
	if v.k != '[' || len(v.arr) < np.slots {
		return errShape
	}
	if np.idSlot >= 0 {
		id, err := v.arr[np.idSlot].int()
		if err != nil {
			return err
		}
		set := sets[np.ent]
		if set == nil {
			set = &loadSet{}
			sets[np.ent] = set
		}
		set.ids = append(set.ids, int(id))
		for _, ed := range np.edges {
			if !slices.Contains(set.edges, ed) {
				set.edges = append(set.edges, ed)
			}
		}
	}
	for _, f := range np.fields {
		if f.slot < 0 {
			continue
		}
		x := v.arr[f.slot]
		switch f.kind {
		case fToOne:
			if x.k != 'n' {
				if err := collectNode(f.node, x, sets); err != nil {
					return err
				}
			}
		case fList:
			for _, e := range x.arr {
				if err := collectNode(f.node, e, sets); err != nil {
					return err
				}
			}
		case fConn:
			if err := collectConn(f.conn, x, sets); err != nil {
				return err
			}
		}
	}
	return nil
}

// MarshalGQL writes the rendered field.
func (c *Compiled) MarshalGQL(w io.Writer) {
	if c.out == nil {
		_, _ = io.WriteString(w, "null")
		return
	}
	_, _ = w.Write(c.out.Bytes())
	if c.out.Cap() <= 1<<20 {
		bufPool.Put(c.out)
	}
	c.out = nil
}

// jval is a parsed JSON value: 'n' null, 't' true, 'f' false, '0' a
// number (raw), 's' a string (unescaped), '[' an array.
type jval struct {
	k   byte
	raw []byte
	arr []jval
}

// parseJSON reads one JSON value of the statement's answer.
func parseJSON(b []byte) (jval, []byte, error) {
	var p jsonParser
	return p.value(b)
}

// jsonParser keeps the elements of the arrays being read on one stack and
// hands each finished array its elements from a shared slab: one
// allocation per many arrays, not a growing slice per array.
type jsonParser struct {
	stack []jval
	slab  []jval
}

func (p *jsonParser) take(elems []jval) []jval {
	n := len(elems)
	if n > len(p.slab) {
		p.slab = make([]jval, max(n, 1024))
	}
	out := p.slab[:n:n]
	p.slab = p.slab[n:]
	copy(out, elems)
	return out
}

func (p *jsonParser) value(b []byte) (jval, []byte, error) {
	b = skipSpace(b)
	if len(b) == 0 {
		return jval{}, b, errShape
	}
	switch c := b[0]; {
	case c == 'n' && bytes.HasPrefix(b, []byte("null")):
		return jval{k: 'n'}, b[4:], nil
	case c == 't' && bytes.HasPrefix(b, []byte("true")):
		return jval{k: 't'}, b[4:], nil
	case c == 'f' && bytes.HasPrefix(b, []byte("false")):
		return jval{k: 'f'}, b[5:], nil
	case c == '"':
		return parseString(b)
	case c == '[':
		b = skipSpace(b[1:])
		if len(b) > 0 && b[0] == ']' {
			return jval{k: '[', arr: []jval{}}, b[1:], nil
		}
		base := len(p.stack)
		for {
			x, rest, err := p.value(b)
			if err != nil {
				return jval{}, rest, err
			}
			p.stack = append(p.stack, x)
			rest = skipSpace(rest)
			if len(rest) == 0 {
				return jval{}, rest, errShape
			}
			if rest[0] == ']' {
				v := jval{k: '[', arr: p.take(p.stack[base:])}
				p.stack = p.stack[:base]
				return v, rest[1:], nil
			}
			if rest[0] != ',' {
				return jval{}, rest, errShape
			}
			b = rest[1:]
		}
	case c == '-' || (c >= '0' && c <= '9'):
		i := 1
		for i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] == '.' || b[i] == 'e' || b[i] == 'E' || b[i] == '+' || b[i] == '-') {
			i++
		}
		return jval{k: '0', raw: b[:i]}, b[i:], nil
	}
	return jval{}, b, errShape
}

func skipSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\n' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}

// parseString reads a JSON string; without escapes it is the input itself.
func parseString(b []byte) (jval, []byte, error) {
	i := 1
	for i < len(b) && b[i] != '"' && b[i] != '\\' {
		i++
	}
	if i < len(b) && b[i] == '"' {
		return jval{k: 's', raw: b[1:i]}, b[i+1:], nil
	}
	out := append([]byte(nil), b[1:i]...)
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			return jval{k: 's', raw: out}, b[i+1:], nil
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(b) {
			return jval{}, b, errShape
		}
		switch e := b[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, n := hex4(b[i+2:])
			if n == 0 {
				return jval{}, b, errShape
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2, n2 := rune(-1), 0
				if len(b) > i+3 && b[i+2] == '\\' && b[i+3] == 'u' {
					r2, n2 = hex4(b[i+4:])
				}
				if dec := utf16.DecodeRune(r, r2); n2 != 0 && dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return jval{}, b, errShape
		}
		i += 2
	}
	return jval{}, b, errShape
}

func hex4(b []byte) (rune, int) {
	if len(b) < 4 {
		return 0, 0
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 16)
	if err != nil {
		return 0, 0
	}
	return rune(v), 4
}

// goValue turns a key value of the JSON into what the driver would have
// returned, for normalize.
func (v jval) goValue(t Type) (any, error) {
	switch v.k {
	case 'n':
		return nil, nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case 's':
		return string(v.raw), nil
	case '0':
		if t == TypeFloat {
			return strconv.ParseFloat(string(v.raw), 64)
		}
		return strconv.ParseInt(string(v.raw), 10, 64)
	}
	return nil, errShape
}

func (v jval) int() (int64, error) {
	if v.k != '0' {
		return 0, errShape
	}
	return strconv.ParseInt(string(v.raw), 10, 64)
}

// truth reads a boolean: PostgreSQL writes true/false, SQLite 1/0.
func (v jval) truth() (bool, error) {
	switch {
	case v.k == 't':
		return true, nil
	case v.k == 'f':
		return false, nil
	case v.k == '0':
		n, err := v.int()
		return n != 0, err
	}
	return false, errShape
}

// renderer writes the response of a compiled field with the marshalers of
// the ordinary path, so both write the same bytes.
type renderer struct {
	ctx    context.Context
	cat    *Catalog
	w      *bytes.Buffer
	loaded map[*Entity]map[int]any
}

func (r *renderer) key(i int, alias string) {
	if i > 0 {
		r.w.WriteByte(',')
	}
	r.w.WriteByte('"')
	r.w.WriteString(alias)
	r.w.WriteString(`":`)
}

func (r *renderer) str(s string) { graphql.MarshalString(s).MarshalGQL(r.w) }

func (r *renderer) boolean(b bool) {
	if b {
		r.w.WriteString("true")
	} else {
		r.w.WriteString("false")
	}
}

func (r *renderer) conn(cp *connPlan, v jval) error {
	if v.k != '[' || len(v.arr) != 4 || v.arr[0].k != '[' {
		return errShape
	}
	rows := v.arr[0].arr
	more := len(rows) > cp.w.size
	if more {
		rows = rows[:cp.w.size]
	}
	if cp.w.backward {
		rows = slices.Clone(rows)
		slices.Reverse(rows)
	}
	var cursors []string
	cursor := func(i int) (string, error) {
		if cursors == nil {
			cursors = make([]string, len(rows))
			for j, row := range rows {
				if len(row.arr) != cp.node.slots+len(cp.order.Keys) {
					return "", errShape
				}
				vals := make([]any, len(cp.order.Keys))
				for n, k := range cp.order.Keys {
					x, err := row.arr[cp.node.slots+n].goValue(k.Type)
					if err != nil {
						return "", err
					}
					if vals[n], err = normalize(k.Type, x); err != nil {
						return "", err
					}
				}
				cursors[j] = cp.order.encodeCursor(vals)
			}
		}
		return cursors[i], nil
	}
	prevSeen, nextSeen := v.arr[2], v.arr[3]
	r.w.WriteByte('{')
	for i, part := range cp.parts {
		r.key(i, part.alias)
		switch part.name {
		case "__typename":
			r.str(cp.typ)
		case "totalCount":
			n, err := v.arr[1].int()
			if err != nil {
				return err
			}
			r.w.WriteString(strconv.FormatInt(n, 10))
		case "nodes", "items":
			r.w.WriteByte('[')
			for j, row := range rows {
				if j > 0 {
					r.w.WriteByte(',')
				}
				if err := r.node(cp.node, row); err != nil {
					return err
				}
			}
			r.w.WriteByte(']')
		case "edges":
			r.w.WriteByte('[')
			for j, row := range rows {
				if j > 0 {
					r.w.WriteByte(',')
				}
				r.w.WriteByte('{')
				for n, ef := range part.sub {
					r.key(n, ef.Alias)
					switch ef.Name {
					case "__typename":
						r.str(cp.ent.Name + "Edge")
					case "cursor":
						c, err := cursor(j)
						if err != nil {
							return err
						}
						r.str(c)
					case "node":
						if err := r.node(cp.node, row); err != nil {
							return err
						}
					}
				}
				r.w.WriteByte('}')
			}
			r.w.WriteByte(']')
		case "pageInfo":
			if err := r.pageInfo(cp, part, len(rows), more, prevSeen, nextSeen, cursor); err != nil {
				return err
			}
		}
	}
	r.w.WriteByte('}')
	return nil
}

// pageInfo answers pageInfo as Paginate and Offset do.
func (r *renderer) pageInfo(cp *connPlan, part connPart, n int, more bool, prevSeen, nextSeen jval, cursor func(int) (string, error)) error {
	var hasPrev, hasNext bool
	var err error
	seen := func(v jval) bool {
		b, e := v.truth()
		if e != nil {
			err = e
		}
		return b
	}
	switch {
	case cp.segment:
		hasNext = more
		hasPrev = cp.skip > 0 && n > 0
		if cp.prev && cp.skip > 0 && n == 0 {
			hasPrev = seen(prevSeen)
		}
	case cp.w.backward:
		hasPrev = more
		if cp.next && cp.w.before != nil {
			hasNext = seen(nextSeen)
		}
		if cp.prev && !more && cp.w.after != nil {
			hasPrev = seen(prevSeen)
		}
	default:
		hasNext = more
		if cp.prev && cp.w.after != nil {
			hasPrev = seen(prevSeen)
		}
		if cp.next && !more && cp.w.before != nil {
			hasNext = seen(nextSeen)
		}
	}
	if err != nil {
		return err
	}
	r.w.WriteByte('{')
	for i, f := range part.sub {
		r.key(i, f.Alias)
		switch f.Name {
		case "__typename":
			if cp.segment {
				r.str("CollectionSegmentInfo")
			} else {
				r.str("PageInfo")
			}
		case "hasNextPage":
			r.boolean(hasNext)
		case "hasPreviousPage":
			r.boolean(hasPrev)
		case "startCursor", "endCursor":
			if n == 0 {
				r.w.WriteString("null")
				continue
			}
			at := 0
			if f.Name == "endCursor" {
				at = n - 1
			}
			c, err := cursor(at)
			if err != nil {
				return err
			}
			r.str(c)
		}
	}
	r.w.WriteByte('}')
	return nil
}

func (r *renderer) node(np *nodePlan, v jval) error {
	if v.k != '[' || len(v.arr) < np.slots {
		return errShape
	}
	r.w.WriteByte('{')
	for i, f := range np.fields {
		r.key(i, f.alias)
		if f.kind == fTypename {
			r.str(np.ent.Name)
			continue
		}
		if f.kind == fGo {
			id, err := v.arr[np.idSlot].int()
			if err != nil {
				return err
			}
			obj := r.loaded[np.ent][int(id)]
			if obj == nil {
				return ErrRefused
			}
			val, err := f.gf.Resolve(r.ctx, obj)
			if err != nil {
				// The resolvers report it, with its path.
				return ErrRefused
			}
			if err := r.goValue(f, val); err != nil {
				return err
			}
			continue
		}
		x := v.arr[f.slot]
		switch f.kind {
		case fLeaf:
			if err := r.leaf(f, x); err != nil {
				return err
			}
		case fToOne:
			if x.k == 'n' {
				if f.nonNull {
					return ErrRefused
				}
				r.w.WriteString("null")
				continue
			}
			if err := r.node(f.node, x); err != nil {
				return err
			}
		case fList:
			if x.k != '[' {
				return errShape
			}
			r.w.WriteByte('[')
			for j, e := range x.arr {
				if j > 0 {
					r.w.WriteByte(',')
				}
				if err := r.node(f.node, e); err != nil {
					return err
				}
			}
			r.w.WriteByte(']')
		case fConn:
			if err := r.conn(f.conn, x); err != nil {
				return err
			}
		}
	}
	r.w.WriteByte('}')
	return nil
}

func (r *renderer) leaf(f outField, x jval) error {
	if x.k == 'n' {
		r.w.WriteString("null")
		return nil
	}
	l := f.leaf
	switch l.Type {
	case TypeID:
		id, err := x.int()
		if err != nil {
			return err
		}
		gid.MarshalID(int(id)).MarshalGQL(r.w)
	case TypeInt:
		n, err := x.int()
		if err != nil {
			return err
		}
		r.w.WriteString(strconv.FormatInt(n, 10))
	case TypeBool:
		b, err := x.truth()
		if err != nil {
			return err
		}
		r.boolean(b)
	case TypeString, TypeEnum:
		if x.k != 's' {
			return errShape
		}
		if l.Localized != "" {
			r.str(domain.Localized(r.ctx, l.Localized, string(x.raw)))
		} else {
			r.str(string(x.raw))
		}
	case TypeTime:
		if x.k != 's' {
			return errShape
		}
		t, err := parseTime(string(x.raw))
		if err != nil {
			return err
		}
		r.cat.Time(t).MarshalGQL(r.w)
	case TypeMoney:
		if x.k != '[' || len(x.arr) != 2 || x.arr[1].k != 's' {
			return errShape
		}
		minor, err := x.arr[0].int()
		if err != nil {
			return err
		}
		r.money(f, money.New(minor, string(x.arr[1].raw)))
	default:
		return errShape
	}
	return nil
}

func (r *renderer) money(f outField, m money.Money) {
	r.w.WriteByte('{')
	for i, s := range f.sub {
		r.key(i, s.Alias)
		switch s.Name {
		case "__typename":
			r.str("Money")
		case "amount":
			m.Amount().MarshalGQL(r.w)
		case "currency":
			r.str(m.Currency)
		case "formatted":
			r.str(m.Formatted(r.ctx))
		}
	}
	r.w.WriteByte('}')
}

// goValue writes the value of a field answered in Go as gqlgen writes its
// type (GoField.Resolve).
func (r *renderer) goValue(f outField, v any) error {
	switch x := v.(type) {
	case money.Money:
		r.money(f, x)
	case *money.Money:
		if x == nil {
			return errShape
		}
		r.money(f, *x)
	case *int:
		if x == nil {
			r.w.WriteString("null")
		} else {
			r.w.WriteString(strconv.Itoa(*x))
		}
	case int:
		r.w.WriteString(strconv.Itoa(x))
	case string:
		r.str(x)
	case *string:
		if x == nil {
			r.w.WriteString("null")
		} else {
			r.str(*x)
		}
	case bool:
		r.boolean(x)
	case *money.Decimal:
		if x == nil {
			r.w.WriteString("null")
		} else {
			x.MarshalGQL(r.w)
		}
	case graphql.Marshaler:
		x.MarshalGQL(r.w)
	default:
		return errShape
	}
	return nil
}
