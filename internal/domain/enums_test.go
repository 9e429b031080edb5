package domain

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// enumType is one enumeration with its declared constants in order.
type enumType struct {
	name     string
	values   []string // Values() of the type
	declared []string // the Go constants, in declaration order
	// unmarshal reads v into a fresh value and returns it as a string;
	// nil for types that are not GraphQL enums.
	unmarshal func(v any) (string, error)
	marshal   func(s string, w io.Writer)
	localized func(ctx context.Context, s string) string
}

func gqlType[E ~string, P interface {
	*E
	UnmarshalGQL(any) error
}](name string, declared ...E) enumType {
	var zero E
	t := enumType{
		name:     name,
		values:   any(zero).(interface{ Values() []string }).Values(),
		declared: strs(declared),
		unmarshal: func(v any) (string, error) {
			var e E
			err := P(&e).UnmarshalGQL(v)
			return string(e), err
		},
		localized: func(ctx context.Context, s string) string { return Localized(ctx, name, E(s)) },
	}
	t.marshal = func(s string, w io.Writer) {
		any(E(s)).(interface{ MarshalGQL(io.Writer) }).MarshalGQL(w)
	}
	return t
}

func strs[E ~string](es []E) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = string(e)
	}
	return out
}

var allTypes = []enumType{
	gqlType("EventStatus", EventStatusDraft, EventStatusPublished, EventStatusCancelled),
	gqlType("BookingStatus", BookingStatusWaitlisted, BookingStatusPending, BookingStatusConfirmed,
		BookingStatusCancelled, BookingStatusExpired),
	gqlType("PaymentStatus", PaymentStatusUnpaid, PaymentStatusPartiallyPaid, PaymentStatusPaid,
		PaymentStatusPartiallyRefunded, PaymentStatusRefunded),
	gqlType("PaymentMethod", PaymentMethodCard, PaymentMethodInvoice, PaymentMethodBankTransfer,
		PaymentMethodCash, PaymentMethodExternal, PaymentMethodFree),
	gqlType("TicketStatus", TicketStatusActive, TicketStatusWaitlisted, TicketStatusCancelled),
	gqlType("RegistrationStatus", RegistrationStatusPending, RegistrationStatusAccepted,
		RegistrationStatusWaitlisted, RegistrationStatusDeclined, RegistrationStatusRemoved,
		RegistrationStatusCancelled),
	gqlType("PaymentKind", PaymentKindPayment, PaymentKindRefund),
	gqlType("PaymentRecordStatus", PaymentRecordStatusPending, PaymentRecordStatusSucceeded,
		PaymentRecordStatusFailed, PaymentRecordStatusCancelled),
	gqlType("StatisticsInterval", StatisticsIntervalHour, StatisticsIntervalDay, StatisticsIntervalWeek),
	gqlType("SortEnumType", SortASC, SortDESC),
	{
		// Role is stored by Ent but is not a GraphQL enum.
		name:      "Role",
		values:    Role("").Values(),
		declared:  strs([]Role{RoleAdmin, RoleStaff, RoleCheckIn}),
		localized: func(ctx context.Context, s string) string { return Localized(ctx, "Role", Role(s)) },
	},
	{
		// HistoryKind is stored by Ent but is not a GraphQL enum.
		name:   "HistoryKind",
		values: HistoryKind("").Values(),
		declared: strs([]HistoryKind{HistoryTicketBooked, HistoryTicketCancelled, HistoryCheckedIn,
			HistoryCheckInUndone, HistoryPaymentSucceeded, HistoryRefundSucceeded, HistoryBookingStatus}),
		localized: func(ctx context.Context, s string) string { return Localized(ctx, "HistoryKind", HistoryKind(s)) },
	},
}

// localizedTypes are the enums of object fields, which have a companion
// xLocalized field (docs/client-guide.md) and so need labels in every language.
var localizedTypes = []string{
	"EventStatus", "BookingStatus", "PaymentStatus", "PaymentMethod", "TicketStatus",
	"RegistrationStatus", "PaymentKind", "PaymentRecordStatus",
}

func TestValuesOrder(t *testing.T) {
	if len(allTypes) != len(members) {
		t.Fatalf("the test knows %d enum types, the package %d", len(allTypes), len(members))
	}
	for _, et := range allTypes {
		t.Run(et.name, func(t *testing.T) {
			if !slices.Equal(et.values, et.declared) {
				t.Fatalf("Values() = %v, declared constants %v", et.values, et.declared)
			}
			if !slices.Equal(members[et.name], et.declared) {
				t.Fatalf("members[%q] = %v, declared constants %v", et.name, members[et.name], et.declared)
			}
			seen := map[string]bool{}
			for _, v := range et.values {
				if v == "" || strings.ToUpper(v) != v || seen[v] {
					t.Fatalf("member %q is empty, not upper case, or repeated", v)
				}
				seen[v] = true
			}
		})
	}
}

func TestUnmarshalGQL(t *testing.T) {
	for _, et := range allTypes {
		if et.unmarshal == nil {
			continue
		}
		t.Run(et.name, func(t *testing.T) {
			for _, v := range et.declared {
				got, err := et.unmarshal(v)
				if err != nil || got != v {
					t.Errorf("UnmarshalGQL(%q) = %q, %v", v, got, err)
				}
			}
			rejects := []any{
				"", "UNKNOWN", strings.ToLower(et.declared[0]), " " + et.declared[0], et.declared[0] + " ",
				nil, 1, 1.5, true, []byte(et.declared[0]), []string{et.declared[0]},
			}
			for _, v := range rejects {
				_, err := et.unmarshal(v)
				if err == nil {
					t.Errorf("UnmarshalGQL(%#v) accepted", v)
					continue
				}
				if !strings.Contains(err.Error(), et.name) {
					t.Errorf("UnmarshalGQL(%#v) error %q does not name %s", v, err, et.name)
				}
			}
		})
	}
	// Members of another enum are refused.
	var s EventStatus
	if err := s.UnmarshalGQL(string(BookingStatusConfirmed)); err == nil {
		t.Error("EventStatus accepted CONFIRMED")
	}
	var k SortEnumType
	if err := k.UnmarshalGQL("asc"); err == nil {
		t.Error("SortEnumType accepted lower-case asc")
	}
}

func TestMarshalGQL(t *testing.T) {
	for _, et := range allTypes {
		if et.marshal == nil {
			continue
		}
		for _, v := range et.declared {
			var b bytes.Buffer
			et.marshal(v, &b)
			if want := strconv.Quote(v); b.String() != want {
				t.Errorf("%s(%s).MarshalGQL wrote %s, want %s", et.name, v, b.String(), want)
			}
		}
	}
}

func TestLocalized(t *testing.T) {
	en := WithLanguage(context.Background(), "en")
	de := WithLanguage(context.Background(), "de")
	for _, name := range localizedTypes {
		var et enumType
		for _, x := range allTypes {
			if x.name == name {
				et = x
			}
		}
		t.Run(name, func(t *testing.T) {
			for _, v := range et.declared {
				l := et.localized(en, v)
				g := et.localized(de, v)
				if l == "" || g == "" {
					t.Errorf("%s: empty label (en %q, de %q)", v, l, g)
				}
				if l == v || g == v {
					t.Errorf("%s: label falls back to the member name (en %q, de %q)", v, l, g)
				}
				if l == g {
					t.Errorf("%s: the German label %q is the English one", v, g)
				}
				if d := et.localized(context.Background(), v); d != l {
					t.Errorf("%s: without a language got %q, want English %q", v, d, l)
				}
				for _, lang := range []string{"fr", "", "EN", "de-CH"} {
					if got := et.localized(WithLanguage(context.Background(), lang), v); got != l {
						t.Errorf("%s in %q = %q, want English %q", v, lang, got, l)
					}
				}
			}
		})
	}
}

func TestLocalizedExamples(t *testing.T) {
	en := WithLanguage(context.Background(), "en")
	de := WithLanguage(context.Background(), "de")
	tests := []struct {
		got, want string
	}{
		{Localized(en, "EventStatus", EventStatusPublished), "Published"},
		{Localized(de, "EventStatus", EventStatusPublished), "Veröffentlicht"},
		{Localized(de, "EventStatus", EventStatusCancelled), "Abgesagt"},
		{Localized(de, "BookingStatus", BookingStatusCancelled), "Storniert"},
		{Localized(en, "PaymentStatus", PaymentStatusPartiallyRefunded), "Partially refunded"},
		{Localized(de, "PaymentMethod", PaymentMethodBankTransfer), "Überweisung"},
		{Localized(de, "TicketStatus", TicketStatusActive), "Gültig"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// labels holds exactly the members of each labelled type, each in every language.
func TestLabelsComplete(t *testing.T) {
	for _, name := range localizedTypes {
		if _, ok := labels[name]; !ok {
			t.Errorf("%s has no labels", name)
		}
	}
	for typ, byMember := range labels {
		ms, ok := members[typ]
		if !ok {
			t.Errorf("labels for unknown type %s", typ)
			continue
		}
		for _, m := range ms {
			if _, ok := byMember[m]; !ok {
				t.Errorf("%s.%s has no label", typ, m)
			}
		}
		for m, byLang := range byMember {
			if !slices.Contains(ms, m) {
				t.Errorf("label for %s.%s, which is not a member", typ, m)
			}
			for _, lang := range Languages {
				if byLang[lang] == "" {
					t.Errorf("%s.%s has no %s label", typ, m, lang)
				}
			}
		}
	}
}

// Types without labels, and unknown members, fall back to the member name.
func TestLocalizedFallback(t *testing.T) {
	de := WithLanguage(context.Background(), "de")
	tests := []struct {
		got, want string
	}{
		{Localized(de, "EventStatus", EventStatus("ARCHIVED")), "ARCHIVED"},
		{Localized(de, "NoSuchType", EventStatusDraft), "DRAFT"},
		{Localized(de, "StatisticsInterval", StatisticsIntervalDay), "DAY"},
		{Localized(de, "SortEnumType", SortDESC), "DESC"},
		{Localized(de, "HistoryKind", HistoryCheckedIn), "CHECKED_IN"},
		// The type name picks the table: a member looked up under another type.
		{Localized(de, "BookingStatus", EventStatusCancelled), "Storniert"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
