package graph_test

// Booking lifecycle, waitlist, money, cancellation policy, registration and
// event rules (docs/domain-rules.md, rules 2, 3, 4, 5, 8 and 9), through the real HTTP
// handler on every configured database. Helpers are prefixed lc so they do
// not collide with the other tests of the package.

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"seatgraph/graph/graphtest"
	"seatgraph/internal/gid"
)

// ---------------------------------------------------------------------------
// Plumbing

var lcSeq atomic.Int64

func lcNext() int64 { return lcSeq.Add(1) }

func lcRFC(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// lcUnions are the members of each mutation's error union.
var lcUnions = map[string][]string{
	"createEvent":              {"ValidationError"},
	"updateEvent":              {"ValidationError", "NotFoundError"},
	"cancelEvent":              {"NotFoundError", "InvalidStateError"},
	"deleteEvent":              {"NotFoundError", "InvalidStateError"},
	"updateTicketCategory":     {"ValidationError", "NotFoundError"},
	"createBooking":            {"SoldOutError", "RegistrationClosedError", "ValidationError", "NotFoundError", "IdempotencyKeyReusedError"},
	"cancelBooking":            {"InvalidStateError", "NotFoundError"},
	"recordPayment":            {"ValidationError", "InvalidStateError", "NotFoundError"},
	"updatePaymentStatus":      {"ValidationError", "InvalidStateError", "NotFoundError"},
	"refundPayment":            {"ValidationError", "InvalidStateError", "NotFoundError"},
	"createRegistration":       {"SoldOutError", "RegistrationClosedError", "NotFoundError", "ValidationError"},
	"updateRegistrationStatus": {"InvalidStateError", "SoldOutError", "NotFoundError"},
}

func lcErrSel(mutation string) string {
	members, ok := lcUnions[mutation]
	if !ok {
		panic("no error union for " + mutation)
	}
	sel := "__typename ... on Error { message }"
	for _, m := range members {
		switch m {
		case "ValidationError":
			sel += " ... on ValidationError { field }"
		case "SoldOutError":
			sel += " ... on SoldOutError { eventId availableSeats waitlistAvailable }"
		case "RegistrationClosedError":
			sel += " ... on RegistrationClosedError { eventId }"
		case "NotFoundError":
			sel += " ... on NotFoundError { id }"
		}
	}
	return sel
}

// lcErr is one entry of a payload's errors.
type lcErr struct {
	Typename          string  `json:"__typename"`
	Message           string  `json:"message"`
	Field             *string `json:"field"`
	EventID           *string `json:"eventId"`
	ID                *string `json:"id"`
	AvailableSeats    *int    `json:"availableSeats"`
	WaitlistAvailable *bool   `json:"waitlistAvailable"`
}

func (e lcErr) String() string {
	s := e.Typename + ": " + e.Message
	if e.Field != nil {
		s += " (field " + *e.Field + ")"
	}
	return s
}

// lcResult is a mutation's payload.
type lcResult struct {
	name    string
	payload map[string]json.RawMessage
	errs    []lcErr
}

// lcMutate runs name(input: $input) { <sel> errors { ... } }; top-level
// errors fail the test.
func lcMutate(t *testing.T, e *graphtest.Env, name, sel string, input map[string]any) lcResult {
	t.Helper()
	q := fmt.Sprintf("mutation($input: %sInput!) { %s(input: $input) { %s errors { %s } } }",
		strings.ToUpper(name[:1])+name[1:], name, sel, lcErrSel(name))
	var data map[string]map[string]json.RawMessage
	e.Query(t, q, map[string]any{"input": input}, &data)
	r := lcResult{name: name, payload: data[name]}
	if r.payload == nil {
		t.Fatalf("%s: no payload", name)
	}
	if raw := r.payload["errors"]; len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &r.errs); err != nil {
			t.Fatalf("%s: decoding errors %s: %v", name, raw, err)
		}
	}
	return r
}

// ok requires no payload errors and decodes the payload's field into out.
func (r lcResult) ok(t *testing.T, field string, out any) {
	t.Helper()
	if len(r.errs) > 0 {
		t.Fatalf("%s: unexpected payload errors %v", r.name, r.errs)
	}
	raw := r.payload[field]
	if len(raw) == 0 || string(raw) == "null" {
		t.Fatalf("%s: %s is null", r.name, field)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s: decoding %s: %v", r.name, raw, err)
		}
	}
}

// fail requires exactly one payload error of typename (on field, when not
// empty) and no object in the payload.
func (r lcResult) fail(t *testing.T, typename, field string) lcErr {
	t.Helper()
	if len(r.errs) != 1 || r.errs[0].Typename != typename {
		t.Fatalf("%s: want one %s, got %v (payload %s)", r.name, typename, r.errs, r.payload)
	}
	got := r.errs[0]
	if got.Message == "" {
		t.Errorf("%s: %s has an empty message", r.name, typename)
	}
	if field != "" && (got.Field == nil || *got.Field != field) {
		t.Fatalf("%s: want %s on field %q, got %v", r.name, typename, field, got)
	}
	for k, raw := range r.payload {
		if k != "errors" && len(raw) > 0 && string(raw) != "null" {
			t.Errorf("%s failed but returned %s %s", r.name, k, raw)
		}
	}
	return got
}

// ---------------------------------------------------------------------------
// Shapes

type lcMoney struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

type lcRef struct {
	ID string `json:"id"`
}

type lcReg struct {
	ID               string `json:"id"`
	Status           string `json:"status"`
	WaitlistPosition *int   `json:"waitlistPosition"`
	Event            *lcRef `json:"event"`
	Ticket           *lcRef `json:"ticket"`
}

type lcTicket struct {
	ID           string  `json:"id"`
	Status       string  `json:"status"`
	Code         string  `json:"code"`
	Price        lcMoney `json:"price"`
	NetPrice     lcMoney `json:"netPrice"`
	TaxAmount    lcMoney `json:"taxAmount"`
	Registration *lcReg  `json:"registration"`
}

type lcPayment struct {
	ID     string  `json:"id"`
	Kind   string  `json:"kind"`
	Status string  `json:"status"`
	Method string  `json:"method"`
	Amount lcMoney `json:"amount"`
}

type lcBk struct {
	ID                 string  `json:"id"`
	OrderNumber        string  `json:"orderNumber"`
	Status             string  `json:"status"`
	PaymentStatus      string  `json:"paymentStatus"`
	PaymentMethod      string  `json:"paymentMethod"`
	Currency           string  `json:"currency"`
	HoldExpiresAt      *string `json:"holdExpiresAt"`
	ConfirmedAt        *string `json:"confirmedAt"`
	CancelledAt        *string `json:"cancelledAt"`
	CancellationReason *string `json:"cancellationReason"`
	Subtotal           lcMoney `json:"subtotal"`
	TaxTotal           lcMoney `json:"taxTotal"`
	Total              lcMoney `json:"total"`
	PaidAmount         lcMoney `json:"paidAmount"`
	RefundedAmount     lcMoney `json:"refundedAmount"`
	BalanceDue         lcMoney `json:"balanceDue"`
	Tickets            struct {
		Nodes []lcTicket `json:"nodes"`
	} `json:"tickets"`
	Payments struct {
		Nodes []lcPayment `json:"nodes"`
	} `json:"payments"`
}

const lcRegSel = `id status waitlistPosition event { id } ticket { id }`

const lcBookingSel = `id orderNumber status paymentStatus paymentMethod currency holdExpiresAt confirmedAt
	cancelledAt cancellationReason
	subtotal { amount currency } taxTotal { amount currency } total { amount currency }
	paidAmount { amount currency } refundedAmount { amount currency } balanceDue { amount currency }
	tickets(order: [{ id: ASC }]) { nodes { id status code price { amount currency } netPrice { amount currency }
		taxAmount { amount currency } registration { ` + lcRegSel + ` } } }
	payments(order: [{ id: ASC }]) { nodes { id kind status method amount { amount currency } } }`

const lcBookingField = "booking { " + lcBookingSel + " }"

const lcPaymentSel = `id kind status method amount { amount currency }`

type lcCat struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	SoldCount      int    `json:"soldCount"`
	AvailableSeats *int   `json:"availableSeats"`
}

type lcEv struct {
	ID               string  `json:"id"`
	Status           string  `json:"status"`
	Capacity         *int    `json:"capacity"`
	RegisteredCount  int     `json:"registeredCount"`
	WaitlistCount    int     `json:"waitlistCount"`
	AvailableSeats   *int    `json:"availableSeats"`
	StartsAt         string  `json:"startsAt"`
	TicketCategories []lcCat `json:"ticketCategories"`
}

const lcEventSel = `id status capacity registeredCount waitlistCount availableSeats startsAt
	ticketCategories { id name soldCount availableSeats }`

// cat returns the id of the category named name.
func (ev lcEv) cat(t *testing.T, name string) string {
	t.Helper()
	for _, c := range ev.TicketCategories {
		if c.Name == name {
			return c.ID
		}
	}
	t.Fatalf("event %s has no category %q", ev.ID, name)
	return ""
}

func lcIntp(i int) *int { return &i }

func lcIntString(p *int) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

// ---------------------------------------------------------------------------
// Builders

func lcCategory(name, price, rate string) map[string]any {
	return map[string]any{"name": name, "price": price, "taxRatePercent": rate}
}

// lcNewEvent creates a published event starting in 30 days (by the engine's
// clock) with capacity 10 and one category Standard at 20.00 incl. 19 % tax;
// extra overrides those (a nil value removes the key).
func lcNewEvent(t *testing.T, e *graphtest.Env, extra map[string]any) lcEv {
	t.Helper()
	in := map[string]any{
		"title":            fmt.Sprintf("Lifecycle %d", lcNext()),
		"startsAt":         lcRFC(e.Clock.Now().Add(30 * 24 * time.Hour).Truncate(time.Second)),
		"publish":          true,
		"capacity":         10,
		"ticketCategories": []any{lcCategory("Standard", "20.00", "19")},
	}
	for k, v := range extra {
		if v == nil {
			delete(in, k)
		} else {
			in[k] = v
		}
	}
	var ev lcEv
	lcMutate(t, e, "createEvent", "event { "+lcEventSel+" }", in).ok(t, "event", &ev)
	return ev
}

func lcPerson(tag string) map[string]any {
	n := lcNext()
	return map[string]any{"firstName": "Ada", "lastName": fmt.Sprintf("%s %d", tag, n),
		"email": fmt.Sprintf("%s-%d@example.com", tag, n)}
}

func lcRepeat(id string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = id
	}
	return out
}

// lcBookingInput books one ticket per category id.
func lcBookingInput(method string, catIDs ...string) map[string]any {
	tickets := make([]any, len(catIDs))
	for i, c := range catIDs {
		tickets[i] = map[string]any{"ticketCategoryId": c}
	}
	return map[string]any{"booker": lcPerson("booker"), "tickets": tickets, "paymentMethod": method}
}

func lcBook(t *testing.T, e *graphtest.Env, in map[string]any) lcResult {
	t.Helper()
	return lcMutate(t, e, "createBooking", lcBookingField, in)
}

func lcMustBook(t *testing.T, e *graphtest.Env, method string, catIDs ...string) lcBk {
	t.Helper()
	var b lcBk
	lcBook(t, e, lcBookingInput(method, catIDs...)).ok(t, "booking", &b)
	return b
}

// lcMustWait books with joinWaitlist and requires a WAITLISTED booking.
func lcMustWait(t *testing.T, e *graphtest.Env, method string, catIDs ...string) lcBk {
	t.Helper()
	in := lcBookingInput(method, catIDs...)
	in["joinWaitlist"] = true
	var b lcBk
	lcBook(t, e, in).ok(t, "booking", &b)
	if b.Status != "WAITLISTED" {
		t.Fatalf("booking with joinWaitlist on a full event is %s, want WAITLISTED", b.Status)
	}
	return b
}

func lcNode(t *testing.T, e *graphtest.Env, id, typ, sel string, out any) {
	t.Helper()
	var data struct {
		Node json.RawMessage `json:"node"`
	}
	e.Query(t, fmt.Sprintf(`query($id: ID!) { node(id: $id) { ... on %s { %s } } }`, typ, sel), map[string]any{"id": id}, &data)
	if string(data.Node) == "null" || len(data.Node) == 0 {
		t.Fatalf("node %s (%s) not found", id, typ)
	}
	if err := json.Unmarshal(data.Node, out); err != nil {
		t.Fatalf("decoding %s: %v", data.Node, err)
	}
}

func lcGetBooking(t *testing.T, e *graphtest.Env, id string) lcBk {
	t.Helper()
	var b lcBk
	lcNode(t, e, id, "Booking", lcBookingSel, &b)
	return b
}

func lcGetEvent(t *testing.T, e *graphtest.Env, id string) lcEv {
	t.Helper()
	var ev lcEv
	lcNode(t, e, id, "Event", lcEventSel, &ev)
	return ev
}

func lcGetReg(t *testing.T, e *graphtest.Env, id string) lcReg {
	t.Helper()
	var r lcReg
	lcNode(t, e, id, "Registration", lcRegSel, &r)
	return r
}

// lcDBBookingStatus reads a booking's status straight from the database,
// past the GraphQL query path (which may expire holds on its way).
func lcDBBookingStatus(t *testing.T, e *graphtest.Env, id string) string {
	t.Helper()
	n, err := gid.DecodeAs(id, "Booking")
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.Client.Booking.Get(e.Ctx(), n)
	if err != nil {
		t.Fatal(err)
	}
	return string(b.Status)
}

func lcPay(t *testing.T, e *graphtest.Env, bookingID, amount string, extra map[string]any) (lcPayment, lcBk) {
	t.Helper()
	in := map[string]any{"bookingId": bookingID, "amount": amount, "method": "CARD"}
	for k, v := range extra {
		in[k] = v
	}
	r := lcMutate(t, e, "recordPayment", "payment { "+lcPaymentSel+" } "+lcBookingField, in)
	var p lcPayment
	var b lcBk
	r.ok(t, "payment", &p)
	r.ok(t, "booking", &b)
	return p, b
}

func lcRefund(t *testing.T, e *graphtest.Env, paymentID, amount string) lcResult {
	t.Helper()
	return lcMutate(t, e, "refundPayment", "payment { "+lcPaymentSel+" } "+lcBookingField,
		map[string]any{"id": paymentID, "amount": amount})
}

func lcCancelBooking(t *testing.T, e *graphtest.Env, in map[string]any) lcResult {
	t.Helper()
	return lcMutate(t, e, "cancelBooking", lcBookingField+" refund { "+lcPaymentSel+" }", in)
}

// lcMustCancel cancels and returns the booking and the refund (nil when none).
func lcMustCancel(t *testing.T, e *graphtest.Env, in map[string]any) (lcBk, *lcPayment) {
	t.Helper()
	r := lcCancelBooking(t, e, in)
	var b lcBk
	r.ok(t, "booking", &b)
	var refund *lcPayment
	if raw := r.payload["refund"]; len(raw) > 0 && string(raw) != "null" {
		refund = &lcPayment{}
		if err := json.Unmarshal(raw, refund); err != nil {
			t.Fatal(err)
		}
	}
	return b, refund
}

func lcRegister(t *testing.T, e *graphtest.Env, eventID, status string) lcResult {
	t.Helper()
	in := map[string]any{"eventId": eventID, "participant": lcPerson("reg")}
	if status != "" {
		in["status"] = status
	}
	return lcMutate(t, e, "createRegistration", "registration { "+lcRegSel+" }", in)
}

func lcMustRegister(t *testing.T, e *graphtest.Env, eventID, status string) lcReg {
	t.Helper()
	var r lcReg
	lcRegister(t, e, eventID, status).ok(t, "registration", &r)
	return r
}

func lcMoveReg(t *testing.T, e *graphtest.Env, id, status string) lcResult {
	t.Helper()
	return lcMutate(t, e, "updateRegistrationStatus", "registration { "+lcRegSel+" }", map[string]any{"id": id, "status": status})
}

func lcUpdateEvent(t *testing.T, e *graphtest.Env, in map[string]any) lcResult {
	t.Helper()
	return lcMutate(t, e, "updateEvent", "event { "+lcEventSel+" }", in)
}

type lcQuote struct {
	Cancellable bool    `json:"cancellable"`
	Paid        lcMoney `json:"paid"`
	Kept        lcMoney `json:"kept"`
	Refund      lcMoney `json:"refund"`
	Rule        *struct {
		HoursBeforeStart int      `json:"hoursBeforeStart"`
		KeepPercent      string   `json:"keepPercent"`
		FixedFee         *lcMoney `json:"fixedFee"`
	} `json:"rule"`
	HoursBeforeStart float64 `json:"hoursBeforeStart"`
}

// lcQuoteAt asks calculateCancellation; a zero at leaves the argument out.
func lcQuoteAt(t *testing.T, e *graphtest.Env, bookingID string, at time.Time) lcQuote {
	t.Helper()
	vars := map[string]any{"id": bookingID}
	if !at.IsZero() {
		vars["at"] = lcRFC(at)
	}
	var data struct {
		Q lcQuote `json:"calculateCancellation"`
	}
	e.Query(t, `query($id: ID!, $at: DateTime) { calculateCancellation(bookingId: $id, at: $at) {
		cancellable paid { amount } kept { amount } refund { amount }
		rule { hoursBeforeStart keepPercent fixedFee { amount } } hoursBeforeStart } }`, vars, &data)
	return data.Q
}

// lcQueue returns the waitlist positions of an event's waiting
// registrations, in position order.
func lcQueue(t *testing.T, e *graphtest.Env, eventID string) []int {
	t.Helper()
	var ev struct {
		Registrations struct {
			Nodes []lcReg `json:"nodes"`
		} `json:"registrations"`
	}
	lcNode(t, e, eventID, "Event", `registrations(where: { status: { eq: WAITLISTED } }, order: [{ waitlistPosition: ASC }], first: 100) {
		nodes { id status waitlistPosition } }`, &ev)
	var out []int
	for _, r := range ev.Registrations.Nodes {
		if r.WaitlistPosition == nil {
			t.Errorf("waiting registration %s has no position", r.ID)
			continue
		}
		out = append(out, *r.WaitlistPosition)
	}
	return out
}

// lcCheckQueue requires positions 1..n without gaps and n == waitlistCount.
func lcCheckQueue(t *testing.T, e *graphtest.Env, eventID string, n int) {
	t.Helper()
	got := lcQueue(t, e, eventID)
	want := make([]int, n)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(got, want) && !(len(got) == 0 && n == 0) {
		t.Errorf("waitlist positions %v, want %v", got, want)
	}
	if ev := lcGetEvent(t, e, eventID); ev.WaitlistCount != n {
		t.Errorf("waitlistCount %d, want %d", ev.WaitlistCount, n)
	}
}

// ---------------------------------------------------------------------------
// Checks

// lcExpect checks a booking's status and every ticket's and registration's.
func lcExpect(t *testing.T, b lcBk, status, ticketStatus, regStatus string) {
	t.Helper()
	if b.Status != status {
		t.Errorf("booking %s is %s, want %s", b.OrderNumber, b.Status, status)
	}
	if len(b.Tickets.Nodes) == 0 {
		t.Errorf("booking %s has no tickets", b.OrderNumber)
	}
	for i, tk := range b.Tickets.Nodes {
		if tk.Status != ticketStatus {
			t.Errorf("ticket %d of %s is %s, want %s", i, b.OrderNumber, tk.Status, ticketStatus)
		}
		if tk.Registration == nil {
			t.Errorf("ticket %d of %s has no registration", i, b.OrderNumber)
			continue
		}
		if tk.Registration.Status != regStatus {
			t.Errorf("registration of ticket %d of %s is %s, want %s", i, b.OrderNumber, tk.Registration.Status, regStatus)
		}
		if regStatus != "WAITLISTED" && tk.Registration.WaitlistPosition != nil {
			t.Errorf("%s registration of ticket %d has waitlistPosition %d", regStatus, i, *tk.Registration.WaitlistPosition)
		}
	}
}

// lcPositions lists the waitlist positions of a booking's registrations.
func lcPositions(b lcBk) []int {
	var out []int
	for _, tk := range b.Tickets.Nodes {
		if tk.Registration != nil && tk.Registration.WaitlistPosition != nil {
			out = append(out, *tk.Registration.WaitlistPosition)
		}
	}
	return out
}

func lcParseTime(t *testing.T, what string, s *string) time.Time {
	t.Helper()
	if s == nil {
		t.Fatalf("%s is null", what)
	}
	v, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		t.Fatalf("%s %q: %v", what, *s, err)
	}
	return v
}

// lcCheckHold requires holdExpiresAt about 15 minutes after the engine's now.
func lcCheckHold(t *testing.T, e *graphtest.Env, b lcBk) {
	t.Helper()
	hold := lcParseTime(t, "holdExpiresAt", b.HoldExpiresAt)
	want := e.Clock.Now().Add(15 * time.Minute)
	if d := hold.Sub(want); d < -10*time.Second || d > 10*time.Second {
		t.Errorf("holdExpiresAt %s, want about %s (now + 15 min)", hold, want.UTC())
	}
}

func lcCheckEvent(t *testing.T, e *graphtest.Env, eventID string, registered, waiting int, available *int) lcEv {
	t.Helper()
	ev := lcGetEvent(t, e, eventID)
	if ev.RegisteredCount != registered || ev.WaitlistCount != waiting || lcIntString(ev.AvailableSeats) != lcIntString(available) {
		t.Errorf("event: registeredCount %d waitlistCount %d availableSeats %s, want %d %d %s",
			ev.RegisteredCount, ev.WaitlistCount, lcIntString(ev.AvailableSeats), registered, waiting, lcIntString(available))
	}
	return ev
}

// lcCounts are the rows and counters a booking can change.
type lcCounts struct {
	Bookings, Tickets, Registrations, Participants, Payments, History, Keys int
	Registered, Waiting, Sold                                               int
}

func lcCount(t *testing.T, e *graphtest.Env) lcCounts {
	t.Helper()
	ctx := e.Ctx()
	var c lcCounts
	must := func(n int, err error) int {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	c.Bookings = must(e.Client.Booking.Query().Count(ctx))
	c.Tickets = must(e.Client.Ticket.Query().Count(ctx))
	c.Registrations = must(e.Client.Registration.Query().Count(ctx))
	c.Participants = must(e.Client.Participant.Query().Count(ctx))
	c.Payments = must(e.Client.Payment.Query().Count(ctx))
	c.History = must(e.Client.History.Query().Count(ctx))
	c.Keys = must(e.Client.IdempotencyKey.Query().Count(ctx))
	evs, err := e.Client.Event.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		c.Registered += ev.RegisteredCount
		c.Waiting += ev.WaitlistCount
	}
	cats, err := e.Client.TicketCategory.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cats {
		c.Sold += tc.SoldCount
	}
	return c
}

// ---------------------------------------------------------------------------
// Rule 2: booking lifecycle

func TestLifecycleCreateBooking(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		cases := []struct {
			name, price, method string
			tickets             int
			status, regStatus   string
			hold                bool
			paymentStatus       string // "" = not checked
			total, balance      string
		}{
			{"free, FREE", "0.00", "FREE", 2, "CONFIRMED", "ACCEPTED", false, "", "0.00", "0.00"},
			{"free, CARD: nothing due", "0.00", "CARD", 1, "CONFIRMED", "ACCEPTED", false, "", "0.00", "0.00"},
			{"INVOICE: paid later", "20.00", "INVOICE", 2, "CONFIRMED", "ACCEPTED", false, "UNPAID", "40.00", "40.00"},
			{"CARD: held", "20.00", "CARD", 2, "PENDING", "PENDING", true, "UNPAID", "40.00", "40.00"},
			{"BANK_TRANSFER: held", "20.00", "BANK_TRANSFER", 1, "PENDING", "PENDING", true, "UNPAID", "20.00", "20.00"},
			{"CASH: held", "20.00", "CASH", 3, "PENDING", "PENDING", true, "UNPAID", "60.00", "60.00"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ev := lcNewEvent(t, e, map[string]any{"capacity": 5,
					"ticketCategories": []any{lcCategory("Standard", c.price, "19")}})
				b := lcMustBook(t, e, c.method, lcRepeat(ev.cat(t, "Standard"), c.tickets)...)
				lcExpect(t, b, c.status, "ACTIVE", c.regStatus)
				if len(b.Tickets.Nodes) != c.tickets {
					t.Fatalf("%d tickets, want %d", len(b.Tickets.Nodes), c.tickets)
				}
				if c.hold {
					lcCheckHold(t, e, b)
					if b.ConfirmedAt != nil {
						t.Errorf("PENDING booking has confirmedAt %s", *b.ConfirmedAt)
					}
				} else {
					if b.HoldExpiresAt != nil {
						t.Errorf("CONFIRMED booking holds until %s", *b.HoldExpiresAt)
					}
					lcParseTime(t, "confirmedAt", b.ConfirmedAt)
				}
				if c.paymentStatus != "" && b.PaymentStatus != c.paymentStatus {
					t.Errorf("paymentStatus %s, want %s", b.PaymentStatus, c.paymentStatus)
				}
				if b.Total.Amount != c.total || b.BalanceDue.Amount != c.balance || b.PaidAmount.Amount != "0.00" {
					t.Errorf("total %s balanceDue %s paid %s, want %s %s 0.00", b.Total.Amount, b.BalanceDue.Amount, b.PaidAmount.Amount, c.total, c.balance)
				}
				if b.PaymentMethod != c.method {
					t.Errorf("paymentMethod %s, want %s", b.PaymentMethod, c.method)
				}
				if !strings.HasPrefix(b.OrderNumber, "BK-") {
					t.Errorf("order number %q", b.OrderNumber)
				}
				// Seats are held both while PENDING and CONFIRMED.
				got := lcCheckEvent(t, e, ev.ID, c.tickets, 0, lcIntp(5-c.tickets))
				if got.TicketCategories[0].SoldCount != c.tickets {
					t.Errorf("category soldCount %d, want %d", got.TicketCategories[0].SoldCount, c.tickets)
				}
				// What the mutation answered is what was stored.
				stored := lcGetBooking(t, e, b.ID)
				lcExpect(t, stored, c.status, "ACTIVE", c.regStatus)
			})
		}
	})
}

func TestLifecycleCreateBookingErrors(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		unknownCategory := gid.Encode(3<<32 | 987654)
		cases := []struct {
			name            string
			setup           func(t *testing.T) (eventID string, in map[string]any)
			typename, field string
		}{
			{"DRAFT event", func(t *testing.T) (string, map[string]any) {
				ev := lcNewEvent(t, e, map[string]any{"publish": false})
				return ev.ID, lcBookingInput("INVOICE", ev.cat(t, "Standard"))
			}, "RegistrationClosedError", ""},
			{"registration opens later", func(t *testing.T) (string, map[string]any) {
				ev := lcNewEvent(t, e, map[string]any{"registrationOpensAt": lcRFC(e.Clock.Now().Add(48 * time.Hour))})
				return ev.ID, lcBookingInput("INVOICE", ev.cat(t, "Standard"))
			}, "RegistrationClosedError", ""},
			{"registration closed", func(t *testing.T) (string, map[string]any) {
				ev := lcNewEvent(t, e, map[string]any{"registrationClosesAt": lcRFC(e.Clock.Now().Add(time.Hour))})
				e.Clock.Advance(2 * time.Hour) // the window closes
				return ev.ID, lcBookingInput("INVOICE", ev.cat(t, "Standard"))
			}, "RegistrationClosedError", ""},
			{"cancelled event", func(t *testing.T) (string, map[string]any) {
				ev := lcNewEvent(t, e, nil)
				lcMutate(t, e, "cancelEvent", "event { id }", map[string]any{"id": ev.ID}).ok(t, "event", nil)
				return ev.ID, lcBookingInput("INVOICE", ev.cat(t, "Standard"))
			}, "RegistrationClosedError", ""},
			{"FREE with a positive total", func(t *testing.T) (string, map[string]any) {
				ev := lcNewEvent(t, e, nil)
				return ev.ID, lcBookingInput("FREE", ev.cat(t, "Standard"))
			}, "ValidationError", "paymentMethod"},
			{"more than maxTicketsPerBooking", func(t *testing.T) (string, map[string]any) {
				ev := lcNewEvent(t, e, map[string]any{"maxTicketsPerBooking": 2})
				return ev.ID, lcBookingInput("INVOICE", lcRepeat(ev.cat(t, "Standard"), 3)...)
			}, "ValidationError", "tickets"},
			{"bad booker e-mail", func(t *testing.T) (string, map[string]any) {
				ev := lcNewEvent(t, e, nil)
				in := lcBookingInput("INVOICE", ev.cat(t, "Standard"))
				in["booker"].(map[string]any)["email"] = "not-an-email"
				return ev.ID, in
			}, "ValidationError", "booker.email"},
			{"bad holder e-mail", func(t *testing.T) (string, map[string]any) {
				ev := lcNewEvent(t, e, nil)
				in := lcBookingInput("INVOICE", ev.cat(t, "Standard"), ev.cat(t, "Standard"))
				holder := lcPerson("holder")
				holder["email"] = "holder@@example"
				in["tickets"].([]any)[0].(map[string]any)["holder"] = lcPerson("holder")
				in["tickets"].([]any)[1].(map[string]any)["holder"] = holder
				return ev.ID, in
			}, "ValidationError", "tickets.1.holder.email"},
			{"unknown ticket category", func(t *testing.T) (string, map[string]any) {
				ev := lcNewEvent(t, e, nil)
				return ev.ID, lcBookingInput("INVOICE", ev.cat(t, "Standard"), unknownCategory)
			}, "NotFoundError", ""},
			{"sold out without waitlist", func(t *testing.T) (string, map[string]any) {
				ev := lcNewEvent(t, e, map[string]any{"capacity": 2})
				lcMustBook(t, e, "INVOICE", ev.cat(t, "Standard"))
				return ev.ID, lcBookingInput("INVOICE", lcRepeat(ev.cat(t, "Standard"), 2)...)
			}, "SoldOutError", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				eventID, in := c.setup(t)
				evBefore := lcGetEvent(t, e, eventID)
				before := lcCount(t, e)
				got := lcBook(t, e, in).fail(t, c.typename, c.field)
				if c.typename == "RegistrationClosedError" || c.typename == "SoldOutError" {
					if got.EventID == nil || *got.EventID != eventID {
						t.Errorf("%s names event %v, want %s", c.typename, got.EventID, eventID)
					}
				}
				if after := lcCount(t, e); after != before {
					t.Errorf("a failed booking changed the database:\nbefore %+v\nafter  %+v", before, after)
				}
				if evAfter := lcGetEvent(t, e, eventID); evAfter.RegisteredCount != evBefore.RegisteredCount ||
					lcIntString(evAfter.AvailableSeats) != lcIntString(evBefore.AvailableSeats) {
					t.Errorf("a failed booking changed the event's seats: %+v -> %+v", evBefore, evAfter)
				}
			})
		}
		// Failures take no order numbers: the next booking continues the sequence.
		t.Run("order numbers stay sequential", func(t *testing.T) {
			ev := lcNewEvent(t, e, nil)
			n := lcCount(t, e).Bookings
			b := lcMustBook(t, e, "INVOICE", ev.cat(t, "Standard"))
			if want := fmt.Sprintf("BK-%06d", n+1); b.OrderNumber != want {
				t.Errorf("order number %s after %d bookings and several failures, want %s", b.OrderNumber, n, want)
			}
		})
	})
}

func TestLifecyclePaymentConfirms(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		type step struct {
			amount, status              string // status "" = SUCCEEDED (the default)
			wantStatus, wantPaymentStat string
			wantPaid, wantBalance       string
		}
		cases := []struct {
			name  string
			steps []step
		}{
			{"one payment covering the total", []step{
				{"40.00", "", "CONFIRMED", "PAID", "40.00", "0.00"},
			}},
			{"partial, then the rest", []step{
				{"15.00", "", "PENDING", "PARTIALLY_PAID", "15.00", "25.00"},
				{"25.00", "", "CONFIRMED", "PAID", "40.00", "0.00"},
			}},
			{"overpaying confirms", []step{
				{"50.00", "", "CONFIRMED", "PAID", "50.00", "0.00"},
			}},
			{"pending and failed payments do not count", []step{
				{"40.00", "PENDING", "PENDING", "UNPAID", "0.00", "40.00"},
				{"40.00", "FAILED", "PENDING", "UNPAID", "0.00", "40.00"},
				{"39.99", "", "PENDING", "PARTIALLY_PAID", "39.99", "0.01"},
				{"0.01", "", "CONFIRMED", "PAID", "40.00", "0.00"},
			}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ev := lcNewEvent(t, e, map[string]any{"capacity": 4})
				b := lcMustBook(t, e, "CARD", ev.cat(t, "Standard"), ev.cat(t, "Standard"))
				lcExpect(t, b, "PENDING", "ACTIVE", "PENDING")
				hold := *b.HoldExpiresAt
				for i, s := range c.steps {
					extra := map[string]any{}
					if s.status != "" {
						extra["status"] = s.status
					}
					p, got := lcPay(t, e, b.ID, s.amount, extra)
					wantPayStatus := s.status
					if wantPayStatus == "" {
						wantPayStatus = "SUCCEEDED"
					}
					if p.Kind != "PAYMENT" || p.Status != wantPayStatus || p.Amount.Amount != s.amount {
						t.Errorf("step %d: payment %+v", i, p)
					}
					if got.PaymentStatus != s.wantPaymentStat || got.PaidAmount.Amount != s.wantPaid || got.BalanceDue.Amount != s.wantBalance {
						t.Errorf("step %d: paymentStatus %s paid %s balanceDue %s, want %s %s %s", i,
							got.PaymentStatus, got.PaidAmount.Amount, got.BalanceDue.Amount, s.wantPaymentStat, s.wantPaid, s.wantBalance)
					}
					if s.wantStatus == "CONFIRMED" {
						lcExpect(t, got, "CONFIRMED", "ACTIVE", "ACCEPTED")
						if got.HoldExpiresAt != nil {
							t.Errorf("step %d: confirmed booking still holds until %s", i, *got.HoldExpiresAt)
						}
						lcParseTime(t, "confirmedAt", got.ConfirmedAt)
					} else {
						lcExpect(t, got, "PENDING", "ACTIVE", "PENDING")
						if got.HoldExpiresAt == nil || *got.HoldExpiresAt != hold {
							t.Errorf("step %d: hold changed from %s to %v", i, hold, got.HoldExpiresAt)
						}
						if got.ConfirmedAt != nil {
							t.Errorf("step %d: PENDING booking has confirmedAt", i)
						}
					}
				}
				lcCheckEvent(t, e, ev.ID, 2, 0, lcIntp(2))
				// A confirmed booking outlives its former hold.
				if c.steps[len(c.steps)-1].wantStatus == "CONFIRMED" {
					e.Clock.Advance(16 * time.Minute)
					lcExpect(t, lcGetBooking(t, e, b.ID), "CONFIRMED", "ACTIVE", "ACCEPTED")
					lcCheckEvent(t, e, ev.ID, 2, 0, lcIntp(2))
				}
			})
		}
		t.Run("a pending payment that succeeds later confirms", func(t *testing.T) {
			ev := lcNewEvent(t, e, nil)
			b := lcMustBook(t, e, "CARD", ev.cat(t, "Standard"))
			p, _ := lcPay(t, e, b.ID, "20.00", map[string]any{"status": "PENDING"})
			var got lcBk
			lcMutate(t, e, "updatePaymentStatus", lcBookingField, map[string]any{"id": p.ID, "status": "SUCCEEDED"}).ok(t, "booking", &got)
			lcExpect(t, got, "CONFIRMED", "ACTIVE", "ACCEPTED")
			if got.PaymentStatus != "PAID" || got.HoldExpiresAt != nil || got.ConfirmedAt == nil {
				t.Errorf("paymentStatus %s holdExpiresAt %v confirmedAt %v", got.PaymentStatus, got.HoldExpiresAt, got.ConfirmedAt)
			}
		})
	})
}

func TestLifecycleHoldExpiry(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		checkExpired := func(t *testing.T, b lcBk) {
			t.Helper()
			lcExpect(t, b, "EXPIRED", "CANCELLED", "CANCELLED")
			if b.HoldExpiresAt != nil {
				t.Errorf("expired booking still holds until %s", *b.HoldExpiresAt)
			}
			if b.BalanceDue.Amount != "0.00" {
				t.Errorf("expired booking owes %s", b.BalanceDue.Amount)
			}
		}
		t.Run("any query after the hold ran out", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 3})
			confirmed := lcMustBook(t, e, "INVOICE", ev.cat(t, "Standard"))
			b := lcMustBook(t, e, "CARD", ev.cat(t, "Standard"), ev.cat(t, "Standard"))
			lcCheckEvent(t, e, ev.ID, 3, 0, lcIntp(0))

			e.Clock.Advance(14 * time.Minute) // not yet
			lcExpect(t, lcGetBooking(t, e, b.ID), "PENDING", "ACTIVE", "PENDING")
			lcCheckEvent(t, e, ev.ID, 3, 0, lcIntp(0))

			e.Clock.Advance(2 * time.Minute) // 16 minutes: the hold ran out
			lcCheckEvent(t, e, ev.ID, 1, 0, lcIntp(2))
			checkExpired(t, lcGetBooking(t, e, b.ID))
			lcExpect(t, lcGetBooking(t, e, confirmed.ID), "CONFIRMED", "ACTIVE", "ACCEPTED")
			if got := lcGetEvent(t, e, ev.ID); got.TicketCategories[0].SoldCount != 1 {
				t.Errorf("category soldCount %d after expiry, want 1", got.TicketCategories[0].SoldCount)
			}
			// An expired booking takes no payment and cannot be cancelled.
			lcMutate(t, e, "recordPayment", lcBookingField, map[string]any{"bookingId": b.ID, "amount": "40.00", "method": "CARD"}).
				fail(t, "InvalidStateError", "")
			lcCancelBooking(t, e, map[string]any{"id": b.ID}).fail(t, "InvalidStateError", "")
			if q := lcQuoteAt(t, e, b.ID, time.Time{}); q.Cancellable {
				t.Errorf("calculateCancellation of an expired booking says cancellable")
			}
		})
		t.Run("a new booking on the event after the hold ran out", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 2})
			b := lcMustBook(t, e, "CARD", ev.cat(t, "Standard"), ev.cat(t, "Standard"))
			lcBook(t, e, lcBookingInput("INVOICE", ev.cat(t, "Standard"))).fail(t, "SoldOutError", "")
			e.Clock.Advance(16 * time.Minute)
			// No query in between: the booking itself expires the hold.
			nb := lcMustBook(t, e, "INVOICE", ev.cat(t, "Standard"), ev.cat(t, "Standard"))
			lcExpect(t, nb, "CONFIRMED", "ACTIVE", "ACCEPTED")
			if s := lcDBBookingStatus(t, e, b.ID); s != "EXPIRED" {
				t.Errorf("old booking is %s in the database, want EXPIRED", s)
			}
			checkExpired(t, lcGetBooking(t, e, b.ID))
			lcCheckEvent(t, e, ev.ID, 2, 0, lcIntp(0))
		})
		t.Run("a payment after the hold ran out does not confirm", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 1})
			b := lcMustBook(t, e, "CARD", ev.cat(t, "Standard"))
			e.Clock.Advance(16 * time.Minute)
			// No query in between: the sweep has not run, the refusal must
			// not depend on it.
			before := lcCount(t, e)
			lcMutate(t, e, "recordPayment", lcBookingField, map[string]any{"bookingId": b.ID, "amount": "20.00", "method": "CARD"}).
				fail(t, "InvalidStateError", "")
			if after := lcCount(t, e); after != before {
				t.Errorf("a refused payment changed the database")
			}
			if s := lcDBBookingStatus(t, e, b.ID); s == "CONFIRMED" {
				t.Errorf("a payment after the hold confirmed the booking")
			}
			checkExpired(t, lcGetBooking(t, e, b.ID))
			lcCheckEvent(t, e, ev.ID, 0, 0, lcIntp(1))
		})
		t.Run("a partly paid booking expires too", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 2})
			b := lcMustBook(t, e, "CARD", ev.cat(t, "Standard"))
			lcPay(t, e, b.ID, "5.00", nil)
			e.Clock.Advance(16 * time.Minute)
			got := lcGetBooking(t, e, b.ID)
			lcExpect(t, got, "EXPIRED", "CANCELLED", "CANCELLED")
			lcCheckEvent(t, e, ev.ID, 0, 0, lcIntp(2))
		})
	})
}

// ---------------------------------------------------------------------------
// Rule 3: waitlist

func TestWaitlist(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		t.Run("sold out offers the waitlist", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 2, "waitlistEnabled": true})
			cat := ev.cat(t, "Standard")
			lcMustBook(t, e, "INVOICE", cat, cat)
			before := lcCount(t, e)
			got := lcBook(t, e, lcBookingInput("INVOICE", cat)).fail(t, "SoldOutError", "")
			if got.EventID == nil || *got.EventID != ev.ID || lcIntString(got.AvailableSeats) != "0" ||
				got.WaitlistAvailable == nil || !*got.WaitlistAvailable {
				t.Errorf("SoldOutError eventId %v availableSeats %s waitlistAvailable %v, want %s 0 true",
					got.EventID, lcIntString(got.AvailableSeats), got.WaitlistAvailable, ev.ID)
			}
			if after := lcCount(t, e); after != before {
				t.Errorf("SoldOutError changed the database: %+v -> %+v", before, after)
			}
			// Without a waitlist it says so.
			nw := lcNewEvent(t, e, map[string]any{"capacity": 1})
			lcMustBook(t, e, "INVOICE", nw.cat(t, "Standard"))
			in := lcBookingInput("INVOICE", nw.cat(t, "Standard"))
			in["joinWaitlist"] = true
			got = lcBook(t, e, in).fail(t, "SoldOutError", "")
			if got.WaitlistAvailable == nil || *got.WaitlistAvailable || lcIntString(got.AvailableSeats) != "0" {
				t.Errorf("no waitlist: availableSeats %s waitlistAvailable %v, want 0 false", lcIntString(got.AvailableSeats), got.WaitlistAvailable)
			}
		})

		t.Run("joining the waitlist", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 3, "waitlistEnabled": true})
			cat := ev.cat(t, "Standard")
			// Room left: joinWaitlist books normally.
			in := lcBookingInput("INVOICE", cat, cat)
			in["joinWaitlist"] = true
			var first lcBk
			lcBook(t, e, in).ok(t, "booking", &first)
			lcExpect(t, first, "CONFIRMED", "ACTIVE", "ACCEPTED")
			// One seat left, two wanted: the whole booking waits (never partly).
			lcBook(t, e, lcBookingInput("CARD", cat, cat)).fail(t, "SoldOutError", "")
			w1 := lcMustWait(t, e, "CARD", cat, cat)
			lcExpect(t, w1, "WAITLISTED", "WAITLISTED", "WAITLISTED")
			if got := lcPositions(w1); !slices.Equal(got, []int{1, 2}) {
				t.Errorf("positions %v, want [1 2]", got)
			}
			if w1.HoldExpiresAt != nil || w1.ConfirmedAt != nil || w1.Total.Amount != "40.00" || w1.PaymentStatus != "UNPAID" {
				t.Errorf("waitlisted booking: hold %v confirmedAt %v total %s paymentStatus %s",
					w1.HoldExpiresAt, w1.ConfirmedAt, w1.Total.Amount, w1.PaymentStatus)
			}
			w2 := lcMustWait(t, e, "INVOICE", cat)
			if got := lcPositions(w2); !slices.Equal(got, []int{3}) {
				t.Errorf("positions %v, want [3]", got)
			}
			lcCheckEvent(t, e, ev.ID, 2, 3, lcIntp(1))
			if got := lcGetEvent(t, e, ev.ID); got.TicketCategories[0].SoldCount != 2 {
				t.Errorf("waiting tickets counted as sold: %d", got.TicketCategories[0].SoldCount)
			}
			lcCheckQueue(t, e, ev.ID, 3)
			// A waiting booking takes no payment.
			lcMutate(t, e, "recordPayment", lcBookingField, map[string]any{"bookingId": w1.ID, "amount": "40.00", "method": "CARD"}).
				fail(t, "InvalidStateError", "")
		})

		t.Run("cancelling promotes the first waiting bookings in the same mutation", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 3, "waitlistEnabled": true,
				"ticketCategories": []any{lcCategory("Paid", "20.00", "19"), lcCategory("Free", "0.00", "0")}})
			paid, free := ev.cat(t, "Paid"), ev.cat(t, "Free")
			a := lcMustBook(t, e, "INVOICE", paid, paid, paid)
			card := lcMustWait(t, e, "CARD", paid)
			invoice := lcMustWait(t, e, "INVOICE", paid)
			gratis := lcMustWait(t, e, "FREE", free)
			lcCheckEvent(t, e, ev.ID, 3, 3, lcIntp(0))

			lcMustCancel(t, e, map[string]any{"id": a.ID})
			// Straight from the database, before any query could do anything.
			for id, want := range map[string]string{card.ID: "PENDING", invoice.ID: "CONFIRMED", gratis.ID: "CONFIRMED"} {
				if got := lcDBBookingStatus(t, e, id); got != want {
					t.Errorf("right after the cancellation a waiting booking is %s, want %s", got, want)
				}
			}
			got := lcGetBooking(t, e, card.ID)
			lcExpect(t, got, "PENDING", "ACTIVE", "PENDING")
			lcCheckHold(t, e, got)
			got = lcGetBooking(t, e, invoice.ID)
			lcExpect(t, got, "CONFIRMED", "ACTIVE", "ACCEPTED")
			if got.HoldExpiresAt != nil || got.ConfirmedAt == nil {
				t.Errorf("promoted invoice booking: hold %v confirmedAt %v", got.HoldExpiresAt, got.ConfirmedAt)
			}
			lcExpect(t, lcGetBooking(t, e, gratis.ID), "CONFIRMED", "ACTIVE", "ACCEPTED")
			lcCheckEvent(t, e, ev.ID, 3, 0, lcIntp(0))
			lcCheckQueue(t, e, ev.ID, 0)
		})

		t.Run("a booking that does not fit waits and nobody overtakes it", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 3, "waitlistEnabled": true})
			cat := ev.cat(t, "Standard")
			a := lcMustBook(t, e, "INVOICE", cat, cat)
			b := lcMustBook(t, e, "INVOICE", cat)
			big := lcMustWait(t, e, "INVOICE", cat, cat, cat)
			small := lcMustWait(t, e, "INVOICE", cat)
			if got := lcPositions(small); !slices.Equal(got, []int{4}) {
				t.Errorf("small booking positions %v, want [4]", got)
			}
			lcMustCancel(t, e, map[string]any{"id": a.ID}) // 2 seats free, 3 wanted
			lcExpect(t, lcGetBooking(t, e, big.ID), "WAITLISTED", "WAITLISTED", "WAITLISTED")
			lcExpect(t, lcGetBooking(t, e, small.ID), "WAITLISTED", "WAITLISTED", "WAITLISTED")
			lcCheckEvent(t, e, ev.ID, 1, 4, lcIntp(2))
			lcCheckQueue(t, e, ev.ID, 4)

			// Seats are free, but they belong to the queue.
			before := lcCount(t, e)
			soldOut := lcBook(t, e, lcBookingInput("INVOICE", cat)).fail(t, "SoldOutError", "")
			if soldOut.WaitlistAvailable == nil || !*soldOut.WaitlistAvailable {
				t.Errorf("SoldOutError while others wait: waitlistAvailable %v, want true", soldOut.WaitlistAvailable)
			}
			if after := lcCount(t, e); after != before {
				t.Errorf("SoldOutError changed the database")
			}
			// A registration of its own queues up too.
			reg := lcMustRegister(t, e, ev.ID, "")
			if reg.Status != "WAITLISTED" || reg.WaitlistPosition == nil || *reg.WaitlistPosition != 5 {
				t.Errorf("registration while others wait: %s at %s, want WAITLISTED at 5", reg.Status, lcIntString(reg.WaitlistPosition))
			}

			lcMustCancel(t, e, map[string]any{"id": b.ID}) // 3 seats free: the big one fits
			lcExpect(t, lcGetBooking(t, e, big.ID), "CONFIRMED", "ACTIVE", "ACCEPTED")
			got := lcGetBooking(t, e, small.ID)
			lcExpect(t, got, "WAITLISTED", "WAITLISTED", "WAITLISTED")
			if p := lcPositions(got); !slices.Equal(p, []int{1}) {
				t.Errorf("small booking moved to %v, want [1]", p)
			}
			if r := lcGetReg(t, e, reg.ID); r.Status != "WAITLISTED" || lcIntString(r.WaitlistPosition) != "2" {
				t.Errorf("registration %s at %s, want WAITLISTED at 2", r.Status, lcIntString(r.WaitlistPosition))
			}
			lcCheckEvent(t, e, ev.ID, 3, 2, lcIntp(0))
			lcCheckQueue(t, e, ev.ID, 2)

			lcMustCancel(t, e, map[string]any{"id": big.ID}) // 3 free: everyone gets in
			lcExpect(t, lcGetBooking(t, e, small.ID), "CONFIRMED", "ACTIVE", "ACCEPTED")
			if r := lcGetReg(t, e, reg.ID); r.Status != "ACCEPTED" || r.WaitlistPosition != nil {
				t.Errorf("registration %s at %s, want ACCEPTED without position", r.Status, lcIntString(r.WaitlistPosition))
			}
			lcCheckEvent(t, e, ev.ID, 2, 0, lcIntp(1))
		})

		t.Run("raising the capacity promotes", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 1, "waitlistEnabled": true})
			cat := ev.cat(t, "Standard")
			lcMustBook(t, e, "INVOICE", cat)
			w := lcMustWait(t, e, "CARD", cat, cat)
			var got lcEv
			lcUpdateEvent(t, e, map[string]any{"id": ev.ID, "capacity": 2}).ok(t, "event", &got)
			if got.RegisteredCount != 1 || got.WaitlistCount != 2 {
				t.Errorf("capacity 2: registered %d waiting %d, want 1 2 (two wanted, one free)", got.RegisteredCount, got.WaitlistCount)
			}
			lcExpect(t, lcGetBooking(t, e, w.ID), "WAITLISTED", "WAITLISTED", "WAITLISTED")
			lcUpdateEvent(t, e, map[string]any{"id": ev.ID, "capacity": 3}).ok(t, "event", &got)
			if got.RegisteredCount != 3 || got.WaitlistCount != 0 || lcIntString(got.AvailableSeats) != "0" {
				t.Errorf("capacity 3: registered %d waiting %d available %s, want 3 0 0", got.RegisteredCount, got.WaitlistCount, lcIntString(got.AvailableSeats))
			}
			b := lcGetBooking(t, e, w.ID)
			lcExpect(t, b, "PENDING", "ACTIVE", "PENDING")
			lcCheckHold(t, e, b)

			// Unlimited capacity promotes everyone.
			ev2 := lcNewEvent(t, e, map[string]any{"capacity": 1, "waitlistEnabled": true})
			lcMustBook(t, e, "INVOICE", ev2.cat(t, "Standard"))
			w2 := lcMustWait(t, e, "INVOICE", ev2.cat(t, "Standard"))
			r2 := lcMustRegister(t, e, ev2.ID, "PENDING")
			lcUpdateEvent(t, e, map[string]any{"id": ev2.ID, "capacity": nil}).ok(t, "event", &got)
			if got.Capacity != nil || got.AvailableSeats != nil || got.WaitlistCount != 0 || got.RegisteredCount != 3 {
				t.Errorf("unlimited: %+v", got)
			}
			lcExpect(t, lcGetBooking(t, e, w2.ID), "CONFIRMED", "ACTIVE", "ACCEPTED")
			if r := lcGetReg(t, e, r2.ID); r.Status != "PENDING" {
				t.Errorf("registration promoted to %s, want PENDING (as asked)", r.Status)
			}
		})

		t.Run("createRegistration waits and is promoted to the status it asked for", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 1, "waitlistEnabled": true})
			r0 := lcMustRegister(t, e, ev.ID, "")
			if r0.Status != "ACCEPTED" {
				t.Fatalf("first registration %s, want ACCEPTED", r0.Status)
			}
			want := []struct{ status, promoted string }{{"PENDING", "PENDING"}, {"", "ACCEPTED"}, {"ACCEPTED", "ACCEPTED"}, {"PENDING", "PENDING"}}
			regs := make([]lcReg, len(want))
			for i, w := range want {
				regs[i] = lcMustRegister(t, e, ev.ID, w.status)
				if regs[i].Status != "WAITLISTED" || lcIntString(regs[i].WaitlistPosition) != fmt.Sprint(i+1) {
					t.Errorf("registration %d: %s at %s, want WAITLISTED at %d", i, regs[i].Status, lcIntString(regs[i].WaitlistPosition), i+1)
				}
			}
			lcCheckEvent(t, e, ev.ID, 1, 4, lcIntp(0))
			// The seat freed by a cancellation goes to the first in line.
			var moved lcReg
			lcMoveReg(t, e, r0.ID, "CANCELLED").ok(t, "registration", &moved)
			if r := lcGetReg(t, e, regs[0].ID); r.Status != want[0].promoted || r.WaitlistPosition != nil {
				t.Errorf("first waiting registration %s at %s, want %s", r.Status, lcIntString(r.WaitlistPosition), want[0].promoted)
			}
			lcCheckQueue(t, e, ev.ID, 3)
			lcUpdateEvent(t, e, map[string]any{"id": ev.ID, "capacity": 4}).ok(t, "event", nil)
			for i, w := range want {
				if r := lcGetReg(t, e, regs[i].ID); r.Status != w.promoted {
					t.Errorf("registration %d promoted to %s, want %s", i, r.Status, w.promoted)
				}
			}
			lcCheckEvent(t, e, ev.ID, 4, 0, lcIntp(0))

			// Full and no waitlist: SoldOutError.
			nw := lcNewEvent(t, e, map[string]any{"capacity": 1})
			lcMustRegister(t, e, nw.ID, "")
			got := lcRegister(t, e, nw.ID, "").fail(t, "SoldOutError", "")
			if got.WaitlistAvailable == nil || *got.WaitlistAvailable || lcIntString(got.AvailableSeats) != "0" {
				t.Errorf("availableSeats %s waitlistAvailable %v, want 0 false", lcIntString(got.AvailableSeats), got.WaitlistAvailable)
			}
			// And a DRAFT event takes no registrations.
			draft := lcNewEvent(t, e, map[string]any{"publish": false})
			lcRegister(t, e, draft.ID, "").fail(t, "RegistrationClosedError", "")
		})

		t.Run("positions stay 1..n when waiting bookings leave", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 1, "waitlistEnabled": true})
			cat := ev.cat(t, "Standard")
			lcMustBook(t, e, "INVOICE", cat)
			w1 := lcMustWait(t, e, "CARD", cat, cat)
			w2 := lcMustWait(t, e, "CARD", cat)
			reg := lcMustRegister(t, e, ev.ID, "")
			w3 := lcMustWait(t, e, "CARD", cat, cat)
			if p := lcPositions(w3); !slices.Equal(p, []int{5, 6}) {
				t.Errorf("w3 positions %v, want [5 6]", p)
			}
			lcCheckQueue(t, e, ev.ID, 6)

			b, refund := lcMustCancel(t, e, map[string]any{"id": w2.ID})
			lcExpect(t, b, "CANCELLED", "CANCELLED", "CANCELLED")
			if refund != nil {
				t.Errorf("cancelling an unpaid waiting booking refunded %s", refund.Amount.Amount)
			}
			lcCheckQueue(t, e, ev.ID, 5)
			if p := lcPositions(lcGetBooking(t, e, w3.ID)); !slices.Equal(p, []int{4, 5}) {
				t.Errorf("w3 positions %v after w2 left, want [4 5]", p)
			}
			if r := lcGetReg(t, e, reg.ID); lcIntString(r.WaitlistPosition) != "3" {
				t.Errorf("registration at %s, want 3", lcIntString(r.WaitlistPosition))
			}
			lcMoveReg(t, e, reg.ID, "REMOVED").ok(t, "registration", nil)
			lcCheckQueue(t, e, ev.ID, 4)
			lcMustCancel(t, e, map[string]any{"id": w1.ID})
			lcCheckQueue(t, e, ev.ID, 2)
			if p := lcPositions(lcGetBooking(t, e, w3.ID)); !slices.Equal(p, []int{1, 2}) {
				t.Errorf("w3 positions %v, want [1 2]", p)
			}
			lcCheckEvent(t, e, ev.ID, 1, 2, lcIntp(0))
		})

		// Last: it moves the clock.
		t.Run("an expired hold promotes the waitlist", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 1, "waitlistEnabled": true})
			cat := ev.cat(t, "Standard")
			held := lcMustBook(t, e, "CARD", cat)
			w := lcMustWait(t, e, "INVOICE", cat)
			e.Clock.Advance(16 * time.Minute)
			lcCheckEvent(t, e, ev.ID, 1, 0, lcIntp(0))
			lcExpect(t, lcGetBooking(t, e, held.ID), "EXPIRED", "CANCELLED", "CANCELLED")
			lcExpect(t, lcGetBooking(t, e, w.ID), "CONFIRMED", "ACTIVE", "ACCEPTED")
		})
	})
}

// ---------------------------------------------------------------------------
// Rule 4: money

func TestMoneyBookingAmounts(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		type tk struct{ price, net, tax string }
		cases := []struct {
			name, currency string
			cats           []map[string]any // name, price, rate
			book           []string         // category names, one per ticket
			tickets        []tk
			subtotal, tax  string
			total          string
		}{
			{"19.99 at 19%", "EUR", []map[string]any{lcCategory("A", "19.99", "19")}, []string{"A"},
				[]tk{{"19.99", "16.80", "3.19"}}, "16.80", "3.19", "19.99"},
			{"rounded per ticket", "EUR", []map[string]any{lcCategory("A", "0.05", "100")}, []string{"A", "A"},
				[]tk{{"0.05", "0.03", "0.02"}, {"0.05", "0.03", "0.02"}}, "0.06", "0.04", "0.10"},
			{"three at 19%", "EUR", []map[string]any{lcCategory("A", "19.99", "19")}, []string{"A", "A", "A"},
				[]tk{{"19.99", "16.80", "3.19"}, {"19.99", "16.80", "3.19"}, {"19.99", "16.80", "3.19"}}, "50.40", "9.57", "59.97"},
			{"7.7%", "CHF", []map[string]any{lcCategory("A", "10.00", "7.7")}, []string{"A"},
				[]tk{{"10.00", "9.29", "0.71"}}, "9.29", "0.71", "10.00"},
			{"mixed categories", "EUR", []map[string]any{lcCategory("Std", "19.99", "19"), lcCategory("Red", "10.70", "7"), lcCategory("Zero", "25.00", "0")},
				[]string{"Std", "Red", "Zero"},
				[]tk{{"19.99", "16.80", "3.19"}, {"10.70", "10.00", "0.70"}, {"25.00", "25.00", "0.00"}}, "51.80", "3.89", "55.69"},
			{"JPY", "JPY", []map[string]any{lcCategory("A", "1200", "10"), lcCategory("B", "1500", "8")}, []string{"A", "A", "B"},
				[]tk{{"1200", "1091", "109"}, {"1200", "1091", "109"}, {"1500", "1389", "111"}}, "3571", "329", "3900"},
			{"KWD has three digits", "KWD", []map[string]any{lcCategory("A", "1.000", "5")}, []string{"A"},
				[]tk{{"1.000", "0.952", "0.048"}}, "0.952", "0.048", "1.000"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				cats := make([]any, len(c.cats))
				for i, m := range c.cats {
					cats[i] = m
				}
				ev := lcNewEvent(t, e, map[string]any{"currency": c.currency, "ticketCategories": cats})
				ids := make([]string, len(c.book))
				for i, n := range c.book {
					ids[i] = ev.cat(t, n)
				}
				b := lcMustBook(t, e, "INVOICE", ids...)
				check := func(b lcBk) {
					t.Helper()
					if b.Currency != c.currency {
						t.Errorf("currency %s, want %s", b.Currency, c.currency)
					}
					for name, m := range map[string]lcMoney{"subtotal": b.Subtotal, "taxTotal": b.TaxTotal, "total": b.Total, "balanceDue": b.BalanceDue} {
						want := map[string]string{"subtotal": c.subtotal, "taxTotal": c.tax, "total": c.total, "balanceDue": c.total}[name]
						if m.Amount != want || (m.Currency != "" && m.Currency != c.currency) {
							t.Errorf("%s %s %s, want %s %s", name, m.Amount, m.Currency, want, c.currency)
						}
					}
					if len(b.Tickets.Nodes) != len(c.tickets) {
						t.Fatalf("%d tickets, want %d", len(b.Tickets.Nodes), len(c.tickets))
					}
					for i, w := range c.tickets {
						g := b.Tickets.Nodes[i]
						if g.Price.Amount != w.price || g.NetPrice.Amount != w.net || g.TaxAmount.Amount != w.tax {
							t.Errorf("ticket %d: price %s net %s tax %s, want %s %s %s", i, g.Price.Amount, g.NetPrice.Amount, g.TaxAmount.Amount, w.price, w.net, w.tax)
						}
						if g.Price.Currency != c.currency {
							t.Errorf("ticket %d in %s, want %s", i, g.Price.Currency, c.currency)
						}
					}
				}
				check(b)
				// Prices are fixed when booked: changing the category later
				// changes nothing on the booking.
				for _, tc := range ev.TicketCategories {
					lcMutate(t, e, "updateTicketCategory", "ticketCategory { id }", map[string]any{"id": tc.ID, "price": map[string]string{"EUR": "99.00", "CHF": "99.00", "JPY": "9900", "KWD": "9.900"}[c.currency], "taxRatePercent": "50"}).ok(t, "ticketCategory", nil)
				}
				check(lcGetBooking(t, e, b.ID))
			})
		}
	})
}

func TestMoneyPaymentsAndRefunds(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := lcNewEvent(t, e, map[string]any{"ticketCategories": []any{lcCategory("A", "25.00", "19")}})
		b := lcMustBook(t, e, "INVOICE", ev.cat(t, "A"), ev.cat(t, "A"))
		if b.PaymentStatus != "UNPAID" || b.BalanceDue.Amount != "50.00" {
			t.Fatalf("new invoice booking %s owes %s", b.PaymentStatus, b.BalanceDue.Amount)
		}
		payments := map[string]string{}
		type step struct {
			name     string
			run      func(t *testing.T) lcResult
			fail     string // typename; "" = success
			field    string
			refund   bool // a successful refundPayment
			amount   string
			status   string
			paid     string
			refunded string
			balance  string
		}
		pay := func(key, amount string) func(t *testing.T) lcResult {
			return func(t *testing.T) lcResult {
				r := lcMutate(t, e, "recordPayment", "payment { "+lcPaymentSel+" } "+lcBookingField,
					map[string]any{"bookingId": b.ID, "amount": amount, "method": "BANK_TRANSFER"})
				if len(r.errs) == 0 {
					var p lcPayment
					r.ok(t, "payment", &p)
					payments[key] = p.ID
				}
				return r
			}
		}
		refund := func(key, amount string) func(t *testing.T) lcResult {
			return func(t *testing.T) lcResult { return lcRefund(t, e, payments[key], amount) }
		}
		steps := []step{
			{name: "pay 20.00", run: pay("p1", "20.00"), amount: "20.00", status: "PARTIALLY_PAID", paid: "20.00", refunded: "0.00", balance: "30.00"},
			{name: "zero payment", run: pay("x", "0.00"), fail: "ValidationError", field: "amount"},
			{name: "negative payment", run: pay("x", "-1.00"), fail: "ValidationError", field: "amount"},
			{name: "too many decimals", run: pay("x", "1.001"), fail: "ValidationError", field: "amount"},
			{name: "pay 30.00", run: pay("p2", "30.00"), amount: "30.00", status: "PAID", paid: "50.00", refunded: "0.00", balance: "0.00"},
			{name: "refund 10.00 of p2", run: refund("p2", "10.00"), refund: true, amount: "10.00", status: "PARTIALLY_REFUNDED", paid: "50.00", refunded: "10.00", balance: "10.00"},
			{name: "refund all of p1", run: refund("p1", "20.00"), refund: true, amount: "20.00", status: "PARTIALLY_REFUNDED", paid: "50.00", refunded: "30.00", balance: "30.00"},
			// 20.00 of p2 is left: 25.00 is within p2's 30.00 but above what is still paid.
			{name: "refund above what is left", run: refund("p2", "25.00"), fail: "ValidationError", field: "amount"},
			{name: "zero refund", run: refund("p2", "0.00"), fail: "ValidationError", field: "amount"},
			{name: "negative refund", run: refund("p2", "-5.00"), fail: "ValidationError", field: "amount"},
			{name: "refund the rest", run: refund("p2", "20.00"), refund: true, amount: "20.00", status: "REFUNDED", paid: "50.00", refunded: "50.00", balance: "50.00"},
			{name: "refund once everything is refunded", run: refund("p2", "0.01"), fail: "ValidationError", field: "amount"},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				before := lcCount(t, e)
				r := s.run(t)
				if s.fail != "" {
					r.fail(t, s.fail, s.field)
					if after := lcCount(t, e); after != before {
						t.Errorf("a failed payment changed the database: %+v -> %+v", before, after)
					}
					return
				}
				var p lcPayment
				var got lcBk
				r.ok(t, "payment", &p)
				r.ok(t, "booking", &got)
				wantKind := "PAYMENT"
				if s.refund {
					wantKind = "REFUND"
				}
				if p.Kind != wantKind || p.Status != "SUCCEEDED" || p.Amount.Amount != s.amount || strings.HasPrefix(p.Amount.Amount, "-") {
					t.Errorf("payment %+v, want %s SUCCEEDED %s (positive)", p, wantKind, s.amount)
				}
				if got.PaymentStatus != s.status || got.PaidAmount.Amount != s.paid || got.RefundedAmount.Amount != s.refunded || got.BalanceDue.Amount != s.balance {
					t.Errorf("paymentStatus %s paid %s refunded %s balanceDue %s, want %s %s %s %s",
						got.PaymentStatus, got.PaidAmount.Amount, got.RefundedAmount.Amount, got.BalanceDue.Amount, s.status, s.paid, s.refunded, s.balance)
				}
				if got.Status != "CONFIRMED" {
					t.Errorf("payments changed the booking to %s", got.Status)
				}
			})
		}
		t.Run("the booking lists every payment and refund with positive amounts", func(t *testing.T) {
			got := lcGetBooking(t, e, b.ID)
			var kinds, amounts []string
			for _, p := range got.Payments.Nodes {
				kinds = append(kinds, p.Kind)
				amounts = append(amounts, p.Amount.Amount)
			}
			if !slices.Equal(kinds, []string{"PAYMENT", "PAYMENT", "REFUND", "REFUND", "REFUND"}) ||
				!slices.Equal(amounts, []string{"20.00", "30.00", "10.00", "20.00", "20.00"}) {
				t.Errorf("payments %v %v", kinds, amounts)
			}
		})
		t.Run("a refund cannot be refunded", func(t *testing.T) {
			got := lcGetBooking(t, e, b.ID)
			last := got.Payments.Nodes[len(got.Payments.Nodes)-1]
			lcRefund(t, e, last.ID, "1.00").fail(t, "InvalidStateError", "")
		})
		t.Run("JPY amounts have no decimals", func(t *testing.T) {
			jev := lcNewEvent(t, e, map[string]any{"currency": "JPY", "ticketCategories": []any{lcCategory("A", "1200", "10")}})
			jb := lcMustBook(t, e, "INVOICE", jev.cat(t, "A"))
			lcMutate(t, e, "recordPayment", lcBookingField, map[string]any{"bookingId": jb.ID, "amount": "10.5", "method": "CASH"}).
				fail(t, "ValidationError", "amount")
			p, got := lcPay(t, e, jb.ID, "1200", nil)
			if p.Amount.Amount != "1200" || got.PaymentStatus != "PAID" || got.BalanceDue.Amount != "0" {
				t.Errorf("JPY payment %s, status %s, balance %s", p.Amount.Amount, got.PaymentStatus, got.BalanceDue.Amount)
			}
			r := lcRefund(t, e, p.ID, "1201")
			r.fail(t, "ValidationError", "amount")
		})
	})
}

// ---------------------------------------------------------------------------
// Rule 5: cancellation policy

var lcStandardPolicy = map[string]any{"rules": []any{
	map[string]any{"hoursBeforeStart": 168, "keepPercent": "0"},
	map[string]any{"hoursBeforeStart": 48, "keepPercent": "50"},
	map[string]any{"hoursBeforeStart": 0, "keepPercent": "100"},
}}

func TestCancelQuote(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		start := e.Clock.Now().Add(300 * time.Hour).Truncate(time.Second)
		mk := func(t *testing.T, policy map[string]any, paid string) lcBk {
			ev := lcNewEvent(t, e, map[string]any{"startsAt": lcRFC(start), "cancellationPolicy": policy,
				"ticketCategories": []any{lcCategory("A", "100.00", "19")}})
			b := lcMustBook(t, e, "INVOICE", ev.cat(t, "A"))
			if paid != "" {
				lcPay(t, e, b.ID, paid, nil)
			}
			return b
		}
		paid := mk(t, lcStandardPolicy, "100.00")
		withFee := mk(t, map[string]any{"rules": []any{
			map[string]any{"hoursBeforeStart": 48, "keepPercent": "10", "fixedFee": "5.00"},
			map[string]any{"hoursBeforeStart": 0, "keepPercent": "50", "fixedFee": "80.00"},
		}}, "100.00")
		partly := mk(t, lcStandardPolicy, "60.00")
		unpaid := mk(t, lcStandardPolicy, "")
		noPolicy := mk(t, nil, "100.00")
		h := func(hours float64) time.Time { return start.Add(-time.Duration(hours * float64(time.Hour))) }
		cases := []struct {
			name               string
			b                  lcBk
			at                 time.Time
			paid, kept, refund string
			rule               int // -1 none
			fee                string
			hours              float64
		}{
			{"200h before: no rule yet", paid, h(200), "100.00", "0.00", "100.00", -1, "", 200},
			{"168h before: 168h rule", paid, h(168), "100.00", "0.00", "100.00", 168, "", 168},
			{"72h before: 168h rule", paid, h(72), "100.00", "0.00", "100.00", 168, "", 72},
			{"48h before: 48h rule", paid, h(48), "100.00", "50.00", "50.00", 48, "", 48},
			{"24h before: half", paid, h(24), "100.00", "50.00", "50.00", 48, "", 24},
			{"at the start: all", paid, h(0), "100.00", "100.00", "0.00", 0, "", 0},
			{"after the start: all", paid, h(-1), "100.00", "100.00", "0.00", 0, "", -1},
			{"fixed fee", withFee, h(24), "100.00", "15.00", "85.00", 48, "5.00", 24},
			{"fixed fee capped at paid", withFee, h(-1), "100.00", "100.00", "0.00", 0, "80.00", -1},
			{"fee policy, early", withFee, h(100), "100.00", "0.00", "100.00", -1, "", 100},
			{"partly paid", partly, h(24), "60.00", "30.00", "30.00", 48, "", 24},
			{"unpaid", unpaid, h(24), "0.00", "0.00", "0.00", 48, "", 24},
			{"no policy keeps nothing", noPolicy, h(-1), "100.00", "0.00", "100.00", -1, "", -1},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				q := lcQuoteAt(t, e, c.b.ID, c.at)
				if !q.Cancellable || q.Paid.Amount != c.paid || q.Kept.Amount != c.kept || q.Refund.Amount != c.refund {
					t.Errorf("cancellable %v paid %s kept %s refund %s, want true %s %s %s", q.Cancellable, q.Paid.Amount, q.Kept.Amount, q.Refund.Amount, c.paid, c.kept, c.refund)
				}
				switch {
				case c.rule < 0 && q.Rule != nil:
					t.Errorf("rule %+v in force, want none", *q.Rule)
				case c.rule >= 0 && q.Rule == nil:
					t.Errorf("no rule in force, want %dh", c.rule)
				case c.rule >= 0 && q.Rule.HoursBeforeStart != c.rule:
					t.Errorf("rule %dh in force, want %dh", q.Rule.HoursBeforeStart, c.rule)
				case c.fee != "" && (q.Rule.FixedFee == nil || q.Rule.FixedFee.Amount != c.fee):
					t.Errorf("rule fee %v, want %s", q.Rule.FixedFee, c.fee)
				}
				if math.Abs(q.HoursBeforeStart-c.hours) > 0.01 {
					t.Errorf("hoursBeforeStart %v, want %v", q.HoursBeforeStart, c.hours)
				}
			})
		}
		t.Run("at defaults to now", func(t *testing.T) {
			q := lcQuoteAt(t, e, paid.ID, time.Time{})
			if q.Refund.Amount != "100.00" || q.Rule != nil || math.Abs(q.HoursBeforeStart-300) > 0.1 {
				t.Errorf("quote now: refund %s rule %v hours %v, want 100.00 none ~300", q.Refund.Amount, q.Rule, q.HoursBeforeStart)
			}
		})
		t.Run("quotes change nothing", func(t *testing.T) {
			for _, b := range []lcBk{paid, withFee, partly, unpaid} {
				got := lcGetBooking(t, e, b.ID)
				if got.Status != "CONFIRMED" || got.RefundedAmount.Amount != "0.00" || len(got.Payments.Nodes) > 1 {
					t.Errorf("after quotes booking %s is %s, refunded %s, %d payments", got.OrderNumber, got.Status, got.RefundedAmount.Amount, len(got.Payments.Nodes))
				}
			}
		})
	})
}

func TestCancelBooking(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		// Each case books 100.00, pays it, and cancels `hours` before the start.
		cases := []struct {
			name        string
			hours       float64 // hours before the start when cancelling (negative: after)
			applyPolicy *bool
			refund      string
			rule        int // -1 none
			status      string
		}{
			{"200h before: all back", 200, nil, "100.00", -1, "REFUNDED"},
			{"72h before: all back", 72, nil, "100.00", 168, "REFUNDED"},
			{"24h before: half back", 24, nil, "50.00", 48, "PARTIALLY_REFUNDED"},
			{"24h before, applyPolicy false: all back", 24, func() *bool { b := false; return &b }(), "100.00", -1, "REFUNDED"},
			{"after the start: nothing back", -1, nil, "0.00", 0, "PAID"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				now := e.Clock.Now()
				lead := c.hours
				if lead < 0 {
					lead = 1 // book one hour before the start, then move past it
				}
				start := now.Add(time.Duration(lead*float64(time.Hour)) + time.Minute).Truncate(time.Second)
				ev := lcNewEvent(t, e, map[string]any{"startsAt": lcRFC(start), "capacity": 5, "cancellationPolicy": lcStandardPolicy,
					"ticketCategories": []any{lcCategory("A", "100.00", "19")}})
				b := lcMustBook(t, e, "INVOICE", ev.cat(t, "A"))
				lcPay(t, e, b.ID, "100.00", nil)
				if c.hours < 0 {
					e.Clock.Advance(time.Duration((1-c.hours)*float64(time.Hour)) + 2*time.Minute)
				}
				q := lcQuoteAt(t, e, b.ID, e.Clock.Now())
				if c.applyPolicy == nil {
					if q.Refund.Amount != c.refund {
						t.Errorf("calculateCancellation refund %s, want %s", q.Refund.Amount, c.refund)
					}
					if (c.rule < 0) != (q.Rule == nil) || (q.Rule != nil && q.Rule.HoursBeforeStart != c.rule) {
						t.Errorf("rule in force %+v, want %d", q.Rule, c.rule)
					}
				}
				in := map[string]any{"id": b.ID, "reason": "plans changed"}
				if c.applyPolicy != nil {
					in["applyPolicy"] = *c.applyPolicy
				}
				got, refund := lcMustCancel(t, e, in)
				want := c.refund
				if c.applyPolicy == nil && q.Refund.Amount != want {
					want = q.Refund.Amount // the cancellation must match the quote in any case
				}
				if want == "0.00" {
					if refund != nil {
						t.Errorf("nothing to refund but refund %+v", *refund)
					}
				} else if refund == nil {
					t.Errorf("no refund, want %s", want)
				} else if refund.Kind != "REFUND" || refund.Status != "SUCCEEDED" || refund.Amount.Amount != want {
					t.Errorf("refund %+v, want REFUND SUCCEEDED %s", *refund, want)
				}
				lcExpect(t, got, "CANCELLED", "CANCELLED", "CANCELLED")
				if got.RefundedAmount.Amount != want || got.PaymentStatus != c.status || got.PaidAmount.Amount != "100.00" {
					t.Errorf("refunded %s paymentStatus %s paid %s, want %s %s 100.00", got.RefundedAmount.Amount, got.PaymentStatus, got.PaidAmount.Amount, want, c.status)
				}
				lcParseTime(t, "cancelledAt", got.CancelledAt)
				if got.CancellationReason == nil || *got.CancellationReason != "plans changed" {
					t.Errorf("cancellationReason %v", got.CancellationReason)
				}
				if got.HoldExpiresAt != nil {
					t.Errorf("cancelled booking holds until %s", *got.HoldExpiresAt)
				}
				var refunds []string
				for _, p := range got.Payments.Nodes {
					if p.Kind == "REFUND" {
						refunds = append(refunds, p.Amount.Amount)
					}
				}
				if (want == "0.00" && len(refunds) != 0) || (want != "0.00" && !slices.Equal(refunds, []string{want})) {
					t.Errorf("refund payments %v, want [%s]", refunds, want)
				}
				lcCheckEvent(t, e, ev.ID, 0, 0, lcIntp(5))

				// Twice is an error and changes nothing.
				before := lcCount(t, e)
				lcCancelBooking(t, e, map[string]any{"id": b.ID}).fail(t, "InvalidStateError", "")
				if after := lcCount(t, e); after != before {
					t.Errorf("second cancellation changed the database")
				}
				if q := lcQuoteAt(t, e, b.ID, time.Time{}); q.Cancellable {
					t.Errorf("calculateCancellation of a cancelled booking says cancellable")
				}
			})
		}

		t.Run("some tickets", func(t *testing.T) {
			start := e.Clock.Now().Add(24*time.Hour + time.Minute).Truncate(time.Second)
			ev := lcNewEvent(t, e, map[string]any{"startsAt": lcRFC(start), "capacity": 5, "cancellationPolicy": lcStandardPolicy,
				"ticketCategories": []any{lcCategory("A", "30.00", "19")}})
			cat := ev.cat(t, "A")
			b := lcMustBook(t, e, "INVOICE", cat, cat, cat)
			lcPay(t, e, b.ID, "90.00", nil)
			first := b.Tickets.Nodes[0]
			got, refund := lcMustCancel(t, e, map[string]any{"id": b.ID, "ticketIds": []string{first.ID}})
			if got.Status != "CONFIRMED" || got.CancelledAt != nil {
				t.Errorf("partly cancelled booking is %s (cancelledAt %v), want CONFIRMED", got.Status, got.CancelledAt)
			}
			// Its share of the payment, 30.00, half kept 24h before.
			if refund == nil || refund.Amount.Amount != "15.00" || refund.Kind != "REFUND" {
				t.Errorf("partial refund %+v, want REFUND 15.00", refund)
			}
			for i, tk := range got.Tickets.Nodes {
				wantT, wantR := "ACTIVE", "ACCEPTED"
				if tk.ID == first.ID {
					wantT, wantR = "CANCELLED", "CANCELLED"
				}
				if tk.Status != wantT || tk.Registration == nil || tk.Registration.Status != wantR {
					t.Errorf("ticket %d: %s / %v, want %s / %s", i, tk.Status, tk.Registration, wantT, wantR)
				}
			}
			lcCheckEvent(t, e, ev.ID, 2, 0, lcIntp(3))
			if ev := lcGetEvent(t, e, ev.ID); ev.TicketCategories[0].SoldCount != 2 {
				t.Errorf("soldCount %d, want 2", ev.TicketCategories[0].SoldCount)
			}
			// The same ticket again is an InvalidStateError.
			lcCancelBooking(t, e, map[string]any{"id": b.ID, "ticketIds": []string{first.ID}}).fail(t, "InvalidStateError", "")
			// A ticket of another booking is not found.
			other := lcMustBook(t, e, "INVOICE", cat)
			lcCancelBooking(t, e, map[string]any{"id": b.ID, "ticketIds": []string{other.Tickets.Nodes[0].ID}}).fail(t, "NotFoundError", "")
			// The rest: the cancellation refunds what calculateCancellation said.
			q := lcQuoteAt(t, e, b.ID, e.Clock.Now())
			got, refund = lcMustCancel(t, e, map[string]any{"id": b.ID})
			lcExpect(t, got, "CANCELLED", "CANCELLED", "CANCELLED")
			if refund == nil || refund.Amount.Amount != q.Refund.Amount {
				t.Errorf("final refund %+v, calculateCancellation said %s", refund, q.Refund.Amount)
			}
			lcCheckEvent(t, e, ev.ID, 1, 0, lcIntp(4))
		})

		t.Run("an unpaid pending booking", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 2, "cancellationPolicy": lcStandardPolicy})
			b := lcMustBook(t, e, "CARD", ev.cat(t, "Standard"), ev.cat(t, "Standard"))
			got, refund := lcMustCancel(t, e, map[string]any{"id": b.ID})
			lcExpect(t, got, "CANCELLED", "CANCELLED", "CANCELLED")
			if refund != nil || got.HoldExpiresAt != nil || got.BalanceDue.Amount != "0.00" {
				t.Errorf("refund %v hold %v balanceDue %s", refund, got.HoldExpiresAt, got.BalanceDue.Amount)
			}
			lcCheckEvent(t, e, ev.ID, 0, 0, lcIntp(2))
		})

		t.Run("unknown booking", func(t *testing.T) {
			lcCancelBooking(t, e, map[string]any{"id": gid.Encode(5<<32 | 987654)}).fail(t, "NotFoundError", "")
		})
	})
}

// ---------------------------------------------------------------------------
// Rule 8: registration status moves

var lcRegStatuses = []string{"PENDING", "ACCEPTED", "WAITLISTED", "DECLINED", "REMOVED", "CANCELLED"}

var lcAllowedMoves = map[string][]string{
	"PENDING":    {"ACCEPTED", "DECLINED", "REMOVED", "CANCELLED"},
	"ACCEPTED":   {"REMOVED", "CANCELLED"},
	"WAITLISTED": {"PENDING", "ACCEPTED", "CANCELLED", "REMOVED"},
}

func lcHoldsSeat(s string) bool { return s == "PENDING" || s == "ACCEPTED" }

// lcRegIn makes a registration of its own in status from, on a fresh event
// that has a free seat (for a waiting one: while a bigger booking in front
// of it waits for more seats than are free).
func lcRegIn(t *testing.T, e *graphtest.Env, from string) (lcReg, lcEv) {
	t.Helper()
	if from == "WAITLISTED" {
		ev := lcNewEvent(t, e, map[string]any{"capacity": 2, "waitlistEnabled": true})
		cat := ev.cat(t, "Standard")
		a := lcMustBook(t, e, "INVOICE", cat, cat)
		lcMustWait(t, e, "INVOICE", cat, cat, cat)
		r := lcMustRegister(t, e, ev.ID, "")
		lcMustCancel(t, e, map[string]any{"id": a.ID})
		r = lcGetReg(t, e, r.ID)
		if r.Status != "WAITLISTED" || lcIntString(r.WaitlistPosition) != "4" {
			t.Fatalf("setup: registration %s at %s, want WAITLISTED at 4", r.Status, lcIntString(r.WaitlistPosition))
		}
		return r, lcCheckEvent(t, e, ev.ID, 0, 4, lcIntp(2))
	}
	ev := lcNewEvent(t, e, map[string]any{"capacity": 5})
	first := map[string]string{"PENDING": "PENDING", "DECLINED": "PENDING"}[from]
	if first == "" {
		first = "ACCEPTED"
	}
	r := lcMustRegister(t, e, ev.ID, first)
	if r.Status != first {
		t.Fatalf("setup: new registration %s, want %s", r.Status, first)
	}
	if from != first {
		lcMoveReg(t, e, r.ID, from).ok(t, "registration", &r)
	}
	if r.Status != from {
		t.Fatalf("setup: registration %s, want %s", r.Status, from)
	}
	return r, lcGetEvent(t, e, ev.ID)
}

func TestRegistrationStatusMoves(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		for _, from := range lcRegStatuses {
			for _, to := range lcRegStatuses {
				allowed := slices.Contains(lcAllowedMoves[from], to)
				name := fmt.Sprintf("%s to %s", from, to)
				if !allowed {
					name += " refused"
				}
				t.Run(name, func(t *testing.T) {
					r, ev := lcRegIn(t, e, from)
					res := lcMoveReg(t, e, r.ID, to)
					after := lcGetEvent(t, e, ev.ID)
					if !allowed {
						res.fail(t, "InvalidStateError", "")
						if got := lcGetReg(t, e, r.ID); got.Status != from {
							t.Errorf("refused move changed the status to %s", got.Status)
						}
						if after.RegisteredCount != ev.RegisteredCount || after.WaitlistCount != ev.WaitlistCount {
							t.Errorf("refused move changed the counts: %+v -> %+v", ev, after)
						}
						return
					}
					var got lcReg
					res.ok(t, "registration", &got)
					if got.Status != to {
						t.Errorf("status %s, want %s", got.Status, to)
					}
					if got.WaitlistPosition != nil {
						t.Errorf("%s registration keeps waitlistPosition %d", to, *got.WaitlistPosition)
					}
					if stored := lcGetReg(t, e, r.ID); stored.Status != to {
						t.Errorf("stored status %s, want %s", stored.Status, to)
					}
					wantReg := ev.RegisteredCount
					if lcHoldsSeat(from) && !lcHoldsSeat(to) {
						wantReg--
					}
					if !lcHoldsSeat(from) && lcHoldsSeat(to) {
						wantReg++
					}
					wantWait := ev.WaitlistCount
					if from == "WAITLISTED" {
						wantWait--
					}
					if after.RegisteredCount != wantReg || after.WaitlistCount != wantWait {
						t.Errorf("registeredCount %d waitlistCount %d, want %d %d", after.RegisteredCount, after.WaitlistCount, wantReg, wantWait)
					}
					if from == "WAITLISTED" {
						lcCheckQueue(t, e, ev.ID, wantWait)
					}
				})
			}
		}

		t.Run("a waiting registration needs a free seat", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 1, "waitlistEnabled": true})
			lcMustRegister(t, e, ev.ID, "")
			w := lcMustRegister(t, e, ev.ID, "")
			for _, to := range []string{"ACCEPTED", "PENDING"} {
				got := lcMoveReg(t, e, w.ID, to).fail(t, "SoldOutError", "")
				if lcIntString(got.AvailableSeats) != "0" {
					t.Errorf("SoldOutError availableSeats %s, want 0", lcIntString(got.AvailableSeats))
				}
			}
			if r := lcGetReg(t, e, w.ID); r.Status != "WAITLISTED" || lcIntString(r.WaitlistPosition) != "1" {
				t.Errorf("after SoldOutError: %s at %s", r.Status, lcIntString(r.WaitlistPosition))
			}
			lcCheckEvent(t, e, ev.ID, 1, 1, lcIntp(0))
		})

		t.Run("DECLINED frees the seat", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 1})
			r := lcMustRegister(t, e, ev.ID, "PENDING")
			lcRegister(t, e, ev.ID, "").fail(t, "SoldOutError", "")
			lcMoveReg(t, e, r.ID, "DECLINED").ok(t, "registration", nil)
			lcCheckEvent(t, e, ev.ID, 0, 0, lcIntp(1))
			if n := lcMustRegister(t, e, ev.ID, ""); n.Status != "ACCEPTED" {
				t.Errorf("registration after a decline is %s, want ACCEPTED", n.Status)
			}
			// With a waitlist, the seat goes to the first in line at once.
			wev := lcNewEvent(t, e, map[string]any{"capacity": 1, "waitlistEnabled": true})
			p := lcMustRegister(t, e, wev.ID, "PENDING")
			w := lcMustRegister(t, e, wev.ID, "ACCEPTED")
			lcMoveReg(t, e, p.ID, "DECLINED").ok(t, "registration", nil)
			if got := lcGetReg(t, e, w.ID); got.Status != "ACCEPTED" || got.WaitlistPosition != nil {
				t.Errorf("waiting registration %s at %s after the decline, want ACCEPTED", got.Status, lcIntString(got.WaitlistPosition))
			}
			lcCheckEvent(t, e, wev.ID, 1, 0, lcIntp(0))
		})

		t.Run("a ticket's registration follows its booking", func(t *testing.T) {
			ev := lcNewEvent(t, e, nil)
			b := lcMustBook(t, e, "INVOICE", ev.cat(t, "Standard"))
			lcMoveReg(t, e, b.Tickets.Nodes[0].Registration.ID, "REMOVED").fail(t, "InvalidStateError", "")
			lcExpect(t, lcGetBooking(t, e, b.ID), "CONFIRMED", "ACTIVE", "ACCEPTED")
		})
	})
}

// ---------------------------------------------------------------------------
// Rule 9: events

func TestRuleEventCancelRefundsEverything(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		// A policy that keeps everything: cancelEvent refunds in full anyway.
		keepAll := map[string]any{"rules": []any{map[string]any{"hoursBeforeStart": 10000, "keepPercent": "100"}}}
		ev := lcNewEvent(t, e, map[string]any{"capacity": 6, "waitlistEnabled": true, "cancellationPolicy": keepAll,
			"ticketCategories": []any{lcCategory("A", "20.00", "19")}})
		cat := ev.cat(t, "A")
		paid := lcMustBook(t, e, "INVOICE", cat, cat)
		lcPay(t, e, paid.ID, "40.00", nil)
		partly := lcMustBook(t, e, "INVOICE", cat)
		lcPay(t, e, partly.ID, "5.00", nil)
		refundedBefore := lcMustBook(t, e, "INVOICE", cat)
		p, _ := lcPay(t, e, refundedBefore.ID, "20.00", nil)
		lcRefund(t, e, p.ID, "8.00").ok(t, "payment", nil)
		pending := lcMustBook(t, e, "CARD", cat, cat)
		waiting := lcMustWait(t, e, "INVOICE", cat, cat)
		if q := lcQuoteAt(t, e, paid.ID, time.Time{}); q.Refund.Amount != "0.00" {
			t.Fatalf("setup: the policy should keep everything, quote refunds %s", q.Refund.Amount)
		}
		lcCheckEvent(t, e, ev.ID, 6, 2, lcIntp(0))

		var got lcEv
		lcMutate(t, e, "cancelEvent", "event { "+lcEventSel+" }", map[string]any{"id": ev.ID, "reason": "storm"}).ok(t, "event", &got)
		if got.Status != "CANCELLED" || got.RegisteredCount != 0 || got.WaitlistCount != 0 {
			t.Errorf("cancelled event: %s registered %d waiting %d", got.Status, got.RegisteredCount, got.WaitlistCount)
		}
		cases := []struct {
			name          string
			b             lcBk
			refunds       []string
			refunded      string
			paymentStatus string
		}{
			{"paid in full", paid, []string{"40.00"}, "40.00", "REFUNDED"},
			{"partly paid", partly, []string{"5.00"}, "5.00", "REFUNDED"},
			{"partly refunded before", refundedBefore, []string{"8.00", "12.00"}, "20.00", "REFUNDED"},
			{"pending, unpaid", pending, nil, "0.00", ""},
			{"waiting", waiting, nil, "0.00", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				b := lcGetBooking(t, e, c.b.ID)
				lcExpect(t, b, "CANCELLED", "CANCELLED", "CANCELLED")
				var refunds []string
				for _, p := range b.Payments.Nodes {
					if p.Kind == "REFUND" {
						if p.Status != "SUCCEEDED" || strings.HasPrefix(p.Amount.Amount, "-") {
							t.Errorf("refund %+v", p)
						}
						refunds = append(refunds, p.Amount.Amount)
					}
				}
				if !slices.Equal(refunds, c.refunds) || b.RefundedAmount.Amount != c.refunded {
					t.Errorf("refunds %v (refundedAmount %s), want %v (%s)", refunds, b.RefundedAmount.Amount, c.refunds, c.refunded)
				}
				if c.paymentStatus != "" && b.PaymentStatus != c.paymentStatus {
					t.Errorf("paymentStatus %s, want %s", b.PaymentStatus, c.paymentStatus)
				}
				if b.CancelledAt == nil {
					t.Errorf("no cancelledAt")
				}
			})
		}
		t.Run("a cancelled event takes no bookings", func(t *testing.T) {
			lcBook(t, e, lcBookingInput("INVOICE", cat)).fail(t, "RegistrationClosedError", "")
			lcMutate(t, e, "cancelEvent", "event { id }", map[string]any{"id": ev.ID}).fail(t, "InvalidStateError", "")
		})
	})
}

func TestRuleEventDeleteAndCapacity(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		t.Run("deleteEvent", func(t *testing.T) {
			booked := lcNewEvent(t, e, nil)
			b := lcMustBook(t, e, "INVOICE", booked.cat(t, "Standard"))
			cancelled := lcNewEvent(t, e, nil)
			cb := lcMustBook(t, e, "INVOICE", cancelled.cat(t, "Standard"))
			lcMustCancel(t, e, map[string]any{"id": cb.ID})
			empty := lcNewEvent(t, e, nil)
			cases := []struct {
				name, id string
				fail     string
			}{
				{"with a booking", booked.ID, "InvalidStateError"},
				{"with only a cancelled booking", cancelled.ID, "InvalidStateError"},
				{"without bookings", empty.ID, ""},
				{"unknown", gid.Encode(2<<32 | 987654), "NotFoundError"},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					r := lcMutate(t, e, "deleteEvent", "deletedId", map[string]any{"id": c.id})
					if c.fail != "" {
						r.fail(t, c.fail, "")
						return
					}
					var deleted string
					r.ok(t, "deletedId", &deleted)
					if deleted != c.id {
						t.Errorf("deletedId %s, want %s", deleted, c.id)
					}
				})
			}
			lcExpect(t, lcGetBooking(t, e, b.ID), "CONFIRMED", "ACTIVE", "ACCEPTED")
			lcGetEvent(t, e, booked.ID)
		})
		t.Run("capacity below the seats held", func(t *testing.T) {
			ev := lcNewEvent(t, e, map[string]any{"capacity": 5, "waitlistEnabled": true})
			cat := ev.cat(t, "Standard")
			lcMustBook(t, e, "CARD", cat, cat) // PENDING holds seats too
			lcMustBook(t, e, "INVOICE", cat)
			cases := []struct {
				capacity int
				ok       bool
			}{{0, false}, {2, false}, {3, true}, {4, true}}
			for _, c := range cases {
				r := lcUpdateEvent(t, e, map[string]any{"id": ev.ID, "capacity": c.capacity})
				if !c.ok {
					r.fail(t, "ValidationError", "capacity")
					if got := lcGetEvent(t, e, ev.ID); got.Capacity == nil || *got.Capacity == c.capacity {
						t.Errorf("refused capacity %d was stored", c.capacity)
					}
					continue
				}
				var got lcEv
				r.ok(t, "event", &got)
				if lcIntString(got.Capacity) != fmt.Sprint(c.capacity) || lcIntString(got.AvailableSeats) != fmt.Sprint(c.capacity-3) {
					t.Errorf("capacity %s available %s, want %d %d", lcIntString(got.Capacity), lcIntString(got.AvailableSeats), c.capacity, c.capacity-3)
				}
			}
			// Waiting bookings hold no seat: they do not stop lowering it.
			lcUpdateEvent(t, e, map[string]any{"id": ev.ID, "capacity": 3}).ok(t, "event", nil)
			lcMustWait(t, e, "INVOICE", cat, cat)
			lcUpdateEvent(t, e, map[string]any{"id": ev.ID, "capacity": 2}).fail(t, "ValidationError", "capacity")
			var got lcEv
			lcUpdateEvent(t, e, map[string]any{"id": ev.ID, "capacity": 3}).ok(t, "event", &got)
			if got.RegisteredCount != 3 || got.WaitlistCount != 2 {
				t.Errorf("registered %d waiting %d, want 3 2", got.RegisteredCount, got.WaitlistCount)
			}
		})
	})
}
