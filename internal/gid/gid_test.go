package gid

import (
	"bytes"
	"encoding/base64"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var opaque = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	if len(Types) != 11 {
		t.Fatalf("Types has %d entries, the tests expect 11", len(Types))
	}
	for idx, name := range Types {
		for _, local := range []int{0, 1, 2, 42, 1 << 20, 1<<32 - 1} {
			id := idx<<32 | local
			t.Run(name+"/"+strconv.Itoa(local), func(t *testing.T) {
				if got := TypeOf(id); got != name {
					t.Fatalf("TypeOf(%d) = %q, want %q", id, got, name)
				}
				s := Encode(id)
				if !opaque.MatchString(s) {
					t.Fatalf("Encode(%d) = %q is not unpadded base64url", id, s)
				}
				raw, err := base64.RawURLEncoding.DecodeString(s)
				if err != nil {
					t.Fatalf("Encode(%d) = %q: %v", id, s, err)
				}
				if want := name + ":" + strconv.Itoa(local); string(raw) != want {
					t.Fatalf("Encode(%d) encodes %q, want %q", id, raw, want)
				}
				got, err := Decode(s)
				if err != nil || got != id {
					t.Fatalf("Decode(Encode(%d)) = %d, %v", id, got, err)
				}
				got, err = DecodeAs(s, name)
				if err != nil || got != id {
					t.Fatalf("DecodeAs(%q, %s) = %d, %v", s, name, got, err)
				}
				got, err = UnmarshalID(s)
				if err != nil || got != id {
					t.Fatalf("UnmarshalID(%q) = %d, %v", s, got, err)
				}
				var b bytes.Buffer
				MarshalID(id).MarshalGQL(&b)
				if want := strconv.Quote(s); b.String() != want {
					t.Fatalf("MarshalID(%d) wrote %s, want %s", id, b.String(), want)
				}
			})
		}
	}
}

// The first row of a table on PostgreSQL has the IncrementStart value
// itself as key (identity START WITH), so local number 0 must round-trip.
func TestFirstKeyOfTable(t *testing.T) {
	for idx, name := range Types {
		id := idx << 32
		got, err := Decode(Encode(id))
		if err != nil || got != id {
			t.Errorf("%s: Decode(Encode(%d)) = %d, %v", name, id, got, err)
		}
	}
}

func TestNoPadding(t *testing.T) {
	// "Event:1" is 7 bytes, which padded base64 would end with "=".
	s := Encode(2<<32 | 1)
	if s != "RXZlbnQ6MQ" {
		t.Fatalf("Encode(Event 1) = %q, want RXZlbnQ6MQ", s)
	}
	// Padded input from clients that add it is tolerated.
	if got, err := Decode(s + "=="); err != nil || got != 2<<32|1 {
		t.Fatalf("Decode(padded) = %d, %v", got, err)
	}
}

func TestDecodeAsTypeMismatch(t *testing.T) {
	for idx, name := range Types {
		s := Encode(idx<<32 | 7)
		for _, other := range Types {
			if other == name {
				continue
			}
			got, err := DecodeAs(s, other)
			if err == nil {
				t.Fatalf("DecodeAs(%s ID, %s) = %d, want an error", name, other, got)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("DecodeAs error %v does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), other) {
				t.Fatalf("DecodeAs error %q does not name the expected type %s", err, other)
			}
		}
	}
	if _, err := DecodeAs("!!", "Event"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("DecodeAs(garbage) error = %v", err)
	}
}

func TestDecodeMalformed(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, in string
	}{
		{"empty", ""},
		{"not base64", "!!!"},
		{"spaces", "RXZl bnQ6MQ"},
		{"standard alphabet", "RXZlbnQ6M+"},
		{"padding inside", "RXZl=bnQ6MQ"},
		{"plain number", "8589934593"},
		{"plain text", enc("Event")},
		{"no number", enc("Event:")},
		{"no type", enc(":1")},
		{"unknown type", enc("Venue:1")},
		{"lower-case type", enc("event:1")},
		{"negative", enc("Event:-1")},
		{"too large", enc("Event:4294967296")},
		{"far too large", enc("Event:99999999999999999999")},
		{"not a number", enc("Event:abc")},
		{"hex", enc("Event:0x10")},
		{"float", enc("Event:1.5")},
		{"trailing colon", enc("Event:1:")},
		{"spaces in number", enc("Event: 1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in)
			if err == nil {
				t.Fatalf("Decode(%q) = %d, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Decode(%q) error %v does not wrap ErrInvalid", tt.in, err)
			}
			if got != 0 {
				t.Fatalf("Decode(%q) returned %d with its error", tt.in, got)
			}
			if _, err := UnmarshalID(tt.in); err == nil {
				t.Fatalf("UnmarshalID(%q) accepted", tt.in)
			}
		})
	}
}

func TestUnmarshalIDNonString(t *testing.T) {
	for _, v := range []any{nil, 8589934593, int64(8589934593), 1.5, true, []byte(Encode(2<<32 | 1)), []string{"x"}} {
		got, err := UnmarshalID(v)
		if err == nil {
			t.Errorf("UnmarshalID(%#v) = %d, want an error", v, got)
			continue
		}
	}
}

func TestTypeOf(t *testing.T) {
	tests := []struct {
		id   int
		want string
	}{
		{1 << 32, "Tenant"},
		{2<<32 | 5, "Event"},
		{9<<32 | 1<<31, "History"},
		{5, ""},
		{10 << 32, "IdempotencyKey"},
		{11<<32 | 7, "APIKey"},
		{12 << 32, ""},
	}
	for _, tt := range tests {
		if got := TypeOf(tt.id); got != tt.want {
			t.Errorf("TypeOf(%d) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

// indexOf is the inverse of Types.
func TestIndexOf(t *testing.T) {
	if len(indexOf) != len(Types) {
		t.Fatalf("type names are not unique: %v", Types)
	}
	for idx, name := range Types {
		if indexOf[name] != idx {
			t.Errorf("indexOf[%s] = %d, want %d", name, indexOf[name], idx)
		}
	}
}
