package lists

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"
)

// A cursor is base64url(JSON {"o": order hash, "k": [key values...]}): the
// values of the row's sort keys, id last. Pages seek past those values
// (keyset paging), so inserted or deleted rows never shift a page.
type cursor struct {
	Order string `json:"o"`
	Keys  []any  `json:"k"`
}

func (o Order) hash() string {
	h := fnv.New32a()
	h.Write([]byte(o.Signature()))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// sqliteTimeFormats are the layouts SQLite hands back for timestamps read
// through expressions without a declared type.
var sqliteTimeFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	time.RFC3339Nano,
}

// normalize turns a key value as the driver returned it into the value the
// database compares, typed by the key.
func normalize(t Type, v any) (any, error) {
	if p, ok := v.(*any); ok {
		v = *p
	}
	if v == nil {
		return nil, nil
	}
	switch t {
	case TypeTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			return parseTime(x)
		case []byte:
			return parseTime(string(x))
		}
	case TypeBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		}
	case TypeString:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	case TypeFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	default:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case int:
			return int64(x), nil
		case float64:
			return int64(x), nil
		case []byte:
			return strconv.ParseInt(string(x), 10, 64)
		case string:
			return strconv.ParseInt(x, 10, 64)
		}
	}
	return nil, fmt.Errorf("listing: unexpected %T for a sort key of type %d", v, t)
}

func parseTime(s string) (time.Time, error) {
	for _, f := range sqliteTimeFormats {
		if t, err := time.Parse(f, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("listing: bad timestamp %q", s)
}

// encodeCursor writes the cursor of a row from its key values.
func (o Order) encodeCursor(vals []any) string {
	out := make([]any, len(vals))
	for i, v := range vals {
		if t, ok := v.(time.Time); ok {
			out[i] = t.UTC().Format(time.RFC3339Nano)
		} else {
			out[i] = v
		}
	}
	b, _ := json.Marshal(cursor{Order: o.hash(), Keys: out})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made for this order.
func (o Order) decodeCursor(arg, s string) ([]any, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		err = dec.Decode(&c)
	}
	if err != nil {
		return nil, badInput("%s: malformed cursor", arg)
	}
	if c.Order != o.hash() {
		return nil, badInput("%s: the cursor was made for another order; page with the order it came from", arg)
	}
	if len(c.Keys) != len(o.Keys) {
		return nil, badInput("%s: malformed cursor", arg)
	}
	vals := make([]any, len(c.Keys))
	for i, v := range c.Keys {
		if v == nil {
			if !o.Keys[i].Nullable {
				return nil, badInput("%s: malformed cursor", arg)
			}
			continue
		}
		var x any
		switch o.Keys[i].Type {
		case TypeTime:
			if s, ok := v.(string); ok {
				x, err = time.Parse(time.RFC3339Nano, s)
				x = x.(time.Time).UTC()
			}
		case TypeBool:
			x, _ = v.(bool)
			if _, ok := v.(bool); !ok {
				err = fmt.Errorf("not a bool")
			}
		case TypeString:
			// No stored text holds U+0000 (PostgreSQL cannot store it,
			// and inputs refuse it), so no cursor made here does.
			if str, ok := v.(string); ok && !strings.ContainsRune(str, 0) {
				x = str
			}
		case TypeFloat:
			if n, ok := v.(json.Number); ok {
				x, err = n.Float64()
			}
		default:
			if n, ok := v.(json.Number); ok {
				x, err = n.Int64()
			}
		}
		if err != nil || x == nil {
			return nil, badInput("%s: malformed cursor", arg)
		}
		vals[i] = x
	}
	return vals, nil
}

// seek returns the predicate of rows that sort strictly after (forward) or
// strictly before (!forward) the position vals.
func (o Order) seek(s *sql.Selector, vals []any, forward bool) *sql.Predicate {
	d := s.Dialect()
	var ors []*sql.Predicate
	var eqs []*sql.Predicate
	for i, k := range o.Keys {
		e := k.Expr(s.C, d)
		v := vals[i]
		var beyond *sql.Predicate
		if forward {
			if v != nil {
				op := sql.OpGT
				if k.Desc {
					op = sql.OpLT
				}
				beyond = compare(e, op, v)
				if k.Nullable {
					beyond = sql.Or(beyond, isNull(e, true))
				}
			}
		} else {
			if v == nil {
				beyond = isNull(e, false)
			} else {
				op := sql.OpLT
				if k.Desc {
					op = sql.OpGT
				}
				beyond = guardNull(k, e, compare(e, op, v))
			}
		}
		if beyond != nil {
			ors = append(ors, sql.And(append(append([]*sql.Predicate{}, eqs...), beyond)...))
		}
		if v == nil {
			eqs = append(eqs, isNull(e, true))
		} else {
			eqs = append(eqs, guardNull(k, e, compare(e, sql.OpEQ, v)))
		}
	}
	if len(ors) == 0 {
		return sql.False()
	}
	seek := sql.Or(ors...)
	if k := o.Keys[0]; len(o.Keys) > 1 && !k.Nullable && vals[0] != nil {
		// The same rows, with the first key bounded on its own: an index
		// on it can start at the bound (PostgreSQL does not derive a range
		// from the OR; without it a deep page scanned every row before it).
		op := sql.OpGTE
		if k.Desc == forward {
			op = sql.OpLTE
		}
		seek = sql.And(compare(k.Expr(s.C, d), op, vals[0]), seek)
	}
	return seek
}

// guardNull keeps a comparison on a nullable key two-valued, so that NOT of
// the seek predicate is its exact complement.
func guardNull(k SortKey, expr string, p *sql.Predicate) *sql.Predicate {
	if !k.Nullable {
		return p
	}
	return sql.And(isNull(expr, false), p)
}

func compare(expr string, op sql.Op, v any) *sql.Predicate {
	return sql.P(func(b *sql.Builder) { b.WriteString(expr).WriteOp(op).Arg(v) })
}
