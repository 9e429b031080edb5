package lists

import (
	"encoding/json"
	"testing"
)

// TestParseJSONStrings checks the reader of the databases' JSON against
// encoding/json on the escapes both databases write.
func TestParseJSONStrings(t *testing.T) {
	for _, in := range []string{
		`"plain"`, `""`, `"quote \" backslash \\ slash \/"`, `"\b\f\n\r\t"`, `"\u0001\u001f"`,
		`"é ✓ \u00e9 \u2028"`, `"\ud83d\ude00 😀"`, `"lone \ud83d surrogate"`, `"end \\"`,
	} {
		v, rest, err := parseJSON([]byte(in))
		if err != nil || len(rest) != 0 || v.k != 's' {
			t.Fatalf("%s: %v %q %c", in, err, rest, v.k)
		}
		var want string
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		if string(v.raw) != want {
			t.Errorf("%s: got %q, want %q", in, v.raw, want)
		}
	}
}

func TestParseJSONArrays(t *testing.T) {
	v, rest, err := parseJSON([]byte(` [1, -2.5e3, null, true, false, "x", [], [[1],[2, [3]]]] `))
	if err != nil || len(skipSpace(rest)) != 0 {
		t.Fatal(err, rest)
	}
	if len(v.arr) != 8 || string(v.arr[1].raw) != "-2.5e3" || v.arr[2].k != 'n' || v.arr[3].k != 't' ||
		len(v.arr[6].arr) != 0 || string(v.arr[7].arr[1].arr[1].arr[0].raw) != "3" {
		t.Fatalf("%+v", v)
	}
	for _, bad := range []string{`[1,`, `[1 2]`, `{"a":1}`, `"open`, `[`, `nul`} {
		if _, _, err := parseJSON([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
