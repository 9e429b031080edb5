package catalog

// Optional is a field of a change that may be left out: a change touches
// only the fields that are set, and a field set to nil (or the zero value)
// clears what it names. It tells "not given" from "given as null", which a
// plain pointer cannot.
type Optional[T any] struct {
	value T
	set   bool
}

// Set returns an Optional set to v.
func Set[T any](v T) Optional[T] { return Optional[T]{value: v, set: true} }

// IsSet reports whether the field was given.
func (o Optional[T]) IsSet() bool { return o.set }

// Value is the field's value; the zero value when it was not given.
func (o Optional[T]) Value() T { return o.value }
