package lists

import (
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"

	"seatgraph/internal/money"
)

// Predicate is an Ent style predicate: it narrows the selector it is given.
type Predicate = func(*sql.Selector)

// Ops is the typeless form of one operation filter input: values are
// already converted to what the database compares (minor units, UTC times,
// integer keys). A nil entry in In or Nin, or an Eq/Neq set to nil, is null.
type Ops struct {
	And, Or []Ops

	Eq, Neq     *Value
	In, Nin     []any // nil: not given
	Gt, Ngt     any
	Gte, Ngte   any
	Lt, Nlt     any
	Lte, Nlte   any
	Contains    *string
	Ncontains   *string
	StartsWith  *string
	NstartsWith *string
	EndsWith    *string
	NendsWith   *string
}

// Value is an explicitly given comparison value; V nil means null.
type Value struct{ V any }

func omit[T any](o graphql.Omittable[*T], conv func(T) (any, error)) (*Value, error) {
	if !o.IsSet() {
		return nil, nil
	}
	v := o.Value()
	if v == nil {
		return &Value{}, nil
	}
	x, err := conv(*v)
	if err != nil {
		return nil, err
	}
	return &Value{V: x}, nil
}

func list[T any](in []*T, conv func(T) (any, error)) ([]any, error) {
	if in == nil {
		return nil, nil
	}
	out := make([]any, 0, len(in))
	for _, v := range in {
		if v == nil {
			out = append(out, nil)
			continue
		}
		x, err := conv(*v)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func one[T any](v *T, conv func(T) (any, error)) (any, error) {
	if v == nil {
		return nil, nil
	}
	return conv(*v)
}

func same[T any](v T) (any, error) { return v, nil }

// Equality carries the operations every operation input has.
type equality[T any] struct {
	Eq, Neq graphql.Omittable[*T]
	In, Nin []*T
}

func (e equality[T]) ops(conv func(T) (any, error)) (o Ops, err error) {
	if o.Eq, err = omit(e.Eq, conv); err != nil {
		return o, err
	}
	if o.Neq, err = omit(e.Neq, conv); err != nil {
		return o, err
	}
	if o.In, err = list(e.In, conv); err != nil {
		return o, err
	}
	o.Nin, err = list(e.Nin, conv)
	return o, err
}

// ordering carries the comparison operations of numbers and times.
type ordering[T any] struct {
	Gt, Ngt, Gte, Ngte, Lt, Nlt, Lte, Nlte *T
}

func (r ordering[T]) into(o *Ops, conv func(T) (any, error)) (err error) {
	for _, p := range []struct {
		dst *any
		src *T
	}{{&o.Gt, r.Gt}, {&o.Ngt, r.Ngt}, {&o.Gte, r.Gte}, {&o.Ngte, r.Ngte}, {&o.Lt, r.Lt}, {&o.Nlt, r.Nlt}, {&o.Lte, r.Lte}, {&o.Nlte, r.Nlte}} {
		if *p.dst, err = one(p.src, conv); err != nil {
			return err
		}
	}
	return nil
}

// StringOperationFilterInput filters a String field.
type StringOperationFilterInput struct {
	And         []*StringOperationFilterInput `json:"and,omitempty"`
	Or          []*StringOperationFilterInput `json:"or,omitempty"`
	Eq          graphql.Omittable[*string]    `json:"eq,omitempty"`
	Neq         graphql.Omittable[*string]    `json:"neq,omitempty"`
	In          []*string                     `json:"in,omitempty"`
	Nin         []*string                     `json:"nin,omitempty"`
	Contains    *string                       `json:"contains,omitempty"`
	Ncontains   *string                       `json:"ncontains,omitempty"`
	StartsWith  *string                       `json:"startsWith,omitempty"`
	NstartsWith *string                       `json:"nstartsWith,omitempty"`
	EndsWith    *string                       `json:"endsWith,omitempty"`
	NendsWith   *string                       `json:"nendsWith,omitempty"`
}

// Ops converts the input.
func (in *StringOperationFilterInput) Ops(f Field) (Ops, error) {
	o, err := equality[string]{in.Eq, in.Neq, in.In, in.Nin}.ops(same[string])
	if err != nil {
		return o, err
	}
	o.Contains, o.Ncontains = in.Contains, in.Ncontains
	o.StartsWith, o.NstartsWith = in.StartsWith, in.NstartsWith
	o.EndsWith, o.NendsWith = in.EndsWith, in.NendsWith
	return nested(o, f, in.And, in.Or)
}

// IntOperationFilterInput filters an Int field.
type IntOperationFilterInput struct {
	And  []*IntOperationFilterInput `json:"and,omitempty"`
	Or   []*IntOperationFilterInput `json:"or,omitempty"`
	Eq   graphql.Omittable[*int]    `json:"eq,omitempty"`
	Neq  graphql.Omittable[*int]    `json:"neq,omitempty"`
	In   []*int                     `json:"in,omitempty"`
	Nin  []*int                     `json:"nin,omitempty"`
	Gt   *int                       `json:"gt,omitempty"`
	Ngt  *int                       `json:"ngt,omitempty"`
	Gte  *int                       `json:"gte,omitempty"`
	Ngte *int                       `json:"ngte,omitempty"`
	Lt   *int                       `json:"lt,omitempty"`
	Nlt  *int                       `json:"nlt,omitempty"`
	Lte  *int                       `json:"lte,omitempty"`
	Nlte *int                       `json:"nlte,omitempty"`
}

// Ops converts the input.
func (in *IntOperationFilterInput) Ops(f Field) (Ops, error) {
	o, err := equality[int]{in.Eq, in.Neq, in.In, in.Nin}.ops(same[int])
	if err == nil {
		err = ordering[int]{in.Gt, in.Ngt, in.Gte, in.Ngte, in.Lt, in.Nlt, in.Lte, in.Nlte}.into(&o, same[int])
	}
	if err != nil {
		return o, err
	}
	return nested(o, f, in.And, in.Or)
}

// DecimalOperationFilterInput filters a Decimal or Money field.
type DecimalOperationFilterInput struct {
	And  []*DecimalOperationFilterInput `json:"and,omitempty"`
	Or   []*DecimalOperationFilterInput `json:"or,omitempty"`
	Eq   graphql.Omittable[*money.Decimal]
	Neq  graphql.Omittable[*money.Decimal]
	In   []*money.Decimal
	Nin  []*money.Decimal
	Gt   *money.Decimal
	Ngt  *money.Decimal
	Gte  *money.Decimal
	Ngte *money.Decimal
	Lt   *money.Decimal
	Nlt  *money.Decimal
	Lte  *money.Decimal
	Nlte *money.Decimal
}

// Ops converts the input. Money compares at money.MaxDigits fraction
// digits; other decimals at the field's own scale.
func (in *DecimalOperationFilterInput) Ops(f Field) (Ops, error) {
	scale := f.Scale
	if f.Type == TypeMoney {
		scale = money.MaxDigits
	}
	conv := func(d money.Decimal) (any, error) {
		u, ok := d.Rescale(scale)
		if !ok {
			return nil, badInput("%s: %s has more than %d decimal places", f.Name, d.String(), scale)
		}
		return u, nil
	}
	o, err := equality[money.Decimal]{in.Eq, in.Neq, in.In, in.Nin}.ops(conv)
	if err == nil {
		err = ordering[money.Decimal]{in.Gt, in.Ngt, in.Gte, in.Ngte, in.Lt, in.Nlt, in.Lte, in.Nlte}.into(&o, conv)
	}
	if err != nil {
		return o, err
	}
	return nested(o, f, in.And, in.Or)
}

// DateTimeOperationFilterInput filters a DateTime field.
type DateTimeOperationFilterInput struct {
	And  []*DateTimeOperationFilterInput `json:"and,omitempty"`
	Or   []*DateTimeOperationFilterInput `json:"or,omitempty"`
	Eq   graphql.Omittable[*time.Time]
	Neq  graphql.Omittable[*time.Time]
	In   []*time.Time
	Nin  []*time.Time
	Gt   *time.Time
	Ngt  *time.Time
	Gte  *time.Time
	Ngte *time.Time
	Lt   *time.Time
	Nlt  *time.Time
	Lte  *time.Time
	Nlte *time.Time
}

func utc(t time.Time) (any, error) { return t.UTC(), nil }

// Ops converts the input.
func (in *DateTimeOperationFilterInput) Ops(f Field) (Ops, error) {
	o, err := equality[time.Time]{in.Eq, in.Neq, in.In, in.Nin}.ops(utc)
	if err == nil {
		err = ordering[time.Time]{in.Gt, in.Ngt, in.Gte, in.Ngte, in.Lt, in.Nlt, in.Lte, in.Nlte}.into(&o, utc)
	}
	if err != nil {
		return o, err
	}
	return nested(o, f, in.And, in.Or)
}

// BooleanOperationFilterInput filters a Boolean field.
type BooleanOperationFilterInput struct {
	And []*BooleanOperationFilterInput `json:"and,omitempty"`
	Or  []*BooleanOperationFilterInput `json:"or,omitempty"`
	Eq  graphql.Omittable[*bool]
	Neq graphql.Omittable[*bool]
}

// Ops converts the input.
func (in *BooleanOperationFilterInput) Ops(f Field) (Ops, error) {
	o, err := equality[bool]{Eq: in.Eq, Neq: in.Neq}.ops(same[bool])
	if err != nil {
		return o, err
	}
	return nested(o, f, in.And, in.Or)
}

// IdOperationFilterInput filters an ID field; IDs are decoded by the ID scalar.
type IdOperationFilterInput struct {
	And []*IdOperationFilterInput `json:"and,omitempty"`
	Or  []*IdOperationFilterInput `json:"or,omitempty"`
	Eq  graphql.Omittable[*int]
	Neq graphql.Omittable[*int]
	In  []*int
	Nin []*int
}

// Ops converts the input.
func (in *IdOperationFilterInput) Ops(f Field) (Ops, error) {
	o, err := equality[int]{in.Eq, in.Neq, in.In, in.Nin}.ops(same[int])
	if err != nil {
		return o, err
	}
	return nested(o, f, in.And, in.Or)
}

// EnumOps converts the operations of a generated enum operation input.
func EnumOps[E ~string](eq, neq graphql.Omittable[*E], in, nin []*E) (Ops, error) {
	return equality[E]{eq, neq, in, nin}.ops(func(e E) (any, error) { return string(e), nil })
}

// Opser is an operation input that converts itself to Ops.
type Opser interface{ Ops(Field) (Ops, error) }

// nested adds the and/or lists of an operation input.
func nested[T Opser](o Ops, f Field, and, or []T) (Ops, error) {
	for _, a := range and {
		x, err := a.Ops(f)
		if err != nil {
			return o, err
		}
		o.And = append(o.And, x)
	}
	for _, a := range or {
		x, err := a.Ops(f)
		if err != nil {
			return o, err
		}
		o.Or = append(o.Or, x)
	}
	return o, nil
}
