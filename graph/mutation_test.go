package graph_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"seatgraph/graph/graphtest"
	"seatgraph/internal/domain"
	"seatgraph/internal/gid"
)

// ---------------------------------------------------------------------------
// Shapes of the answers.

type moneyOut struct {
	Amount    string `json:"amount"`
	Currency  string `json:"currency"`
	Formatted string `json:"formatted"`
}

type ruleOut struct {
	HoursBeforeStart int       `json:"hoursBeforeStart"`
	KeepPercent      string    `json:"keepPercent"`
	FixedFee         *moneyOut `json:"fixedFee"`
}

type policyOut struct {
	Rules []ruleOut `json:"rules"`
}

type idOut struct {
	ID string `json:"id"`
}

type categoryOut struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Description    *string  `json:"description"`
	Price          moneyOut `json:"price"`
	TaxRatePercent string   `json:"taxRatePercent"`
	Capacity       *int     `json:"capacity"`
	SoldCount      int      `json:"soldCount"`
	AvailableSeats *int     `json:"availableSeats"`
	SalesStartAt   *string  `json:"salesStartAt"`
	SalesEndAt     *string  `json:"salesEndAt"`
	Event          idOut    `json:"event"`
}

type eventOut struct {
	ID                   string        `json:"id"`
	CreatedAt            string        `json:"createdAt"`
	UpdatedAt            string        `json:"updatedAt"`
	Title                string        `json:"title"`
	Description          *string       `json:"description"`
	Status               string        `json:"status"`
	StatusLocalized      string        `json:"statusLocalized"`
	StartsAt             string        `json:"startsAt"`
	EndsAt               *string       `json:"endsAt"`
	TimeZone             string        `json:"timeZone"`
	Venue                *string       `json:"venue"`
	Address              *string       `json:"address"`
	OnlineURL            *string       `json:"onlineUrl"`
	Category             *string       `json:"category"`
	Capacity             *int          `json:"capacity"`
	WaitlistEnabled      bool          `json:"waitlistEnabled"`
	RegistrationOpensAt  *string       `json:"registrationOpensAt"`
	RegistrationClosesAt *string       `json:"registrationClosesAt"`
	MaxTicketsPerBooking *int          `json:"maxTicketsPerBooking"`
	Currency             string        `json:"currency"`
	CancelledAt          *string       `json:"cancelledAt"`
	CancellationReason   *string       `json:"cancellationReason"`
	RegisteredCount      int           `json:"registeredCount"`
	WaitlistCount        int           `json:"waitlistCount"`
	AvailableSeats       *int          `json:"availableSeats"`
	CheckedInCount       int           `json:"checkedInCount"`
	CancellationPolicy   *policyOut    `json:"cancellationPolicy"`
	TicketCategories     []categoryOut `json:"ticketCategories"`
}

type participantOut struct {
	ID          string  `json:"id"`
	CreatedAt   string  `json:"createdAt"`
	UpdatedAt   string  `json:"updatedAt"`
	FirstName   string  `json:"firstName"`
	LastName    string  `json:"lastName"`
	Name        string  `json:"name"`
	Email       string  `json:"email"`
	Phone       *string `json:"phone"`
	Company     *string `json:"company"`
	JobTitle    *string `json:"jobTitle"`
	Address     *string `json:"address"`
	ZipCode     *string `json:"zipCode"`
	City        *string `json:"city"`
	CountryCode *string `json:"countryCode"`
	ExternalRef *string `json:"externalRef"`
}

// payloadError is one entry of a payload's errors list.
type payloadError struct {
	Typename string  `json:"__typename"`
	Message  string  `json:"message"`
	Field    *string `json:"field"`
	ID       *string `json:"id"`
}

func (p payloadError) String() string {
	s := p.Typename + ": " + p.Message
	if p.Field != nil {
		s += " (field " + *p.Field + ")"
	}
	return s
}

const categoryFields = `id name description price { amount currency formatted } taxRatePercent capacity
	soldCount availableSeats salesStartAt salesEndAt event { id }`

const eventFields = `id createdAt updatedAt title description status statusLocalized startsAt endsAt
	timeZone venue address onlineUrl category capacity waitlistEnabled registrationOpensAt
	registrationClosesAt maxTicketsPerBooking currency cancelledAt cancellationReason
	registeredCount waitlistCount availableSeats checkedInCount
	cancellationPolicy { rules { hoursBeforeStart keepPercent fixedFee { amount currency formatted } } }
	ticketCategories { ` + categoryFields + ` }`

const participantFields = `id createdAt updatedAt firstName lastName name email phone company
	jobTitle address zipCode city countryCode externalRef`

// errorUnions lists the members of each mutation's error union, so that the
// selection only spreads fragments the union can hold.
var errorUnions = map[string][]string{
	"createEvent":          {"ValidationError"},
	"updateEvent":          {"ValidationError", "NotFoundError"},
	"publishEvent":         {"NotFoundError", "InvalidStateError"},
	"cancelEvent":          {"NotFoundError", "InvalidStateError"},
	"duplicateEvent":       {"ValidationError", "NotFoundError", "InvalidStateError"},
	"deleteEvent":          {"NotFoundError", "InvalidStateError"},
	"createTicketCategory": {"ValidationError", "NotFoundError"},
	"updateTicketCategory": {"ValidationError", "NotFoundError"},
	"createParticipant":    {"ValidationError"},
	"updateParticipant":    {"ValidationError", "NotFoundError"},
}

func errorSelection(mutation string) string {
	members, ok := errorUnions[mutation]
	if !ok {
		panic("no error union for " + mutation)
	}
	sel := "__typename ... on Error { message }"
	for _, m := range members {
		switch m {
		case "ValidationError":
			sel += " ... on ValidationError { field }"
		case "NotFoundError":
			sel += " ... on NotFoundError { id }"
		}
	}
	return sel
}

// mutationResult is the answer of one mutation: its payload object field
// (raw) and its errors list.
type mutationResult struct {
	resp   *graphtest.Response
	obj    json.RawMessage
	errors []payloadError
	hasErr bool // the errors field was a list (not null)
}

// mutate runs mutation(input: $input) { <objField> { <sel> } errors { ... } }
// and requires that it gives no top-level error.
func mutate(t *testing.T, e *graphtest.Env, mutation, objField, sel string, input map[string]any, headers ...string) mutationResult {
	t.Helper()
	r := mutateRaw(t, e, mutation, objField, sel, input, headers...)
	if len(r.resp.Errors) > 0 {
		t.Fatalf("%s: top-level errors %+v", mutation, r.resp.Errors)
	}
	return r
}

func mutateRaw(t *testing.T, e *graphtest.Env, mutation, objField, sel string, input map[string]any, headers ...string) mutationResult {
	t.Helper()
	obj := objField
	if sel != "" {
		obj += " { " + sel + " }"
	}
	q := fmt.Sprintf("mutation($input: %sInput!) { %s(input: $input) { %s errors { %s } } }",
		strings.ToUpper(mutation[:1])+mutation[1:], mutation, obj, errorSelection(mutation))
	resp := e.Do(t, q, map[string]any{"input": input}, headers...)
	res := mutationResult{resp: resp}
	if len(resp.Errors) > 0 {
		return res
	}
	var data map[string]map[string]json.RawMessage
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		t.Fatalf("%s: decoding %s: %v", mutation, resp.Data, err)
	}
	payload, ok := data[mutation]
	if !ok {
		t.Fatalf("%s: no payload in %s", mutation, resp.Data)
	}
	res.obj = payload[objField]
	if raw := payload["errors"]; len(raw) > 0 && string(raw) != "null" {
		res.hasErr = true
		if err := json.Unmarshal(raw, &res.errors); err != nil {
			t.Fatalf("%s: decoding errors %s: %v", mutation, raw, err)
		}
	}
	return res
}

// ok requires a successful payload: no errors and the object decoded into out.
func (r mutationResult) ok(t *testing.T, out any) {
	t.Helper()
	if len(r.errors) > 0 {
		t.Fatalf("unexpected payload errors: %v", r.errors)
	}
	if len(r.obj) == 0 || string(r.obj) == "null" {
		t.Fatalf("payload object is null: %s", r.resp.Data)
	}
	if out != nil {
		if err := json.Unmarshal(r.obj, out); err != nil {
			t.Fatalf("decoding %s: %v", r.obj, err)
		}
	}
}

// fails requires exactly one payload error of typename (and field, when not
// empty), and a null payload object.
func (r mutationResult) fails(t *testing.T, typename, field string) payloadError {
	t.Helper()
	if len(r.errors) != 1 {
		t.Fatalf("want one %s, got errors %v (data %s)", typename, r.errors, r.resp.Data)
	}
	got := r.errors[0]
	if got.Typename != typename {
		t.Fatalf("want %s, got %v", typename, got)
	}
	if got.Message == "" {
		t.Errorf("%s has an empty message", typename)
	}
	if field != "" && (got.Field == nil || *got.Field != field) {
		t.Fatalf("want %s on field %q, got %v", typename, field, got)
	}
	if len(r.obj) > 0 && string(r.obj) != "null" {
		t.Errorf("failed mutation still returned an object: %s", r.obj)
	}
	return got
}

func sp(s string) *string { return &s }
func ip(i int) *int       { return &i }

func decodeID(t *testing.T, id, typ string) int {
	t.Helper()
	n, err := gid.DecodeAs(id, typ)
	if err != nil {
		t.Fatalf("decoding %s ID %q: %v", typ, id, err)
	}
	return n
}

// counts are the rows of the catalog tables, to prove a failure changed nothing.
type counts struct{ events, categories, participants int }

func countRows(t *testing.T, e *graphtest.Env) counts {
	t.Helper()
	ctx := e.Ctx()
	var c counts
	var err error
	if c.events, err = e.Client.Event.Query().Count(ctx); err != nil {
		t.Fatal(err)
	}
	if c.categories, err = e.Client.TicketCategory.Query().Count(ctx); err != nil {
		t.Fatal(err)
	}
	if c.participants, err = e.Client.Participant.Query().Count(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

func diffJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// createEvent creates an event through the API and returns it.
func createEvent(t *testing.T, e *graphtest.Env, input map[string]any) eventOut {
	t.Helper()
	var ev eventOut
	mutate(t, e, "createEvent", "event", eventFields, input).ok(t, &ev)
	return ev
}

// simpleEvent is a valid createEvent input with one category.
func simpleEvent(title string, extra map[string]any) map[string]any {
	in := map[string]any{
		"title":    title,
		"startsAt": "2027-03-10T18:00:00Z",
		"endsAt":   "2027-03-10T22:00:00Z",
		"ticketCategories": []any{
			map[string]any{"name": "Standard", "price": "20.00", "taxRatePercent": "19", "capacity": 10},
		},
	}
	for k, v := range extra {
		in[k] = v
	}
	return in
}

func categoryByName(t *testing.T, cats []categoryOut, name string) categoryOut {
	t.Helper()
	for _, c := range cats {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no category %q in %+v", name, cats)
	return categoryOut{}
}

// checkTimestamps checks createdAt/updatedAt are UTC RFC 3339 with Z and recent.
func checkTimestamps(t *testing.T, createdAt, updatedAt string, since time.Time) {
	t.Helper()
	for name, s := range map[string]string{"createdAt": createdAt, "updatedAt": updatedAt} {
		if !strings.HasSuffix(s, "Z") {
			t.Errorf("%s %q is not UTC with Z", name, s)
		}
		ts, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Errorf("%s %q: %v", name, s, err)
			continue
		}
		if ts.Before(since.Add(-time.Second)) || ts.After(time.Now().Add(time.Second)) {
			t.Errorf("%s %s is not between %s and now", name, s, since)
		}
	}
}

// ---------------------------------------------------------------------------
// createEvent

func TestMutationCreateEvent(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		full := map[string]any{
			"title":                "  Jazz Night  ",
			"description":          "Live jazz",
			"startsAt":             "2026-06-01T20:00:00+02:00",
			"endsAt":               "2026-06-01T23:30:00+02:00",
			"timeZone":             "Europe/Berlin",
			"venue":                "Blue Note",
			"address":              "Main St 1, Berlin",
			"onlineUrl":            "https://example.com/live",
			"category":             "Music",
			"capacity":             100,
			"waitlistEnabled":      true,
			"registrationOpensAt":  "2026-05-01T00:00:00Z",
			"registrationClosesAt": "2026-06-01T12:00:00+02:00",
			"maxTicketsPerBooking": 4,
			"currency":             "eur",
			"cancellationPolicy": map[string]any{"rules": []any{
				map[string]any{"hoursBeforeStart": 168, "keepPercent": "0"},
				map[string]any{"hoursBeforeStart": 48, "keepPercent": "50", "fixedFee": "5"},
				map[string]any{"hoursBeforeStart": 0, "keepPercent": 100},
			}},
			"ticketCategories": []any{
				map[string]any{
					"name": "Standard", "price": "1234.5", "taxRatePercent": "19", "capacity": 80,
					"description":  "Seat in the hall",
					"salesStartAt": "2026-05-01T00:00:00Z", "salesEndAt": "2026-06-01T18:00:00+02:00",
				},
				map[string]any{"name": "Student", "price": "9.90", "taxRatePercent": "7.7"},
				map[string]any{"name": "Guest", "price": "0"},
			},
		}
		fullWant := eventOut{
			Title: "Jazz Night", Description: sp("Live jazz"), Status: "DRAFT", StatusLocalized: "Draft",
			StartsAt: "2026-06-01T18:00:00Z", EndsAt: sp("2026-06-01T21:30:00Z"), TimeZone: "Europe/Berlin",
			Venue: sp("Blue Note"), Address: sp("Main St 1, Berlin"), OnlineURL: sp("https://example.com/live"),
			Category: sp("Music"), Capacity: ip(100), WaitlistEnabled: true,
			RegistrationOpensAt: sp("2026-05-01T00:00:00Z"), RegistrationClosesAt: sp("2026-06-01T10:00:00Z"),
			MaxTicketsPerBooking: ip(4), Currency: "EUR", AvailableSeats: ip(100),
			CancellationPolicy: &policyOut{Rules: []ruleOut{
				{HoursBeforeStart: 168, KeepPercent: "0"},
				{HoursBeforeStart: 48, KeepPercent: "50", FixedFee: &moneyOut{"5.00", "EUR", "€5.00"}},
				{HoursBeforeStart: 0, KeepPercent: "100"},
			}},
			TicketCategories: []categoryOut{
				{
					Name: "Standard", Description: sp("Seat in the hall"), Price: moneyOut{"1234.50", "EUR", "€1,234.50"},
					TaxRatePercent: "19", Capacity: ip(80), AvailableSeats: ip(80),
					SalesStartAt: sp("2026-05-01T00:00:00Z"), SalesEndAt: sp("2026-06-01T16:00:00Z"),
				},
				{Name: "Student", Price: moneyOut{"9.90", "EUR", "€9.90"}, TaxRatePercent: "7.7", AvailableSeats: ip(100)},
				{Name: "Guest", Price: moneyOut{"0.00", "EUR", "€0.00"}, TaxRatePercent: "0", AvailableSeats: ip(100)},
			},
		}

		published := simpleEvent("Published at once", map[string]any{"publish": true})
		publishedWant := eventOut{
			Title: "Published at once", Status: "PUBLISHED", StatusLocalized: "Published",
			StartsAt: "2027-03-10T18:00:00Z", EndsAt: sp("2027-03-10T22:00:00Z"), TimeZone: "UTC",
			Currency: "EUR", CancellationPolicy: &policyOut{Rules: []ruleOut{}},
			TicketCategories: []categoryOut{{
				Name: "Standard", Price: moneyOut{"20.00", "EUR", "€20.00"}, TaxRatePercent: "19",
				Capacity: ip(10), AvailableSeats: ip(10),
			}},
		}

		tests := []struct {
			name  string
			input map[string]any
			want  eventOut
		}{
			{"all fields, categories and policy inline", full, fullWant},
			{"publish true", published, publishedWant},
			{
				"defaults: UTC, EUR, draft, unlimited, no categories",
				map[string]any{"title": "Bare", "startsAt": "2027-01-01T10:00:00Z"},
				eventOut{
					Title: "Bare", Status: "DRAFT", StatusLocalized: "Draft", StartsAt: "2027-01-01T10:00:00Z",
					TimeZone: "UTC", Currency: "EUR", CancellationPolicy: &policyOut{Rules: []ruleOut{}},
					TicketCategories: []categoryOut{},
				},
			},
			{
				"publish false is a draft; JPY amounts have no minor digits",
				map[string]any{
					"title": "Tokyo", "startsAt": "2027-01-01T10:00:00+09:00", "currency": "JPY", "publish": false,
					"timeZone": "Asia/Tokyo", "capacity": 0,
					"ticketCategories": []any{map[string]any{"name": "A", "price": "1200", "taxRatePercent": "10"}},
				},
				eventOut{
					Title: "Tokyo", Status: "DRAFT", StatusLocalized: "Draft", StartsAt: "2027-01-01T01:00:00Z",
					TimeZone: "Asia/Tokyo", Currency: "JPY", Capacity: ip(0), AvailableSeats: ip(0),
					CancellationPolicy: &policyOut{Rules: []ruleOut{}},
					TicketCategories: []categoryOut{{
						Name: "A", Price: moneyOut{"1200", "JPY", "¥1,200"}, TaxRatePercent: "10", AvailableSeats: ip(0),
					}},
				},
			},
			{
				"decimal as a JSON number",
				map[string]any{
					"title": "Numbers", "startsAt": "2027-01-01T10:00:00Z", "currency": "USD",
					"ticketCategories": []any{map[string]any{"name": "A", "price": 19.9, "taxRatePercent": 7}},
				},
				eventOut{
					Title: "Numbers", Status: "DRAFT", StatusLocalized: "Draft", StartsAt: "2027-01-01T10:00:00Z",
					TimeZone: "UTC", Currency: "USD", CancellationPolicy: &policyOut{Rules: []ruleOut{}},
					TicketCategories: []categoryOut{{Name: "A", Price: moneyOut{"19.90", "USD", "$19.90"}, TaxRatePercent: "7"}},
				},
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := time.Now()
				got := createEvent(t, e, tt.input)
				id := decodeID(t, got.ID, "Event")
				checkTimestamps(t, got.CreatedAt, got.UpdatedAt, before)
				got.ID, got.CreatedAt, got.UpdatedAt = "", "", ""
				if got.CancellationPolicy != nil && got.CancellationPolicy.Rules == nil {
					got.CancellationPolicy.Rules = []ruleOut{}
				}
				for i := range got.TicketCategories {
					c := &got.TicketCategories[i]
					decodeID(t, c.ID, "TicketCategory")
					if c.Event.ID != gid.Encode(id) {
						t.Errorf("category %s belongs to %s, want %s", c.Name, c.Event.ID, gid.Encode(id))
					}
					c.ID, c.Event = "", idOut{}
				}
				// Categories are compared by name: the contract does not fix their order.
				want := tt.want
				if len(got.TicketCategories) == len(want.TicketCategories) {
					sorted := make([]categoryOut, 0, len(got.TicketCategories))
					for _, w := range want.TicketCategories {
						sorted = append(sorted, categoryByName(t, got.TicketCategories, w.Name))
					}
					got.TicketCategories = sorted
				}
				diffJSON(t, "event", got, want)

				// The same event read back through node(id:).
				var back struct{ Node *eventOut }
				e.Query(t, `query($id: ID!) { node(id: $id) { ... on Event { `+eventFields+` } } }`,
					map[string]any{"id": gid.Encode(id)}, &back)
				if back.Node == nil || back.Node.Title != tt.want.Title || back.Node.Status != tt.want.Status {
					t.Errorf("node(id:) gives %+v", back.Node)
				}
			})
		}
	})
}

func TestMutationCreateEventValidation(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		cat := func(m map[string]any) map[string]any {
			c := map[string]any{"name": "Standard", "price": "10.00"}
			for k, v := range m {
				c[k] = v
			}
			return c
		}
		rules := func(r ...map[string]any) map[string]any {
			list := make([]any, len(r))
			for i := range r {
				list[i] = r[i]
			}
			return map[string]any{"rules": list}
		}
		tests := []struct {
			name  string
			extra map[string]any
			field string
		}{
			{"empty title", map[string]any{"title": ""}, "title"},
			{"blank title", map[string]any{"title": "   "}, "title"},
			{"title too long", map[string]any{"title": strings.Repeat("x", 201)}, "title"},
			{"endsAt before startsAt", map[string]any{"endsAt": "2027-03-10T17:59:59Z"}, "endsAt"},
			{"endsAt before startsAt across offsets", map[string]any{"startsAt": "2027-03-10T18:00:00-01:00", "endsAt": "2027-03-10T18:30:00Z"}, "endsAt"},
			{"unknown time zone", map[string]any{"timeZone": "Mars/Olympus_Mons"}, "timeZone"},
			{"empty time zone", map[string]any{"timeZone": ""}, "timeZone"},
			{"Local is not an IANA zone", map[string]any{"timeZone": "Local"}, "timeZone"},
			{"unknown currency", map[string]any{"currency": "EURO"}, "currency"},
			{"not a currency", map[string]any{"currency": "XYZ"}, "currency"},
			{"EUR price with 3 decimals", map[string]any{"ticketCategories": []any{cat(map[string]any{"price": "19.999"})}}, "ticketCategories.0.price"},
			{"EUR price with 3 decimals as a JSON number", map[string]any{"ticketCategories": []any{cat(map[string]any{"price": 19.999})}}, "ticketCategories.0.price"},
			{"second category's price", map[string]any{"ticketCategories": []any{cat(nil), cat(map[string]any{"price": "1.001"})}}, "ticketCategories.1.price"},
			{"JPY price with decimals", map[string]any{"currency": "JPY", "ticketCategories": []any{cat(map[string]any{"price": "12.5"})}}, "ticketCategories.0.price"},
			{"negative price", map[string]any{"ticketCategories": []any{cat(map[string]any{"price": "-1"})}}, "ticketCategories.0.price"},
			{"empty category name", map[string]any{"ticketCategories": []any{cat(map[string]any{"name": " "})}}, "ticketCategories.0.name"},
			{"tax rate above 100", map[string]any{"ticketCategories": []any{cat(map[string]any{"taxRatePercent": "100.01"})}}, "ticketCategories.0.taxRatePercent"},
			{"tax rate with 3 decimals", map[string]any{"ticketCategories": []any{cat(map[string]any{"taxRatePercent": "7.777"})}}, "ticketCategories.0.taxRatePercent"},
			{"negative tax rate", map[string]any{"ticketCategories": []any{cat(map[string]any{"taxRatePercent": "-7"})}}, "ticketCategories.0.taxRatePercent"},
			{"negative category capacity", map[string]any{"ticketCategories": []any{cat(map[string]any{"capacity": -1})}}, "ticketCategories.0.capacity"},
			{"sales end before sales start", map[string]any{"ticketCategories": []any{cat(map[string]any{"salesStartAt": "2027-02-01T00:00:00Z", "salesEndAt": "2027-01-01T00:00:00Z"})}}, "ticketCategories.0.salesEndAt"},
			{"negative capacity", map[string]any{"capacity": -1}, "capacity"},
			{"maxTicketsPerBooking 0", map[string]any{"maxTicketsPerBooking": 0}, "maxTicketsPerBooking"},
			{"registration closes before it opens", map[string]any{"registrationOpensAt": "2027-02-01T00:00:00Z", "registrationClosesAt": "2027-01-01T00:00:00Z"}, "registrationClosesAt"},
			{"keepPercent 150", map[string]any{"cancellationPolicy": rules(map[string]any{"hoursBeforeStart": 24, "keepPercent": "150"})}, "cancellationPolicy.rules.0.keepPercent"},
			{"second rule's keepPercent", map[string]any{"cancellationPolicy": rules(map[string]any{"hoursBeforeStart": 48, "keepPercent": "10"}, map[string]any{"hoursBeforeStart": 24, "keepPercent": "-1"})}, "cancellationPolicy.rules.1.keepPercent"},
			{"keepPercent with 3 decimals", map[string]any{"cancellationPolicy": rules(map[string]any{"hoursBeforeStart": 24, "keepPercent": "33.333"})}, "cancellationPolicy.rules.0.keepPercent"},
			{"fixedFee with 3 decimals", map[string]any{"cancellationPolicy": rules(map[string]any{"hoursBeforeStart": 24, "keepPercent": "0", "fixedFee": "1.001"})}, "cancellationPolicy.rules.0.fixedFee"},
			{"negative fixedFee", map[string]any{"cancellationPolicy": rules(map[string]any{"hoursBeforeStart": 24, "keepPercent": "0", "fixedFee": "-5"})}, "cancellationPolicy.rules.0.fixedFee"},
			{"two rules with the same hours", map[string]any{"cancellationPolicy": rules(map[string]any{"hoursBeforeStart": 24, "keepPercent": "0"}, map[string]any{"hoursBeforeStart": 24, "keepPercent": "50"})}, "cancellationPolicy.rules.1.hoursBeforeStart"},
			{"publish without categories", map[string]any{"publish": true, "ticketCategories": []any{}}, "ticketCategories"},
			{"publish with categories omitted", map[string]any{"publish": true, "ticketCategories": nil}, "ticketCategories"},
			{"onlineUrl without scheme", map[string]any{"onlineUrl": "example.com/live"}, "onlineUrl"},
			{"onlineUrl ftp", map[string]any{"onlineUrl": "ftp://example.com/x"}, "onlineUrl"},
			{"onlineUrl no host", map[string]any{"onlineUrl": "https://"}, "onlineUrl"},
			{"onlineUrl javascript", map[string]any{"onlineUrl": "javascript:alert(1)"}, "onlineUrl"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := countRows(t, e)
				in := simpleEvent("Validation", tt.extra)
				for k, v := range tt.extra {
					if v == nil {
						delete(in, k)
					}
				}
				r := mutate(t, e, "createEvent", "event", "id", in)
				r.fails(t, "ValidationError", tt.field)
				if after := countRows(t, e); after != before {
					t.Errorf("a failed createEvent changed the rows: %+v -> %+v", before, after)
				}
				var list struct{ Events struct{ TotalCount int } }
				e.Query(t, `{ events { totalCount } }`, nil, &list)
				if list.Events.TotalCount != before.events {
					t.Errorf("events totalCount %d, want %d", list.Events.TotalCount, before.events)
				}
			})
		}

		// Input that cannot even be decoded is a top-level BAD_USER_INPUT.
		bad := []struct {
			name  string
			extra map[string]any
		}{
			{"decimal that is not a number", map[string]any{"ticketCategories": []any{cat(map[string]any{"price": "ten"})}}},
			{"DateTime without offset", map[string]any{"startsAt": "2027-03-10T18:00:00"}},
			{"DateTime that is not a date", map[string]any{"startsAt": "tomorrow"}},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				before := countRows(t, e)
				r := mutateRaw(t, e, "createEvent", "event", "id", simpleEvent("Bad input", tt.extra))
				if got := r.resp.Codes(); len(got) == 0 || got[0] != "BAD_USER_INPUT" {
					t.Fatalf("codes %v, want BAD_USER_INPUT (data %s)", got, r.resp.Data)
				}
				if after := countRows(t, e); after != before {
					t.Errorf("rows changed: %+v -> %+v", before, after)
				}
			})
		}
	})
}

// ---------------------------------------------------------------------------
// updateEvent

func TestMutationUpdateEvent(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		newEvent := func(t *testing.T) eventOut {
			return createEvent(t, e, map[string]any{
				"title": "Original", "description": "Desc", "startsAt": "2027-05-01T18:00:00Z",
				"endsAt": "2027-05-01T22:00:00Z", "timeZone": "Europe/Berlin", "venue": "Hall",
				"address": "Street 1", "onlineUrl": "https://example.com/x", "category": "Talk",
				"capacity": 50, "waitlistEnabled": true, "registrationOpensAt": "2027-04-01T00:00:00Z",
				"registrationClosesAt": "2027-05-01T12:00:00Z", "maxTicketsPerBooking": 5,
				"cancellationPolicy": map[string]any{"rules": []any{map[string]any{"hoursBeforeStart": 24, "keepPercent": "100"}}},
				"ticketCategories":   []any{map[string]any{"name": "Standard", "price": "10.00", "taxRatePercent": "19"}},
			})
		}
		tests := []struct {
			name  string
			input map[string]any
			check func(t *testing.T, before, got eventOut)
		}{
			{
				"set fields",
				map[string]any{
					"title": "Renamed", "description": "New", "startsAt": "2027-05-02T18:00:00+02:00",
					"endsAt": "2027-05-02T23:00:00+02:00", "timeZone": "America/New_York", "venue": "Club",
					"capacity": 60, "waitlistEnabled": false, "maxTicketsPerBooking": 2,
					"onlineUrl": "https://example.org/y", "currency": "usd",
					"cancellationPolicy": map[string]any{"rules": []any{map[string]any{"hoursBeforeStart": 12, "keepPercent": "25.5", "fixedFee": "2.5"}}},
				},
				func(t *testing.T, before, got eventOut) {
					want := before
					want.UpdatedAt = got.UpdatedAt
					want.Title, want.Description = "Renamed", sp("New")
					want.StartsAt, want.EndsAt = "2027-05-02T16:00:00Z", sp("2027-05-02T21:00:00Z")
					want.TimeZone, want.Venue, want.Capacity, want.AvailableSeats = "America/New_York", sp("Club"), ip(60), ip(60)
					want.WaitlistEnabled, want.MaxTicketsPerBooking = false, ip(2)
					want.OnlineURL, want.Currency = sp("https://example.org/y"), "USD"
					want.CancellationPolicy = &policyOut{Rules: []ruleOut{{12, "25.5", &moneyOut{"2.50", "USD", "$2.50"}}}}
					want.TicketCategories = append([]categoryOut(nil), before.TicketCategories...)
					want.TicketCategories[0].Price = moneyOut{"10.00", "USD", "$10.00"}
					want.TicketCategories[0].AvailableSeats = ip(60)
					diffJSON(t, "updated event", got, want)
				},
			},
			{
				"clear nullable fields with explicit null",
				map[string]any{
					"description": nil, "endsAt": nil, "venue": nil, "address": nil, "onlineUrl": nil,
					"category": nil, "capacity": nil, "registrationOpensAt": nil, "registrationClosesAt": nil,
					"maxTicketsPerBooking": nil, "cancellationPolicy": nil,
				},
				func(t *testing.T, before, got eventOut) {
					want := before
					want.UpdatedAt = got.UpdatedAt
					want.Description, want.EndsAt, want.Venue, want.Address, want.OnlineURL = nil, nil, nil, nil, nil
					want.Category, want.Capacity, want.AvailableSeats = nil, nil, nil
					want.RegistrationOpensAt, want.RegistrationClosesAt, want.MaxTicketsPerBooking = nil, nil, nil
					want.TicketCategories = append([]categoryOut(nil), before.TicketCategories...)
					want.TicketCategories[0].AvailableSeats = nil
					if got.CancellationPolicy != nil && len(got.CancellationPolicy.Rules) != 0 {
						t.Errorf("cancellationPolicy not cleared: %+v", got.CancellationPolicy)
					}
					want.CancellationPolicy = got.CancellationPolicy
					diffJSON(t, "cleared event", got, want)
				},
			},
			{
				"empty text clears too",
				map[string]any{"description": "", "venue": "  "},
				func(t *testing.T, before, got eventOut) {
					if got.Description != nil || got.Venue != nil {
						t.Errorf("description %v, venue %v; want both null", got.Description, got.Venue)
					}
				},
			},
			{
				"omitted fields stay; null for a non-null field changes nothing",
				map[string]any{"title": nil, "startsAt": nil, "waitlistEnabled": nil, "currency": nil},
				func(t *testing.T, before, got eventOut) {
					before.UpdatedAt = got.UpdatedAt
					diffJSON(t, "unchanged event", got, before)
				},
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := newEvent(t)
				in := map[string]any{"id": before.ID}
				for k, v := range tt.input {
					in[k] = v
				}
				var got eventOut
				mutate(t, e, "updateEvent", "event", eventFields, in).ok(t, &got)
				if got.ID != before.ID || got.CreatedAt != before.CreatedAt {
					t.Fatalf("updated a different event: %s", got.ID)
				}
				if got.UpdatedAt < before.UpdatedAt {
					t.Errorf("updatedAt went back: %s -> %s", before.UpdatedAt, got.UpdatedAt)
				}
				tt.check(t, before, got)
			})
		}

		failures := []struct {
			name     string
			prepare  func(t *testing.T, ev eventOut)
			input    func(ev eventOut) map[string]any
			typename string
			field    string
		}{
			{
				"capacity below the seats held",
				func(t *testing.T, ev eventOut) {
					e.Client.Event.UpdateOneID(decodeID(t, ev.ID, "Event")).SetRegisteredCount(30).ExecX(e.Ctx())
				},
				func(ev eventOut) map[string]any { return map[string]any{"capacity": 29, "title": "Not saved"} },
				"ValidationError", "capacity",
			},
			{
				"negative capacity",
				nil,
				func(ev eventOut) map[string]any { return map[string]any{"capacity": -1} },
				"ValidationError", "capacity",
			},
			{
				"currency change with tickets",
				func(t *testing.T, ev eventOut) {
					addTicket(t, e, decodeID(t, ev.ID, "Event"), decodeID(t, ev.TicketCategories[0].ID, "TicketCategory"))
				},
				func(ev eventOut) map[string]any { return map[string]any{"currency": "USD", "title": "Not saved"} },
				"ValidationError", "currency",
			},
			{
				"bad currency",
				nil,
				func(ev eventOut) map[string]any { return map[string]any{"currency": "DOLLAR"} },
				"ValidationError", "currency",
			},
			{
				"empty title",
				nil,
				func(ev eventOut) map[string]any { return map[string]any{"title": " "} },
				"ValidationError", "title",
			},
			{
				"new start after the end",
				nil,
				func(ev eventOut) map[string]any {
					return map[string]any{"startsAt": "2027-05-02T00:00:00Z", "title": "Not saved"}
				},
				"ValidationError", "endsAt",
			},
			{
				"bad time zone",
				nil,
				func(ev eventOut) map[string]any {
					return map[string]any{"timeZone": "Europe/Atlantis", "title": "Not saved"}
				},
				"ValidationError", "timeZone",
			},
			{
				"bad onlineUrl",
				nil,
				func(ev eventOut) map[string]any { return map[string]any{"onlineUrl": "mailto:x@example.com"} },
				"ValidationError", "onlineUrl",
			},
			{
				"registration closes before it opens",
				nil,
				func(ev eventOut) map[string]any {
					return map[string]any{"registrationClosesAt": "2027-03-01T00:00:00Z"}
				},
				"ValidationError", "registrationClosesAt",
			},
			{
				"policy keepPercent 150",
				nil,
				func(ev eventOut) map[string]any {
					return map[string]any{"cancellationPolicy": map[string]any{"rules": []any{map[string]any{"hoursBeforeStart": 1, "keepPercent": "150"}}}}
				},
				"ValidationError", "cancellationPolicy.rules.0.keepPercent",
			},
			{
				"maxTicketsPerBooking 0",
				nil,
				func(ev eventOut) map[string]any { return map[string]any{"maxTicketsPerBooking": 0} },
				"ValidationError", "maxTicketsPerBooking",
			},
			{
				"unknown event id",
				nil,
				func(ev eventOut) map[string]any {
					return map[string]any{"id": gid.Encode(2<<32 | 999999), "title": "x"}
				},
				"NotFoundError", "",
			},
			{
				"id of a ticket category",
				nil,
				func(ev eventOut) map[string]any {
					return map[string]any{"id": ev.TicketCategories[0].ID, "title": "x"}
				},
				"NotFoundError", "",
			},
		}
		for _, tt := range failures {
			t.Run(tt.name, func(t *testing.T) {
				ev := newEvent(t)
				if tt.prepare != nil {
					tt.prepare(t, ev)
				}
				var before struct{ Node eventOut }
				e.Query(t, `query($id: ID!) { node(id: $id) { ... on Event { `+eventFields+` } } }`, map[string]any{"id": ev.ID}, &before)
				rows := countRows(t, e)
				in := map[string]any{"id": ev.ID}
				for k, v := range tt.input(ev) {
					in[k] = v
				}
				got := mutate(t, e, "updateEvent", "event", "id", in).fails(t, tt.typename, tt.field)
				if tt.typename == "NotFoundError" && (got.ID == nil || *got.ID != in["id"]) {
					t.Errorf("NotFoundError.id = %v, want %v", got.ID, in["id"])
				}
				var after struct{ Node eventOut }
				e.Query(t, `query($id: ID!) { node(id: $id) { ... on Event { `+eventFields+` } } }`, map[string]any{"id": ev.ID}, &after)
				diffJSON(t, "event after a failed update", after.Node, before.Node)
				if r := countRows(t, e); r != rows {
					t.Errorf("rows changed: %+v -> %+v", rows, r)
				}
			})
		}

		t.Run("capacity equal to the seats held", func(t *testing.T) {
			ev := newEvent(t)
			e.Client.Event.UpdateOneID(decodeID(t, ev.ID, "Event")).SetRegisteredCount(30).ExecX(e.Ctx())
			var got eventOut
			mutate(t, e, "updateEvent", "event", eventFields, map[string]any{"id": ev.ID, "capacity": 30}).ok(t, &got)
			if got.Capacity == nil || *got.Capacity != 30 || got.RegisteredCount != 30 || got.AvailableSeats == nil || *got.AvailableSeats != 0 {
				t.Errorf("capacity %v registered %d available %v", got.Capacity, got.RegisteredCount, got.AvailableSeats)
			}
		})
		t.Run("the same currency with tickets is no change", func(t *testing.T) {
			ev := newEvent(t)
			addTicket(t, e, decodeID(t, ev.ID, "Event"), decodeID(t, ev.TicketCategories[0].ID, "TicketCategory"))
			for _, cur := range []string{"EUR", "eur", " Eur "} {
				var got eventOut
				mutate(t, e, "updateEvent", "event", eventFields, map[string]any{"id": ev.ID, "currency": cur}).ok(t, &got)
				if got.Currency != "EUR" || got.TicketCategories[0].Price.Currency != "EUR" {
					t.Errorf("currency %q: event %s, price %+v", cur, got.Currency, got.TicketCategories[0].Price)
				}
			}
		})
		t.Run("currency change keeps the prices' amounts", func(t *testing.T) {
			ev := createEvent(t, e, map[string]any{
				"title": "Rescale", "startsAt": "2027-05-01T18:00:00Z",
				"cancellationPolicy": map[string]any{"rules": []any{map[string]any{"hoursBeforeStart": 24, "keepPercent": "10", "fixedFee": "5"}}},
				"ticketCategories":   []any{map[string]any{"name": "A", "price": "20.00"}},
			})
			var got eventOut
			mutate(t, e, "updateEvent", "event", eventFields, map[string]any{"id": ev.ID, "currency": "JPY"}).ok(t, &got)
			if p := got.TicketCategories[0].Price; p != (moneyOut{"20", "JPY", "¥20"}) {
				t.Errorf("category price after EUR -> JPY: %+v, want 20 JPY", p)
			}
			if r := got.CancellationPolicy.Rules; len(r) != 1 || r[0].FixedFee == nil || r[0].FixedFee.Amount != "5" {
				t.Errorf("policy after EUR -> JPY: %+v, want a fee of 5 JPY", r)
			}
			// 19.90 cannot be written in JPY: refused, nothing changed.
			ev2 := createEvent(t, e, map[string]any{
				"title": "No rescale", "startsAt": "2027-05-01T18:00:00Z",
				"ticketCategories": []any{map[string]any{"name": "A", "price": "19.90"}},
			})
			mutate(t, e, "updateEvent", "event", "id", map[string]any{"id": ev2.ID, "currency": "JPY"}).fails(t, "ValidationError", "currency")
			var after struct{ Node eventOut }
			e.Query(t, `query($id: ID!) { node(id: $id) { ... on Event { `+eventFields+` } } }`, map[string]any{"id": ev2.ID}, &after)
			if after.Node.Currency != "EUR" || after.Node.TicketCategories[0].Price.Amount != "19.90" {
				t.Errorf("after a refused currency change: %s %+v", after.Node.Currency, after.Node.TicketCategories[0].Price)
			}
		})
	})
}

// ---------------------------------------------------------------------------
// publishEvent, cancelEvent, duplicateEvent, deleteEvent

func TestMutationEventLifecycle(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		const sel = "id status statusLocalized cancelledAt cancellationReason"
		type state struct {
			ID                 string  `json:"id"`
			Status             string  `json:"status"`
			StatusLocalized    string  `json:"statusLocalized"`
			CancelledAt        *string `json:"cancelledAt"`
			CancellationReason *string `json:"cancellationReason"`
		}
		unknown := gid.Encode(2<<32 | 987654)

		t.Run("publishEvent", func(t *testing.T) {
			tests := []struct {
				name     string
				setup    func(t *testing.T) string
				status   string
				typename string
			}{
				{"draft becomes published", func(t *testing.T) string { return createEvent(t, e, simpleEvent("P1", nil)).ID }, "PUBLISHED", ""},
				{"published stays published", func(t *testing.T) string {
					return createEvent(t, e, simpleEvent("P2", map[string]any{"publish": true})).ID
				}, "PUBLISHED", ""},
				{"cancelled cannot be published", func(t *testing.T) string {
					id := createEvent(t, e, simpleEvent("P3", nil)).ID
					mutate(t, e, "cancelEvent", "event", "id", map[string]any{"id": id}).ok(t, nil)
					return id
				}, "CANCELLED", "InvalidStateError"},
				{"no categories cannot be published", func(t *testing.T) string {
					return createEvent(t, e, map[string]any{"title": "P4", "startsAt": "2027-01-01T00:00:00Z"}).ID
				}, "DRAFT", "InvalidStateError"},
				{"unknown id", func(t *testing.T) string { return unknown }, "", "NotFoundError"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					id := tt.setup(t)
					r := mutate(t, e, "publishEvent", "event", sel, map[string]any{"id": id})
					if tt.typename != "" {
						r.fails(t, tt.typename, "")
					} else {
						var got state
						r.ok(t, &got)
						if got.ID != id || got.Status != tt.status || got.StatusLocalized != "Published" {
							t.Errorf("got %+v", got)
						}
					}
					if tt.status != "" {
						var back struct{ Node state }
						e.Query(t, `query($id: ID!) { node(id: $id) { ... on Event { `+sel+` } } }`, map[string]any{"id": id}, &back)
						if back.Node.Status != tt.status {
							t.Errorf("status after publishEvent %s, want %s", back.Node.Status, tt.status)
						}
					}
				})
			}
		})

		t.Run("cancelEvent", func(t *testing.T) {
			draft := createEvent(t, e, simpleEvent("C1", nil))
			published := createEvent(t, e, simpleEvent("C2", map[string]any{"publish": true}))
			tests := []struct {
				name     string
				input    map[string]any
				reason   *string
				typename string
			}{
				{"published with a reason", map[string]any{"id": published.ID, "reason": "  Artist ill  "}, sp("Artist ill"), ""},
				{"draft without a reason", map[string]any{"id": draft.ID}, nil, ""},
				{"twice", map[string]any{"id": published.ID, "reason": "again"}, nil, "InvalidStateError"},
				{"unknown id", map[string]any{"id": unknown}, nil, "NotFoundError"},
				{"id of a category", map[string]any{"id": draft.TicketCategories[0].ID}, nil, "NotFoundError"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					before := time.Now().UTC()
					r := mutate(t, e, "cancelEvent", "event", sel, tt.input)
					if tt.typename != "" {
						r.fails(t, tt.typename, "")
						return
					}
					var got state
					r.ok(t, &got)
					if got.Status != "CANCELLED" || got.StatusLocalized != "Cancelled" {
						t.Errorf("status %s / %s", got.Status, got.StatusLocalized)
					}
					if !reflect.DeepEqual(got.CancellationReason, tt.reason) {
						t.Errorf("reason %v, want %v", got.CancellationReason, tt.reason)
					}
					if got.CancelledAt == nil {
						t.Fatal("cancelledAt is null")
					}
					at, err := time.Parse(time.RFC3339Nano, *got.CancelledAt)
					if err != nil || !strings.HasSuffix(*got.CancelledAt, "Z") || at.Before(before.Add(-time.Second)) || at.After(time.Now().Add(time.Second)) {
						t.Errorf("cancelledAt %s (%v), want now in UTC", *got.CancelledAt, err)
					}
				})
			}
			// The failed second cancel kept the first reason.
			var back struct{ Node state }
			e.Query(t, `query($id: ID!) { node(id: $id) { ... on Event { `+sel+` } } }`, map[string]any{"id": published.ID}, &back)
			if back.Node.CancellationReason == nil || *back.Node.CancellationReason != "Artist ill" {
				t.Errorf("reason after the second cancel: %v", back.Node.CancellationReason)
			}
		})

		t.Run("duplicateEvent", func(t *testing.T) {
			orig := createEvent(t, e, map[string]any{
				"title": "Original", "startsAt": "2027-05-01T18:00:00Z", "endsAt": "2027-05-01T21:00:00Z",
				"registrationOpensAt": "2027-04-01T00:00:00Z", "registrationClosesAt": "2027-05-01T12:00:00Z",
				"capacity": 40, "timeZone": "Europe/Berlin", "venue": "Hall", "publish": true, "currency": "CHF",
				"cancellationPolicy": map[string]any{"rules": []any{map[string]any{"hoursBeforeStart": 24, "keepPercent": "50"}}},
				"ticketCategories": []any{
					map[string]any{"name": "Standard", "price": "30.00", "taxRatePercent": "8.1", "capacity": 30,
						"salesStartAt": "2027-04-01T00:00:00Z", "salesEndAt": "2027-05-01T18:00:00Z"},
					map[string]any{"name": "Student", "price": "15.00"},
				},
			})
			e.Client.TicketCategory.UpdateOneID(decodeID(t, categoryByName(t, orig.TicketCategories, "Standard").ID, "TicketCategory")).
				SetSoldCount(3).ExecX(e.Ctx())
			e.Client.Event.UpdateOneID(decodeID(t, orig.ID, "Event")).SetRegisteredCount(3).ExecX(e.Ctx())

			var cp eventOut
			mutate(t, e, "duplicateEvent", "event", eventFields, map[string]any{"id": orig.ID, "startsAt": "2027-06-08T20:00:00+02:00"}).ok(t, &cp)
			if cp.ID == orig.ID {
				t.Fatal("the copy has the original's id")
			}
			decodeID(t, cp.ID, "Event")
			want := orig
			want.ID, want.CreatedAt, want.UpdatedAt = cp.ID, cp.CreatedAt, cp.UpdatedAt
			want.Status, want.StatusLocalized = "DRAFT", "Draft"
			// Moved by 38 days: 2027-05-01T18:00Z -> 2027-06-08T18:00Z.
			want.StartsAt, want.EndsAt = "2027-06-08T18:00:00Z", sp("2027-06-08T21:00:00Z")
			want.RegistrationOpensAt, want.RegistrationClosesAt = sp("2027-05-09T00:00:00Z"), sp("2027-06-08T12:00:00Z")
			want.TicketCategories = nil
			for _, name := range []string{"Standard", "Student"} {
				c := categoryByName(t, orig.TicketCategories, name)
				got := categoryByName(t, cp.TicketCategories, name)
				if got.ID == c.ID || got.Event.ID != cp.ID {
					t.Errorf("copied category %s: id %s event %s", name, got.ID, got.Event.ID)
				}
				c.ID, c.Event = got.ID, got.Event
				if name == "Standard" {
					c.SalesStartAt, c.SalesEndAt = sp("2027-05-09T00:00:00Z"), sp("2027-06-08T18:00:00Z")
				}
				want.TicketCategories = append(want.TicketCategories, c)
			}
			gotCats := []categoryOut{categoryByName(t, cp.TicketCategories, "Standard"), categoryByName(t, cp.TicketCategories, "Student")}
			cp.TicketCategories = gotCats
			if len(cp.TicketCategories) != 2 {
				t.Errorf("copy has %d categories", len(cp.TicketCategories))
			}
			diffJSON(t, "copy", cp, want)

			// The original is untouched and still holds its sold seats.
			var back struct{ Node eventOut }
			e.Query(t, `query($id: ID!) { node(id: $id) { ... on Event { `+eventFields+` } } }`, map[string]any{"id": orig.ID}, &back)
			if back.Node.Status != "PUBLISHED" || back.Node.StartsAt != orig.StartsAt || back.Node.RegisteredCount != 3 ||
				categoryByName(t, back.Node.TicketCategories, "Standard").SoldCount != 3 {
				t.Errorf("original changed: %+v", back.Node)
			}

			mutate(t, e, "duplicateEvent", "event", "id", map[string]any{"id": unknown, "startsAt": "2027-06-08T20:00:00Z"}).fails(t, "NotFoundError", "")
		})

		t.Run("deleteEvent", func(t *testing.T) {
			deleteEvent := func(t *testing.T, id string) mutationResult {
				return mutate(t, e, "deleteEvent", "deletedId", "", map[string]any{"id": id})
			}
			t.Run("deletes the event and its categories", func(t *testing.T) {
				ev := createEvent(t, e, simpleEvent("Delete me", nil))
				r := deleteEvent(t, ev.ID)
				if len(r.errors) != 0 || string(r.obj) != fmt.Sprintf("%q", ev.ID) {
					t.Fatalf("deletedId %s, errors %v; want %s", r.obj, r.errors, ev.ID)
				}
				var back struct{ Event, Category *struct{ ID string } }
				e.Query(t, `query($e: ID!, $c: ID!) { event: node(id: $e) { id } category: node(id: $c) { id } }`,
					map[string]any{"e": ev.ID, "c": ev.TicketCategories[0].ID}, &back)
				if back.Event != nil || back.Category != nil {
					t.Errorf("still there after deleteEvent: %+v", back)
				}
				// A second delete does not find it.
				deleteEvent(t, ev.ID).fails(t, "NotFoundError", "")
			})
			tests := []struct {
				name     string
				setup    func(t *testing.T) string
				typename string
			}{
				{"with a ticket", func(t *testing.T) string {
					ev := createEvent(t, e, simpleEvent("Booked", map[string]any{"publish": true}))
					addTicket(t, e, decodeID(t, ev.ID, "Event"), decodeID(t, ev.TicketCategories[0].ID, "TicketCategory"))
					return ev.ID
				}, "InvalidStateError"},
				{"with a registration", func(t *testing.T) string {
					ev := createEvent(t, e, simpleEvent("Registered", map[string]any{"publish": true}))
					p := addParticipant(t, e, "reg-only@example.com")
					e.Client.Registration.Create().SetTenantID(e.Tenant).SetEventID(decodeID(t, ev.ID, "Event")).
						SetParticipantID(p.ID).SetStatus(domain.RegistrationStatusAccepted).SaveX(e.Ctx())
					return ev.ID
				}, "InvalidStateError"},
				{"unknown id", func(t *testing.T) string { return unknown }, "NotFoundError"},
				{"id of a participant", func(t *testing.T) string {
					return gid.Encode(addParticipant(t, e, "not-an-event@example.com").ID)
				}, "NotFoundError"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					id := tt.setup(t)
					rows := countRows(t, e)
					r := deleteEvent(t, id)
					r.fails(t, tt.typename, "")
					if after := countRows(t, e); after != rows {
						t.Errorf("rows changed: %+v -> %+v", rows, after)
					}
				})
			}
		})
	})
}

// ---------------------------------------------------------------------------
// createTicketCategory, updateTicketCategory

func TestMutationTicketCategory(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := createEvent(t, e, simpleEvent("Categories", map[string]any{"currency": "GBP", "capacity": 100}))
		evID := ev.ID

		t.Run("create", func(t *testing.T) {
			tests := []struct {
				name     string
				input    map[string]any
				want     *categoryOut
				typename string
				field    string
			}{
				{
					"all fields, in the event's currency",
					map[string]any{
						"eventId": evID, "name": " VIP ", "price": "99.5", "taxRatePercent": "20", "capacity": 5,
						"description": "Front row", "salesStartAt": "2027-01-01T00:00:00+01:00", "salesEndAt": "2027-03-01T00:00:00Z",
					},
					&categoryOut{
						Name: "VIP", Description: sp("Front row"), Price: moneyOut{"99.50", "GBP", "£99.50"}, TaxRatePercent: "20",
						Capacity: ip(5), AvailableSeats: ip(5), SalesStartAt: sp("2026-12-31T23:00:00Z"),
						SalesEndAt: sp("2027-03-01T00:00:00Z"), Event: idOut{evID},
					},
					"", "",
				},
				{
					"defaults, price as a JSON number",
					map[string]any{"eventId": evID, "name": "Free", "price": 0},
					&categoryOut{Name: "Free", Price: moneyOut{"0.00", "GBP", "£0.00"}, TaxRatePercent: "0", AvailableSeats: ip(100), Event: idOut{evID}},
					"", "",
				},
				{"unknown eventId", map[string]any{"eventId": gid.Encode(2<<32 | 424242), "name": "X", "price": "1"}, nil, "NotFoundError", ""},
				{"eventId of a category", map[string]any{"eventId": ev.TicketCategories[0].ID, "name": "X", "price": "1"}, nil, "NotFoundError", ""},
				{"price with 3 decimals", map[string]any{"eventId": evID, "name": "X", "price": "1.005"}, nil, "ValidationError", "price"},
				{"price 19.999 as a JSON number", map[string]any{"eventId": evID, "name": "X", "price": 19.999}, nil, "ValidationError", "price"},
				{"empty name", map[string]any{"eventId": evID, "name": "", "price": "1"}, nil, "ValidationError", "name"},
				{"negative capacity", map[string]any{"eventId": evID, "name": "X", "price": "1", "capacity": -5}, nil, "ValidationError", "capacity"},
				{"tax rate 150", map[string]any{"eventId": evID, "name": "X", "price": "1", "taxRatePercent": "150"}, nil, "ValidationError", "taxRatePercent"},
				{"sales end before start", map[string]any{"eventId": evID, "name": "X", "price": "1", "salesStartAt": "2027-02-01T00:00:00Z", "salesEndAt": "2027-01-01T00:00:00Z"}, nil, "ValidationError", "salesEndAt"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					rows := countRows(t, e)
					r := mutate(t, e, "createTicketCategory", "ticketCategory", categoryFields, tt.input)
					if tt.typename != "" {
						got := r.fails(t, tt.typename, tt.field)
						if tt.typename == "NotFoundError" && (got.ID == nil || *got.ID != tt.input["eventId"]) {
							t.Errorf("NotFoundError.id %v, want %v", got.ID, tt.input["eventId"])
						}
						if after := countRows(t, e); after != rows {
							t.Errorf("rows changed: %+v -> %+v", rows, after)
						}
						return
					}
					var got categoryOut
					r.ok(t, &got)
					decodeID(t, got.ID, "TicketCategory")
					got.ID = ""
					diffJSON(t, "category", got, *tt.want)
				})
			}
		})

		t.Run("update", func(t *testing.T) {
			newCat := func(t *testing.T) categoryOut {
				var c categoryOut
				mutate(t, e, "createTicketCategory", "ticketCategory", categoryFields, map[string]any{
					"eventId": evID, "name": "Upd", "price": "10", "capacity": 20, "description": "d",
					"salesStartAt": "2027-01-01T00:00:00Z", "salesEndAt": "2027-02-01T00:00:00Z",
				}).ok(t, &c)
				return c
			}
			tests := []struct {
				name     string
				sold     int
				input    map[string]any
				check    func(t *testing.T, before, got categoryOut)
				typename string
				field    string
			}{
				{
					"set name, price, tax, capacity", 0,
					map[string]any{"name": "Renamed", "price": "12.34", "taxRatePercent": "5.5", "capacity": 25},
					func(t *testing.T, before, got categoryOut) {
						want := before
						want.Name, want.Price, want.TaxRatePercent = "Renamed", moneyOut{"12.34", "GBP", "£12.34"}, "5.5"
						want.Capacity, want.AvailableSeats = ip(25), ip(25)
						diffJSON(t, "category", got, want)
					}, "", "",
				},
				{
					"clear with null", 0,
					map[string]any{"capacity": nil, "description": nil, "salesStartAt": nil, "salesEndAt": nil},
					func(t *testing.T, before, got categoryOut) {
						want := before
						want.Capacity, want.Description, want.SalesStartAt, want.SalesEndAt = nil, nil, nil, nil
						want.AvailableSeats = ip(100) // the event's seats
						diffJSON(t, "category", got, want)
					}, "", "",
				},
				{
					"capacity equal to the sold count", 7,
					map[string]any{"capacity": 7},
					func(t *testing.T, before, got categoryOut) {
						if got.Capacity == nil || *got.Capacity != 7 || got.SoldCount != 7 || got.AvailableSeats == nil || *got.AvailableSeats != 0 {
							t.Errorf("capacity %v sold %d available %v", got.Capacity, got.SoldCount, got.AvailableSeats)
						}
					}, "", "",
				},
				{"capacity below the sold count", 7, map[string]any{"capacity": 6, "name": "Not saved"}, nil, "ValidationError", "capacity"},
				{"price with 3 decimals", 0, map[string]any{"price": "1.234", "name": "Not saved"}, nil, "ValidationError", "price"},
				{"empty name", 0, map[string]any{"name": "  "}, nil, "ValidationError", "name"},
				{"sales end before its start", 0, map[string]any{"salesEndAt": "2026-12-01T00:00:00Z"}, nil, "ValidationError", "salesEndAt"},
				{"unknown id", 0, map[string]any{"id": gid.Encode(3<<32 | 777777), "name": "x"}, nil, "NotFoundError", ""},
				{"id of an event", 0, map[string]any{"id": evID, "name": "x"}, nil, "NotFoundError", ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					c := newCat(t)
					if tt.sold > 0 {
						e.Client.TicketCategory.UpdateOneID(decodeID(t, c.ID, "TicketCategory")).SetSoldCount(tt.sold).ExecX(e.Ctx())
						c.SoldCount = tt.sold
						c.AvailableSeats = ip(20 - tt.sold)
					}
					in := map[string]any{"id": c.ID}
					for k, v := range tt.input {
						in[k] = v
					}
					r := mutate(t, e, "updateTicketCategory", "ticketCategory", categoryFields, in)
					if tt.typename != "" {
						r.fails(t, tt.typename, tt.field)
						var back struct{ Node categoryOut }
						e.Query(t, `query($id: ID!) { node(id: $id) { ... on TicketCategory { `+categoryFields+` } } }`, map[string]any{"id": c.ID}, &back)
						diffJSON(t, "category after a failed update", back.Node, c)
						return
					}
					var got categoryOut
					r.ok(t, &got)
					tt.check(t, c, got)
				})
			}
		})
	})
}

// ---------------------------------------------------------------------------
// createParticipant, updateParticipant

func TestMutationParticipant(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		t.Run("create", func(t *testing.T) {
			tests := []struct {
				name     string
				input    map[string]any
				want     *participantOut
				typename string
				field    string
			}{
				{
					"all fields, e-mail lower-cased, country upper-cased",
					map[string]any{
						"firstName": " Ada ", "lastName": "Lovelace", "email": "  Ada.Lovelace@Example.COM ",
						"phone": "+44 20 1234", "company": "Analytical Engines", "jobTitle": "Programmer",
						"address": "1 St James's Sq", "zipCode": "SW1Y", "city": "London", "countryCode": "gb",
						"externalRef": "crm-1",
					},
					&participantOut{
						FirstName: "Ada", LastName: "Lovelace", Name: "Ada Lovelace", Email: "ada.lovelace@example.com",
						Phone: sp("+44 20 1234"), Company: sp("Analytical Engines"), JobTitle: sp("Programmer"),
						Address: sp("1 St James's Sq"), ZipCode: sp("SW1Y"), City: sp("London"), CountryCode: sp("GB"),
						ExternalRef: sp("crm-1"),
					},
					"", "",
				},
				{
					"required fields only",
					map[string]any{"firstName": "Alan", "lastName": "Turing", "email": "alan@example.org"},
					&participantOut{FirstName: "Alan", LastName: "Turing", Name: "Alan Turing", Email: "alan@example.org"},
					"", "",
				},
				{"duplicate e-mail, other case", map[string]any{"firstName": "A", "lastName": "B", "email": "ADA.LOVELACE@example.com"}, nil, "ValidationError", "email"},
				{"e-mail without @", map[string]any{"firstName": "A", "lastName": "B", "email": "ada.example.com"}, nil, "ValidationError", "email"},
				{"e-mail without domain dot", map[string]any{"firstName": "A", "lastName": "B", "email": "ada@localhost"}, nil, "ValidationError", "email"},
				{"e-mail with display name", map[string]any{"firstName": "A", "lastName": "B", "email": "Ada <ada@example.com>"}, nil, "ValidationError", "email"},
				{"empty e-mail", map[string]any{"firstName": "A", "lastName": "B", "email": ""}, nil, "ValidationError", "email"},
				{"empty first name", map[string]any{"firstName": " ", "lastName": "B", "email": "x1@example.com"}, nil, "ValidationError", "firstName"},
				{"empty last name", map[string]any{"firstName": "A", "lastName": "", "email": "x2@example.com"}, nil, "ValidationError", "lastName"},
				{"three-letter country", map[string]any{"firstName": "A", "lastName": "B", "email": "x3@example.com", "countryCode": "DEU"}, nil, "ValidationError", "countryCode"},
				{"digit in country", map[string]any{"firstName": "A", "lastName": "B", "email": "x4@example.com", "countryCode": "D1"}, nil, "ValidationError", "countryCode"},
				{"one-letter country", map[string]any{"firstName": "A", "lastName": "B", "email": "x5@example.com", "countryCode": "D"}, nil, "ValidationError", "countryCode"},
				{"phone too long", map[string]any{"firstName": "A", "lastName": "B", "email": "x6@example.com", "phone": strings.Repeat("1", 51)}, nil, "ValidationError", "phone"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					rows := countRows(t, e)
					before := time.Now()
					r := mutate(t, e, "createParticipant", "participant", participantFields, tt.input)
					if tt.typename != "" {
						r.fails(t, tt.typename, tt.field)
						if after := countRows(t, e); after != rows {
							t.Errorf("rows changed: %+v -> %+v", rows, after)
						}
						return
					}
					var got participantOut
					r.ok(t, &got)
					decodeID(t, got.ID, "Participant")
					checkTimestamps(t, got.CreatedAt, got.UpdatedAt, before)
					got.ID, got.CreatedAt, got.UpdatedAt = "", "", ""
					diffJSON(t, "participant", got, *tt.want)
				})
			}
		})

		t.Run("update", func(t *testing.T) {
			n := 0
			newPerson := func(t *testing.T) participantOut {
				n++
				var p participantOut
				mutate(t, e, "createParticipant", "participant", participantFields, map[string]any{
					"firstName": "Grace", "lastName": "Hopper", "email": fmt.Sprintf("grace%d@example.com", n),
					"phone": "123", "company": "Navy", "city": "Arlington", "countryCode": "US", "externalRef": "x",
				}).ok(t, &p)
				return p
			}
			taken := newPerson(t)
			tests := []struct {
				name     string
				input    map[string]any
				check    func(t *testing.T, before, got participantOut)
				typename string
				field    string
			}{
				{
					"set fields", map[string]any{"firstName": "Amazing", "email": "GRACE.NEW@Example.com", "countryCode": "de", "jobTitle": "Admiral"},
					func(t *testing.T, before, got participantOut) {
						want := before
						want.UpdatedAt = got.UpdatedAt
						want.FirstName, want.Name, want.Email = "Amazing", "Amazing Hopper", "grace.new@example.com"
						want.CountryCode, want.JobTitle = sp("DE"), sp("Admiral")
						diffJSON(t, "participant", got, want)
					}, "", "",
				},
				{
					"clear with null", map[string]any{"phone": nil, "company": nil, "city": nil, "countryCode": nil, "externalRef": nil},
					func(t *testing.T, before, got participantOut) {
						want := before
						want.UpdatedAt = got.UpdatedAt
						want.Phone, want.Company, want.City, want.CountryCode, want.ExternalRef = nil, nil, nil, nil, nil
						diffJSON(t, "participant", got, want)
					}, "", "",
				},
				{
					"own e-mail in another case is no conflict", map[string]any{"email": "placeholder"},
					func(t *testing.T, before, got participantOut) {
						if got.Email != before.Email {
							t.Errorf("email %s, want %s", got.Email, before.Email)
						}
					}, "", "",
				},
				{"another participant's e-mail", map[string]any{"email": strings.ToUpper(taken.Email), "firstName": "Not saved"}, nil, "ValidationError", "email"},
				{"bad e-mail", map[string]any{"email": "grace@", "firstName": "Not saved"}, nil, "ValidationError", "email"},
				{"bad country", map[string]any{"countryCode": "usa"}, nil, "ValidationError", "countryCode"},
				{"empty last name", map[string]any{"lastName": ""}, nil, "ValidationError", "lastName"},
				{"unknown id", map[string]any{"id": gid.Encode(4<<32 | 555555), "firstName": "x"}, nil, "NotFoundError", ""},
				{"id of an event", map[string]any{"id": gid.Encode(2<<32 | 1), "firstName": "x"}, nil, "NotFoundError", ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					p := newPerson(t)
					in := map[string]any{"id": p.ID}
					for k, v := range tt.input {
						in[k] = v
					}
					if in["email"] == "placeholder" {
						in["email"] = strings.ToUpper(p.Email)
					}
					r := mutate(t, e, "updateParticipant", "participant", participantFields, in)
					if tt.typename != "" {
						got := r.fails(t, tt.typename, tt.field)
						if tt.typename == "NotFoundError" && (got.ID == nil || *got.ID != in["id"]) {
							t.Errorf("NotFoundError.id %v, want %v", got.ID, in["id"])
						}
						var back struct{ Node participantOut }
						e.Query(t, `query($id: ID!) { node(id: $id) { ... on Participant { `+participantFields+` } } }`, map[string]any{"id": p.ID}, &back)
						diffJSON(t, "participant after a failed update", back.Node, p)
						return
					}
					var got participantOut
					r.ok(t, &got)
					tt.check(t, p, got)
				})
			}
		})
	})
}

// ---------------------------------------------------------------------------
// IDs in inputs

func TestMutationMalformedID(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := createEvent(t, e, simpleEvent("IDs", nil))
		tests := []struct {
			name, mutation, objField string
			input                    map[string]any
		}{
			{"updateEvent with garbage", "updateEvent", "event", map[string]any{"id": "not an id", "title": "x"}},
			{"updateEvent with a plain integer", "updateEvent", "event", map[string]any{"id": "1", "title": "x"}},
			{"updateEvent with an unknown type", "updateEvent", "event", map[string]any{"id": "Rm9vOjE", "title": "x"}}, // "Foo:1"
			{"publishEvent with an empty id", "publishEvent", "event", map[string]any{"id": ""}},
			{"cancelEvent with base64 of junk", "cancelEvent", "event", map[string]any{"id": "RXZlbnQ6eA"}}, // "Event:x"
			{"deleteEvent", "deleteEvent", "deletedId", map[string]any{"id": "%%%"}},
			{"duplicateEvent", "duplicateEvent", "event", map[string]any{"id": "abc", "startsAt": "2027-01-01T00:00:00Z"}},
			{"createTicketCategory eventId", "createTicketCategory", "ticketCategory", map[string]any{"eventId": "xyz", "name": "A", "price": "1"}},
			{"updateTicketCategory", "updateTicketCategory", "ticketCategory", map[string]any{"id": "xyz", "name": "A"}},
			{"updateParticipant", "updateParticipant", "participant", map[string]any{"id": "42", "firstName": "A"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rows := countRows(t, e)
				sel := "id"
				if tt.objField == "deletedId" {
					sel = ""
				}
				r := mutateRaw(t, e, tt.mutation, tt.objField, sel, tt.input)
				if codes := r.resp.Codes(); len(codes) != 1 || codes[0] != "BAD_USER_INPUT" {
					t.Fatalf("codes %v (%+v), want [BAD_USER_INPUT]", codes, r.resp.Errors)
				}
				if msg := r.resp.Errors[0].Message; msg == "internal server error" || msg == "" {
					t.Errorf("message %q does not describe the input", msg)
				}
				if after := countRows(t, e); after != rows {
					t.Errorf("rows changed: %+v -> %+v", rows, after)
				}
			})
		}
		// The ID literal inline in the query, not in a variable.
		r := e.Do(t, `mutation { publishEvent(input: { id: "nope" }) { event { id } } }`, nil)
		if codes := r.Codes(); len(codes) != 1 || codes[0] != "BAD_USER_INPUT" {
			t.Errorf("inline malformed id: codes %v", codes)
		}
		// A well-formed ID still works next to these.
		mutate(t, e, "publishEvent", "event", "id", map[string]any{"id": ev.ID}).ok(t, nil)
	})
}
