package lists

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"seatgraph/internal/domain"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

func TestIntArg(t *testing.T) {
	tests := []struct {
		name string
		args Args
		want *int
		bad  bool
	}{
		{"missing", Args{}, nil, false},
		{"null", Args{"first": nil}, nil, false},
		{"int", Args{"first": 5}, intp(5), false},
		{"int64", Args{"first": int64(5)}, intp(5), false},
		{"json.Number", Args{"first": json.Number("7")}, intp(7), false},
		{"bool", Args{"first": true}, nil, true},
		{"object", Args{"first": map[string]any{}}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := intArg(tt.args, "first")
			if tt.bad {
				if err == nil {
					t.Fatalf("intArg = %v, want an error", *got)
				}
				wantCode(t, err, domain.CodeBadUserInput)
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("intArg = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestStrArg(t *testing.T) {
	if got := strArg(Args{"after": "abc"}, "after"); got == nil || *got != "abc" {
		t.Errorf("strArg = %v", got)
	}
	for _, a := range []Args{{}, {"after": nil}, {"after": 5}} {
		if got := strArg(a, "after"); got != nil {
			t.Errorf("strArg(%v) = %q, want nil", a, *got)
		}
	}
}

func TestLink(t *testing.T) {
	fk := Link{FK: "event_id"}
	got, args := where(t, dialect.SQLite, fk.Scope([]int{3, 4}))
	if got != "`t`.`event_id` IN (?, ?)" || !reflect.DeepEqual(args, []any{3, 4}) {
		t.Errorf("FK scope: %s %v", got, args)
	}
	if p := fk.Partition(newSelector(dialect.SQLite)); p != "`t`.`event_id`" {
		t.Errorf("FK partition %s", p)
	}
	m2m := Link{JoinTable: "event_tags", JoinParent: "event_id", JoinChild: "tag_id"}
	s := newSelector(dialect.SQLite)
	m2m.Scope([]int{1})(s)
	q, args := s.Query()
	if want := "SELECT * FROM `t` JOIN `event_tags` AS `t1` ON `t`.`id` = `t1`.`tag_id` WHERE `t1`.`event_id` IN (?)"; q != want || !reflect.DeepEqual(args, []any{1}) {
		t.Errorf("M2M scope: %s %v\nwant            %s", q, args, want)
	}
}

// The parent key expression of an M2M child row must name the join table
// the way the query does. Ent aliases every joined table ("t1" for the first
// join, see sql.Selector.join), both in Link.Scope and in Ent's own M2M
// eager loading, so "`event_bookings`.`event_id`" is not a column of those
// queries (SQLite: "no such column: event_bookings.event_id").
//
// Known bug (reported, listing is not ours to change): Link.Partition
// ignores the alias, so totalCount, hasNextPage/hasPreviousPage and the
// per-parent ROW_NUMBER window of Event.bookings fail. Remove the skip once
// Partition and the joins agree.
func TestLinkPartitionMatchesJoinAlias(t *testing.T) {
	m2m := Link{JoinTable: "event_bookings", JoinParent: "event_id", JoinChild: "booking_id"}
	alias := regexp.MustCompile("JOIN `event_bookings` AS `([^`]+)`")
	var problems []string
	check := func(name string, s *sql.Selector) {
		q, _ := s.Query()
		m := alias.FindStringSubmatch(q)
		if m == nil {
			problems = append(problems, name+": no aliased join in "+q)
			return
		}
		if p, want := m2m.Partition(s), "`"+m[1]+"`.`event_id`"; p != want {
			problems = append(problems, fmt.Sprintf("%s: Partition = %s, the join is aliased %s (want %s)", name, p, m[1], want))
		}
	}
	// The count query built from Link.Scope.
	s := newSelector(dialect.SQLite)
	m2m.Scope([]int{1})(s)
	check("Scope", s)
	// Ent's M2M eager loading (ent/event_query.go loadBookings).
	s = newSelector(dialect.SQLite)
	joinT := sql.Table("event_bookings")
	s.Join(joinT).On(s.C("id"), joinT.C("booking_id"))
	s.Where(sql.InValues(joinT.C("event_id"), 1))
	check("eager loading", s)
	if len(problems) > 0 {
		t.Fatalf("join alias mismatch: %s", strings.Join(problems, "; "))
	}
}
