package graph_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/graph/graphtest"
	"seatgraph/internal/domain"
	"seatgraph/internal/gid"
)

// ---------------------------------------------------------------------------
// Rows written through Ent directly, for the test tenant.

var seq atomic.Int64

func next() int64 { return seq.Add(1) }

func addEvent(t *testing.T, e *graphtest.Env, status domain.EventStatus) *ent.Event {
	t.Helper()
	return e.Client.Event.Create().SetTenantID(e.Tenant).SetTitle(fmt.Sprintf("Event %d", next())).
		SetStatus(status).SetStartsAt(time.Date(2027, 9, 1, 18, 0, 0, 0, time.UTC)).SetCurrency("EUR").
		SaveX(e.Ctx())
}

func addCategory(t *testing.T, e *graphtest.Env, eventID int, price int64, currency string) *ent.TicketCategory {
	t.Helper()
	return e.Client.TicketCategory.Create().SetTenantID(e.Tenant).SetEventID(eventID).
		SetName(fmt.Sprintf("Category %d", next())).SetPrice(price).SetCurrency(currency).SetTaxRatePercent(1900).
		SaveX(e.Ctx())
}

func addParticipant(t *testing.T, e *graphtest.Env, email string) *ent.Participant {
	t.Helper()
	if email == "" {
		email = fmt.Sprintf("person%d@example.com", next())
	}
	return e.Client.Participant.Create().SetTenantID(e.Tenant).SetFirstName("Test").SetLastName("Person").
		SetEmail(email).SaveX(e.Ctx())
}

func addBooking(t *testing.T, e *graphtest.Env, bookerID int, status domain.BookingStatus, ps domain.PaymentStatus, pm domain.PaymentMethod) *ent.Booking {
	t.Helper()
	return e.Client.Booking.Create().SetTenantID(e.Tenant).SetOrderNumber(fmt.Sprintf("BK-%06d", next())).
		SetStatus(status).SetBookerID(bookerID).SetCurrency("EUR").SetPaymentStatus(ps).SetPaymentMethod(pm).
		SetSubtotal(10000).SetTaxTotal(1900).SetTotal(11900).
		SaveX(e.Ctx())
}

func addRegistration(t *testing.T, e *graphtest.Env, eventID, participantID int, status domain.RegistrationStatus) *ent.Registration {
	t.Helper()
	return e.Client.Registration.Create().SetTenantID(e.Tenant).SetEventID(eventID).SetParticipantID(participantID).
		SetStatus(status).SaveX(e.Ctx())
}

func addTicketRow(t *testing.T, e *graphtest.Env, bookingID, eventID, categoryID, holderID int, regID *int, status domain.TicketStatus) *ent.Ticket {
	t.Helper()
	return e.Client.Ticket.Create().SetTenantID(e.Tenant).SetBookingID(bookingID).SetEventID(eventID).
		SetTicketCategoryID(categoryID).SetHolderID(holderID).SetNillableRegistrationID(regID).
		SetCode(fmt.Sprintf("TESTCODE%012d", next())).SetStatus(status).
		SetPrice(11900).SetNetPrice(10000).SetTaxAmount(1900).SetCurrency("EUR").
		SaveX(e.Ctx())
}

func addPayment(t *testing.T, e *graphtest.Env, bookingID int, kind domain.PaymentKind, method domain.PaymentMethod, status domain.PaymentRecordStatus) *ent.Payment {
	t.Helper()
	return e.Client.Payment.Create().SetTenantID(e.Tenant).SetBookingID(bookingID).SetKind(kind).
		SetAmount(5000).SetCurrency("EUR").SetMethod(method).SetStatus(status).SaveX(e.Ctx())
}

// addTicket books one ticket of a category through Ent: a participant, a
// confirmed booking, an accepted registration and the ticket.
func addTicket(t *testing.T, e *graphtest.Env, eventID, categoryID int) *ent.Ticket {
	t.Helper()
	p := addParticipant(t, e, "")
	b := addBooking(t, e, p.ID, domain.BookingStatusConfirmed, domain.PaymentStatusUnpaid, domain.PaymentMethodInvoice)
	e.Client.Booking.UpdateOneID(b.ID).AddEventIDs(eventID).ExecX(e.Ctx())
	r := addRegistration(t, e, eventID, p.ID, domain.RegistrationStatusAccepted)
	return addTicketRow(t, e, b.ID, eventID, categoryID, p.ID, &r.ID, domain.TicketStatusActive)
}

// graphFixture is one row of every Node type, linked to each other.
type graphFixture struct {
	event        *ent.Event
	category     *ent.TicketCategory
	person       *ent.Participant
	booking      *ent.Booking
	registration *ent.Registration
	ticket       *ent.Ticket
	payment      *ent.Payment
}

func seedGraph(t *testing.T, e *graphtest.Env) graphFixture {
	t.Helper()
	var f graphFixture
	f.event = addEvent(t, e, domain.EventStatusPublished)
	f.category = addCategory(t, e, f.event.ID, 123450, "EUR")
	f.person = e.Client.Participant.Create().SetTenantID(e.Tenant).SetFirstName("Ada").SetLastName("Lovelace").
		SetEmail(fmt.Sprintf("ada%d@example.com", next())).SetCountryCode("GB").SaveX(e.Ctx())
	f.booking = addBooking(t, e, f.person.ID, domain.BookingStatusConfirmed, domain.PaymentStatusPartiallyPaid, domain.PaymentMethodBankTransfer)
	e.Client.Booking.UpdateOneID(f.booking.ID).AddEventIDs(f.event.ID).ExecX(e.Ctx())
	f.registration = addRegistration(t, e, f.event.ID, f.person.ID, domain.RegistrationStatusAccepted)
	f.ticket = addTicketRow(t, e, f.booking.ID, f.event.ID, f.category.ID, f.person.ID, &f.registration.ID, domain.TicketStatusActive)
	f.payment = addPayment(t, e, f.booking.ID, domain.PaymentKindPayment, domain.PaymentMethodCard, domain.PaymentRecordStatusSucceeded)
	return f
}

// nodeSelection asks every Node type for its own fields and links. Enum
// fields of different types are aliased: one selection set may not give a
// response key two enum types.
const nodeSelection = `__typename id
	... on Event { createdAt updatedAt title eventStatus: status statusLocalized currency
		ticketCategories { id } }
	... on TicketCategory { createdAt name price { amount currency formatted } taxRatePercent event { id } }
	... on Participant { createdAt firstName lastName name email countryCode }
	... on Booking { createdAt orderNumber bookingStatus: status statusLocalized paymentStatus paymentStatusLocalized
		paymentMethod paymentMethodLocalized total { amount currency formatted } booker { id } events { id } }
	... on Ticket { createdAt code ticketStatus: status statusLocalized price { amount } netPrice { amount }
		taxAmount { amount } booking { id } event { id } ticketCategory { id } holder { id } registration { id } }
	... on Registration { createdAt registrationStatus: status statusLocalized event { id } participant { id }
		ticket { id } }
	... on Payment { createdAt kind kindLocalized paymentRecordStatus: status statusLocalized method methodLocalized
		amount { amount currency formatted } booking { id } }`

func TestNodeEveryType(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		f := seedGraph(t, e)
		ref := func(id int) map[string]any { return map[string]any{"id": gid.Encode(id)} }
		tests := []struct {
			typename string
			id       int
			want     map[string]any // fields besides __typename, id and createdAt
		}{
			{"Event", f.event.ID, map[string]any{
				"title": f.event.Title, "eventStatus": "PUBLISHED", "statusLocalized": "Published", "currency": "EUR",
				"updatedAt":        f.event.UpdatedAt.UTC().Format(time.RFC3339Nano),
				"ticketCategories": []any{ref(f.category.ID)},
			}},
			{"TicketCategory", f.category.ID, map[string]any{
				"name": f.category.Name, "taxRatePercent": "19", "event": ref(f.event.ID),
				"price": map[string]any{"amount": "1234.50", "currency": "EUR", "formatted": "€1,234.50"},
			}},
			{"Participant", f.person.ID, map[string]any{
				"firstName": "Ada", "lastName": "Lovelace", "name": "Ada Lovelace", "email": f.person.Email, "countryCode": "GB",
			}},
			{"Booking", f.booking.ID, map[string]any{
				"orderNumber": f.booking.OrderNumber, "bookingStatus": "CONFIRMED", "statusLocalized": "Confirmed",
				"paymentStatus": "PARTIALLY_PAID", "paymentStatusLocalized": "Partially paid",
				"paymentMethod": "BANK_TRANSFER", "paymentMethodLocalized": "Bank transfer",
				"total":  map[string]any{"amount": "119.00", "currency": "EUR", "formatted": "€119.00"},
				"booker": ref(f.person.ID), "events": []any{ref(f.event.ID)},
			}},
			{"Ticket", f.ticket.ID, map[string]any{
				"code": f.ticket.Code, "ticketStatus": "ACTIVE", "statusLocalized": "Active",
				"price": map[string]any{"amount": "119.00"}, "netPrice": map[string]any{"amount": "100.00"},
				"taxAmount": map[string]any{"amount": "19.00"},
				"booking":   ref(f.booking.ID), "event": ref(f.event.ID), "ticketCategory": ref(f.category.ID),
				"holder": ref(f.person.ID), "registration": ref(f.registration.ID),
			}},
			{"Registration", f.registration.ID, map[string]any{
				"registrationStatus": "ACCEPTED", "statusLocalized": "Accepted", "event": ref(f.event.ID),
				"participant": ref(f.person.ID), "ticket": ref(f.ticket.ID),
			}},
			{"Payment", f.payment.ID, map[string]any{
				"kind": "PAYMENT", "kindLocalized": "Payment", "paymentRecordStatus": "SUCCEEDED", "statusLocalized": "Succeeded",
				"method": "CARD", "methodLocalized": "Card", "booking": ref(f.booking.ID),
				"amount": map[string]any{"amount": "50.00", "currency": "EUR", "formatted": "€50.00"},
			}},
		}
		seen := map[string]string{}
		for _, tt := range tests {
			t.Run(tt.typename, func(t *testing.T) {
				if got := gid.TypeOf(tt.id); got != tt.typename {
					t.Fatalf("key %d has type %q, want %s", tt.id, got, tt.typename)
				}
				id := gid.Encode(tt.id)
				var out struct{ Node map[string]any }
				e.Query(t, `query($id: ID!) { node(id: $id) { `+nodeSelection+` } }`, map[string]any{"id": id}, &out)
				if out.Node == nil {
					t.Fatalf("node(%s) is null", id)
				}
				if out.Node["__typename"] != tt.typename || out.Node["id"] != id {
					t.Fatalf("node(%s) = %s %s", id, out.Node["__typename"], out.Node["id"])
				}
				if s, _ := out.Node["createdAt"].(string); s == "" || s[len(s)-1] != 'Z' {
					t.Errorf("createdAt %v is not UTC with Z", out.Node["createdAt"])
				}
				for k, want := range tt.want {
					diffJSON(t, tt.typename+"."+k, out.Node[k], want)
				}
				if other, dup := seen[id]; dup {
					t.Errorf("%s and %s share the ID %s", other, tt.typename, id)
				}
				seen[id] = tt.typename
			})
		}
	})
}

func TestNodeIDs(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		f := seedGraph(t, e)
		keys := []int{f.event.ID, f.category.ID, f.person.ID, f.booking.ID, f.ticket.ID, f.registration.ID, f.payment.ID}
		opaque := regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

		t.Run("globally unique and opaque", func(t *testing.T) {
			var out struct {
				Nodes []*struct{ ID, Typename string }
			}
			ids := make([]string, len(keys))
			for i, k := range keys {
				ids[i] = gid.Encode(k)
			}
			e.Query(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id typename: __typename } }`, map[string]any{"ids": ids}, &out)
			seen := map[string]bool{}
			for i, n := range out.Nodes {
				if n == nil {
					t.Fatalf("nodes[%d] is null", i)
				}
				if seen[n.ID] {
					t.Errorf("ID %s appears twice", n.ID)
				}
				seen[n.ID] = true
				if _, err := strconv.Atoi(n.ID); err == nil {
					t.Errorf("%s ID %q is a plain integer", n.Typename, n.ID)
				}
				if !opaque.MatchString(n.ID) {
					t.Errorf("%s ID %q is not URL-safe", n.Typename, n.ID)
				}
				if n.ID == strconv.Itoa(keys[i]) || n.ID == strconv.Itoa(keys[i]&(1<<32-1)) {
					t.Errorf("%s ID %q is the database key", n.Typename, n.ID)
				}
			}
		})

		t.Run("node", func(t *testing.T) {
			tests := []struct {
				name     string
				id       string
				typename string // "" means null
				code     string // a top-level error instead
			}{
				{"event", gid.Encode(f.event.ID), "Event", ""},
				{"padded base64 is tolerated", gid.Encode(f.event.ID) + "==", "Event", ""},
				{"unknown event", gid.Encode(2<<32 | 999999), "", ""},
				{"unknown payment", gid.Encode(8<<32 | 999999), "", ""},
				{"a tenant is no node", gid.Encode(e.Tenant), "", ""},
				{"plain integer", strconv.Itoa(f.event.ID), "", "BAD_USER_INPUT"},
				{"garbage", "!!!", "", "BAD_USER_INPUT"},
				{"empty", "", "", "BAD_USER_INPUT"},
				{"unknown type name", base64.RawURLEncoding.EncodeToString([]byte("Order:1")), "", "BAD_USER_INPUT"},
				{"bad number", base64.RawURLEncoding.EncodeToString([]byte("Event:-1")), "", "BAD_USER_INPUT"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r := e.Do(t, `query($id: ID!) { node(id: $id) { __typename id } }`, map[string]any{"id": tt.id})
					if tt.code != "" {
						if codes := r.Codes(); len(codes) != 1 || codes[0] != tt.code {
							t.Fatalf("codes %v (%+v), want %s", codes, r.Errors, tt.code)
						}
						return
					}
					if len(r.Errors) > 0 {
						t.Fatalf("errors %+v", r.Errors)
					}
					var out struct {
						Node *struct {
							Typename string `json:"__typename"`
							ID       string `json:"id"`
						}
					}
					if err := json.Unmarshal(r.Data, &out); err != nil {
						t.Fatal(err)
					}
					switch {
					case tt.typename == "" && out.Node != nil:
						t.Errorf("node(%s) = %+v, want null", tt.id, out.Node)
					case tt.typename != "" && (out.Node == nil || out.Node.Typename != tt.typename):
						t.Errorf("node(%s) = %+v, want a %s", tt.id, out.Node, tt.typename)
					case tt.typename != "" && out.Node.ID != gid.Encode(f.event.ID):
						t.Errorf("node id %s, want the canonical %s", out.Node.ID, gid.Encode(f.event.ID))
					}
				})
			}
		})

		t.Run("another tenant's object is null", func(t *testing.T) {
			// The operator's own work (no tenant in the context) writes for another tenant.
			ctx := context.Background()
			other := e.Client.Tenant.Create().SetSlug(fmt.Sprintf("other-%d", next())).SaveX(ctx)
			ev := e.Client.Event.Create().SetTenantID(other.ID).SetTitle("Not yours").
				SetStatus(domain.EventStatusPublished).SetStartsAt(time.Now().UTC()).SaveX(ctx)
			var out struct {
				Node  *struct{ ID string }
				Nodes []*struct{ ID string }
			}
			e.Query(t, `query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }`, map[string]any{"id": gid.Encode(ev.ID)}, &out)
			if out.Node != nil || len(out.Nodes) != 1 || out.Nodes[0] != nil {
				t.Errorf("node(id:) of another tenant's event gives %+v / %+v, the client guide wants null", out.Node, out.Nodes)
			}
			var list struct {
				Events struct{ Nodes []struct{ ID string } }
			}
			e.Query(t, `{ events(first: 100) { nodes { id } } }`, nil, &list)
			for _, n := range list.Events.Nodes {
				if n.ID == gid.Encode(ev.ID) {
					t.Errorf("events lists another tenant's event")
				}
			}
			mutate(t, e, "updateEvent", "event", "id", map[string]any{"id": gid.Encode(ev.ID), "title": "Hijacked"}).
				fails(t, "NotFoundError", "")
			if back := e.Client.Event.GetX(ctx, ev.ID); back.Title != "Not yours" {
				t.Errorf("another tenant's event was changed: %q", back.Title)
			}
		})

		t.Run("nodes keeps order, null for unknown", func(t *testing.T) {
			ids := []string{
				gid.Encode(f.ticket.ID), gid.Encode(2<<32 | 999999), gid.Encode(f.event.ID),
				gid.Encode(f.payment.ID), gid.Encode(f.person.ID), gid.Encode(4<<32 | 999999),
				gid.Encode(f.event.ID), gid.Encode(f.registration.ID), gid.Encode(f.category.ID), gid.Encode(f.booking.ID),
			}
			want := []string{"Ticket", "", "Event", "Payment", "Participant", "", "Event", "Registration", "TicketCategory", "Booking"}
			var out struct {
				Nodes []*struct {
					Typename string `json:"__typename"`
					ID       string `json:"id"`
				}
			}
			e.Query(t, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, map[string]any{"ids": ids}, &out)
			if len(out.Nodes) != len(ids) {
				t.Fatalf("nodes gave %d entries for %d ids", len(out.Nodes), len(ids))
			}
			for i, n := range out.Nodes {
				switch {
				case want[i] == "" && n != nil:
					t.Errorf("nodes[%d] = %+v, want null", i, n)
				case want[i] != "" && (n == nil || n.Typename != want[i] || n.ID != ids[i]):
					t.Errorf("nodes[%d] = %+v, want %s %s", i, n, want[i], ids[i])
				}
			}

			var empty struct{ Nodes []any }
			e.Query(t, `{ nodes(ids: []) { id } }`, nil, &empty)
			if empty.Nodes == nil || len(empty.Nodes) != 0 {
				t.Errorf("nodes(ids: []) = %v, want []", empty.Nodes)
			}
			r := e.Do(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{ids[0], "nope"}})
			if codes := r.Codes(); len(codes) != 1 || codes[0] != "BAD_USER_INPUT" {
				t.Errorf("a malformed id among nodes: codes %v", codes)
			}
		})
	})
}

// ---------------------------------------------------------------------------
// Localized enum fields and formatted money.

func TestLocalizedEnums(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := addEvent(t, e, domain.EventStatusPublished)
		cat := addCategory(t, e, ev.ID, 1000, "EUR")
		booker := addParticipant(t, e, "")
		base := addBooking(t, e, booker.ID, domain.BookingStatusConfirmed, domain.PaymentStatusPaid, domain.PaymentMethodCard)

		type entry struct {
			typ, field, value, en, de string
			id                        int
		}
		var entries []entry
		add := func(id int, typ, field, value, en, de string) {
			entries = append(entries, entry{typ, field, value, en, de, id})
		}
		for _, c := range []struct{ v, en, de string }{
			{"DRAFT", "Draft", "Entwurf"}, {"PUBLISHED", "Published", "Veröffentlicht"}, {"CANCELLED", "Cancelled", "Abgesagt"},
		} {
			add(addEvent(t, e, domain.EventStatus(c.v)).ID, "Event", "status", c.v, c.en, c.de)
		}
		for _, c := range []struct{ v, en, de string }{
			{"WAITLISTED", "Waitlisted", "Auf der Warteliste"}, {"PENDING", "Pending", "Ausstehend"},
			{"CONFIRMED", "Confirmed", "Bestätigt"}, {"CANCELLED", "Cancelled", "Storniert"}, {"EXPIRED", "Expired", "Abgelaufen"},
		} {
			b := addBooking(t, e, booker.ID, domain.BookingStatus(c.v), domain.PaymentStatusUnpaid, domain.PaymentMethodCard)
			add(b.ID, "Booking", "status", c.v, c.en, c.de)
		}
		for _, c := range []struct{ v, en, de string }{
			{"UNPAID", "Unpaid", "Unbezahlt"}, {"PARTIALLY_PAID", "Partially paid", "Teilweise bezahlt"}, {"PAID", "Paid", "Bezahlt"},
			{"PARTIALLY_REFUNDED", "Partially refunded", "Teilweise erstattet"}, {"REFUNDED", "Refunded", "Erstattet"},
		} {
			b := addBooking(t, e, booker.ID, domain.BookingStatusConfirmed, domain.PaymentStatus(c.v), domain.PaymentMethodCard)
			add(b.ID, "Booking", "paymentStatus", c.v, c.en, c.de)
		}
		methods := []struct{ v, en, de string }{
			{"CARD", "Card", "Karte"}, {"INVOICE", "Invoice", "Rechnung"}, {"BANK_TRANSFER", "Bank transfer", "Überweisung"},
			{"CASH", "Cash", "Bar"}, {"EXTERNAL", "External", "Extern"}, {"FREE", "Free", "Kostenlos"},
		}
		for _, c := range methods {
			b := addBooking(t, e, booker.ID, domain.BookingStatusConfirmed, domain.PaymentStatusUnpaid, domain.PaymentMethod(c.v))
			add(b.ID, "Booking", "paymentMethod", c.v, c.en, c.de)
			p := addPayment(t, e, base.ID, domain.PaymentKindPayment, domain.PaymentMethod(c.v), domain.PaymentRecordStatusSucceeded)
			add(p.ID, "Payment", "method", c.v, c.en, c.de)
		}
		for _, c := range []struct{ v, en, de string }{
			{"ACTIVE", "Active", "Gültig"}, {"WAITLISTED", "Waitlisted", "Auf der Warteliste"}, {"CANCELLED", "Cancelled", "Storniert"},
		} {
			tk := addTicketRow(t, e, base.ID, ev.ID, cat.ID, booker.ID, nil, domain.TicketStatus(c.v))
			add(tk.ID, "Ticket", "status", c.v, c.en, c.de)
		}
		for _, c := range []struct{ v, en, de string }{
			{"PENDING", "Pending", "Ausstehend"}, {"ACCEPTED", "Accepted", "Angenommen"},
			{"WAITLISTED", "Waitlisted", "Auf der Warteliste"}, {"DECLINED", "Declined", "Abgelehnt"},
			{"REMOVED", "Removed", "Entfernt"}, {"CANCELLED", "Cancelled", "Storniert"},
		} {
			r := addRegistration(t, e, ev.ID, booker.ID, domain.RegistrationStatus(c.v))
			add(r.ID, "Registration", "status", c.v, c.en, c.de)
		}
		for _, c := range []struct{ v, en, de string }{{"PAYMENT", "Payment", "Zahlung"}, {"REFUND", "Refund", "Erstattung"}} {
			p := addPayment(t, e, base.ID, domain.PaymentKind(c.v), domain.PaymentMethodCard, domain.PaymentRecordStatusSucceeded)
			add(p.ID, "Payment", "kind", c.v, c.en, c.de)
		}
		for _, c := range []struct{ v, en, de string }{
			{"PENDING", "Pending", "Ausstehend"}, {"SUCCEEDED", "Succeeded", "Erfolgreich"},
			{"FAILED", "Failed", "Fehlgeschlagen"}, {"CANCELLED", "Cancelled", "Abgebrochen"},
		} {
			p := addPayment(t, e, base.ID, domain.PaymentKindPayment, domain.PaymentMethodCard, domain.PaymentRecordStatus(c.v))
			add(p.ID, "Payment", "status", c.v, c.en, c.de)
		}

		// Enum fields are aliased per type: "<type>_<field>".
		const q = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename
			... on Event { Event_status: status statusLocalized }
			... on Booking { Booking_status: status statusLocalized Booking_paymentStatus: paymentStatus
				paymentStatusLocalized Booking_paymentMethod: paymentMethod paymentMethodLocalized }
			... on Ticket { Ticket_status: status statusLocalized }
			... on Registration { Registration_status: status statusLocalized }
			... on Payment { Payment_kind: kind kindLocalized Payment_method: method methodLocalized
				Payment_status: status statusLocalized }
		} }`
		ids := make([]string, len(entries))
		for i, en := range entries {
			ids[i] = gid.Encode(en.id)
		}
		languages := []struct {
			name, header string
			german       bool
		}{
			{"no header", "", false},
			{"en", "en", false},
			{"en-US", "en-US,en;q=0.9", false},
			{"de", "de", true},
			{"de-DE with q", "de-DE,de;q=0.9", true},
			{"DE upper case", "DE", true},
			{"en preferred over de", "de;q=0.5, en;q=0.8", false},
			{"de preferred over en", "en;q=0.3, de-AT;q=0.7", true},
			{"unsupported falls back to en", "fr-FR", false},
			{"unsupported first, then de", "fr-FR, de;q=0.5", true},
			{"de not acceptable", "de;q=0", false},
		}
		for _, lang := range languages {
			t.Run(lang.name, func(t *testing.T) {
				var headers []string
				if lang.header != "" {
					headers = []string{"Accept-Language", lang.header}
				}
				var out struct{ Nodes []map[string]any }
				e.Query(t, q, map[string]any{"ids": ids}, &out, headers...)
				if len(out.Nodes) != len(entries) {
					t.Fatalf("%d nodes for %d ids", len(out.Nodes), len(entries))
				}
				for i, en := range entries {
					n := out.Nodes[i]
					if n == nil || n["__typename"] != en.typ {
						t.Errorf("%s %s: node %v", en.typ, en.value, n)
						continue
					}
					if got := n[en.typ+"_"+en.field]; got != en.value {
						t.Errorf("%s.%s = %v, want %s", en.typ, en.field, got, en.value)
					}
					want := en.en
					if lang.german {
						want = en.de
					}
					if got := n[en.field+"Localized"]; got != want {
						t.Errorf("%s.%sLocalized of %s = %q, want %q", en.typ, en.field, en.value, got, want)
					}
				}
			})
		}
	})
}

func TestLocalizedMoney(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := addEvent(t, e, domain.EventStatusPublished)
		tests := []struct {
			name     string
			minor    int64
			currency string
			amount   string
			en, de   string
		}{
			{"thousands", 123450, "EUR", "1234.50", "€1,234.50", "1.234,50\u00a0€"},
			{"millions", 123456789, "EUR", "1234567.89", "€1,234,567.89", "1.234.567,89\u00a0€"},
			{"below one", 5, "EUR", "0.05", "€0.05", "0,05\u00a0€"},
			{"zero", 0, "EUR", "0.00", "€0.00", "0,00\u00a0€"},
			{"three digits only", 99900, "USD", "999.00", "$999.00", "999,00\u00a0$"},
			{"GBP", 100000, "GBP", "1000.00", "£1,000.00", "1.000,00\u00a0£"},
			{"JPY has no minor unit", 1200, "JPY", "1200", "¥1,200", "1.200\u00a0¥"},
			{"code without symbol", 123400, "CHF", "1234.00", "CHF\u00a01,234.00", "1.234,00\u00a0CHF"},
			{"three minor digits", 1234567, "KWD", "1234.567", "KWD\u00a01,234.567", "1.234,567\u00a0KWD"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := addCategory(t, e, ev.ID, tt.minor, tt.currency)
				q := `query($id: ID!) { node(id: $id) { ... on TicketCategory { price { amount currency formatted } } } }`
				for _, lang := range []struct{ header, want string }{
					{"", tt.en}, {"en", tt.en}, {"de", tt.de}, {"de-DE,de;q=0.9", tt.de},
				} {
					var out struct{ Node struct{ Price moneyOut } }
					var headers []string
					if lang.header != "" {
						headers = []string{"Accept-Language", lang.header}
					}
					e.Query(t, q, map[string]any{"id": gid.Encode(c.ID)}, &out, headers...)
					want := moneyOut{tt.amount, tt.currency, lang.want}
					if out.Node.Price != want {
						t.Errorf("Accept-Language %q: price %+v, want %+v", lang.header, out.Node.Price, want)
					}
				}
			})
		}

		t.Run("mutation payloads follow the language too", func(t *testing.T) {
			var got eventOut
			mutate(t, e, "createEvent", "event", eventFields, simpleEvent("Sprache", map[string]any{
				"publish": true,
				"cancellationPolicy": map[string]any{"rules": []any{
					map[string]any{"hoursBeforeStart": 24, "keepPercent": "50", "fixedFee": "1500"},
				}},
			}), "Accept-Language", "de-DE,de;q=0.9").ok(t, &got)
			if got.StatusLocalized != "Veröffentlicht" {
				t.Errorf("statusLocalized %q, want Veröffentlicht", got.StatusLocalized)
			}
			if f := got.TicketCategories[0].Price.Formatted; f != "20,00\u00a0€" {
				t.Errorf("price formatted %q", f)
			}
			if f := got.CancellationPolicy.Rules[0].FixedFee.Formatted; f != "1.500,00\u00a0€" {
				t.Errorf("fixedFee formatted %q", f)
			}
			r := e.Do(t, `{ __typename }`, nil, "Accept-Language", "de")
			if v := strings.Join(r.Header.Values("Vary"), ","); !strings.Contains(v, "Accept-Language") {
				t.Errorf("Vary %q does not name Accept-Language; a cache would mix languages", v)
			}
		})
	})
}
