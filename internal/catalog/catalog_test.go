package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/internal/auth"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
	"seatgraph/internal/store/storetest"
)

type env struct {
	ctx    context.Context
	client *ent.Client
	tid    int
}

func open(t *testing.T, hooks catalog.Hooks) (*env, *catalog.Catalog) {
	t.Helper()
	client, tid := storetest.Open(t, storetest.SQLite(t))
	return &env{ctx: auth.WithTenant(context.Background(), tid), client: client, tid: tid}, catalog.New(client, hooks)
}

func dec(t *testing.T, s string) money.Decimal {
	t.Helper()
	d, err := money.ParseDecimal(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func decp(t *testing.T, s string) *money.Decimal { d := dec(t, s); return &d }
func sp(s string) *string                        { return &s }
func ip(i int) *int                              { return &i }
func bp(b bool) *bool                            { return &b }
func tp(s string) *time.Time {
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &ts
}

// wantValidation requires a ValidationError on field.
func wantValidation(t *testing.T, err error, field string) {
	t.Helper()
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T), want a ValidationError on %s", err, err, field)
	}
	if ve.Field == nil || *ve.Field != field {
		t.Fatalf("ValidationError %q, want field %q", ve.Error(), field)
	}
	if ve.Message == "" {
		t.Errorf("ValidationError on %s has no message", field)
	}
}

func count(t *testing.T, e *env) (events, categories int) {
	t.Helper()
	events = e.client.Event.Query().CountX(e.ctx)
	categories = e.client.TicketCategory.Query().CountX(e.ctx)
	return
}

func validEvent(t *testing.T) catalog.CreateEventInput {
	return catalog.CreateEventInput{
		Title:    "Concert",
		StartsAt: *tp("2027-06-01T18:00:00Z"),
		EndsAt:   tp("2027-06-01T21:00:00Z"),
		TicketCategories: []*catalog.TicketCategoryInput{
			{Name: "Standard", Price: dec(t, "19.90"), TaxRatePercent: decp(t, "19"), Capacity: ip(10)},
		},
	}
}

func TestCatalogCreateEventValidation(t *testing.T) {
	e, c := open(t, catalog.Hooks{})
	cat := func(f func(*catalog.TicketCategoryInput)) []*catalog.TicketCategoryInput {
		in := &catalog.TicketCategoryInput{Name: "Standard", Price: dec(t, "10")}
		f(in)
		return []*catalog.TicketCategoryInput{in}
	}
	rule := func(hours int, keep string, fee *money.Decimal) *catalog.CancellationRuleInput {
		return &catalog.CancellationRuleInput{HoursBeforeStart: hours, KeepPercent: dec(t, keep), FixedFee: fee}
	}
	tests := []struct {
		name   string
		modify func(in *catalog.CreateEventInput)
		field  string
	}{
		{"empty title", func(in *catalog.CreateEventInput) { in.Title = "" }, "title"},
		{"blank title", func(in *catalog.CreateEventInput) { in.Title = " \t\n" }, "title"},
		{"title of 201 characters", func(in *catalog.CreateEventInput) { in.Title = strings.Repeat("é", 201) }, "title"},
		{"description too long", func(in *catalog.CreateEventInput) { in.Description = sp(strings.Repeat("x", 20001)) }, "description"},
		{"venue too long", func(in *catalog.CreateEventInput) { in.Venue = sp(strings.Repeat("x", 201)) }, "venue"},
		{"endsAt before startsAt", func(in *catalog.CreateEventInput) { in.EndsAt = tp("2027-06-01T17:59:00Z") }, "endsAt"},
		{"unknown time zone", func(in *catalog.CreateEventInput) { in.TimeZone = sp("Europe/Nowhere") }, "timeZone"},
		{"empty time zone", func(in *catalog.CreateEventInput) { in.TimeZone = sp("") }, "timeZone"},
		{"Local time zone", func(in *catalog.CreateEventInput) { in.TimeZone = sp("Local") }, "timeZone"},
		{"unknown currency", func(in *catalog.CreateEventInput) { in.Currency = sp("ABC") }, "currency"},
		{"currency too long", func(in *catalog.CreateEventInput) { in.Currency = sp("EURO") }, "currency"},
		{"bad onlineUrl", func(in *catalog.CreateEventInput) { in.OnlineURL = sp("www.example.com") }, "onlineUrl"},
		{"onlineUrl without host", func(in *catalog.CreateEventInput) { in.OnlineURL = sp("http:///path") }, "onlineUrl"},
		{"negative capacity", func(in *catalog.CreateEventInput) { in.Capacity = ip(-1) }, "capacity"},
		{"maxTicketsPerBooking 0", func(in *catalog.CreateEventInput) { in.MaxTicketsPerBooking = ip(0) }, "maxTicketsPerBooking"},
		{"registration window reversed", func(in *catalog.CreateEventInput) {
			in.RegistrationOpensAt, in.RegistrationClosesAt = tp("2027-05-02T00:00:00Z"), tp("2027-05-01T00:00:00Z")
		}, "registrationClosesAt"},
		{"EUR price 19.999", func(in *catalog.CreateEventInput) {
			in.TicketCategories = cat(func(c *catalog.TicketCategoryInput) { c.Price = dec(t, "19.999") })
		}, "ticketCategories.0.price"},
		{"JPY price 12.5", func(in *catalog.CreateEventInput) {
			in.Currency = sp("jpy")
			in.TicketCategories = cat(func(c *catalog.TicketCategoryInput) { c.Price = dec(t, "12.5") })
		}, "ticketCategories.0.price"},
		{"negative price", func(in *catalog.CreateEventInput) {
			in.TicketCategories = cat(func(c *catalog.TicketCategoryInput) { c.Price = dec(t, "-0.01") })
		}, "ticketCategories.0.price"},
		{"empty category name", func(in *catalog.CreateEventInput) {
			in.TicketCategories = cat(func(c *catalog.TicketCategoryInput) { c.Name = "  " })
		}, "ticketCategories.0.name"},
		{"tax rate 100.5", func(in *catalog.CreateEventInput) {
			in.TicketCategories = cat(func(c *catalog.TicketCategoryInput) { c.TaxRatePercent = decp(t, "100.5") })
		}, "ticketCategories.0.taxRatePercent"},
		{"tax rate 7.125", func(in *catalog.CreateEventInput) {
			in.TicketCategories = cat(func(c *catalog.TicketCategoryInput) { c.TaxRatePercent = decp(t, "7.125") })
		}, "ticketCategories.0.taxRatePercent"},
		{"negative category capacity", func(in *catalog.CreateEventInput) {
			in.TicketCategories = cat(func(c *catalog.TicketCategoryInput) { c.Capacity = ip(-2) })
		}, "ticketCategories.0.capacity"},
		{"sales window reversed", func(in *catalog.CreateEventInput) {
			in.TicketCategories = cat(func(c *catalog.TicketCategoryInput) {
				c.SalesStartAt, c.SalesEndAt = tp("2027-05-02T00:00:00Z"), tp("2027-05-01T00:00:00Z")
			})
		}, "ticketCategories.0.salesEndAt"},
		{"second category", func(in *catalog.CreateEventInput) {
			in.TicketCategories = append(in.TicketCategories, &catalog.TicketCategoryInput{Name: "", Price: dec(t, "1")})
		}, "ticketCategories.1.name"},
		{"keepPercent 150", func(in *catalog.CreateEventInput) {
			in.CancellationPolicy = &catalog.CancellationPolicyInput{Rules: []*catalog.CancellationRuleInput{rule(24, "150", nil)}}
		}, "cancellationPolicy.rules.0.keepPercent"},
		{"keepPercent -1 in rule 2", func(in *catalog.CreateEventInput) {
			in.CancellationPolicy = &catalog.CancellationPolicyInput{Rules: []*catalog.CancellationRuleInput{
				rule(48, "0", nil), rule(24, "50", nil), rule(0, "-1", nil),
			}}
		}, "cancellationPolicy.rules.2.keepPercent"},
		{"fixedFee 0.001", func(in *catalog.CreateEventInput) {
			in.CancellationPolicy = &catalog.CancellationPolicyInput{Rules: []*catalog.CancellationRuleInput{rule(24, "0", decp(t, "0.001"))}}
		}, "cancellationPolicy.rules.0.fixedFee"},
		{"duplicate hours", func(in *catalog.CreateEventInput) {
			in.CancellationPolicy = &catalog.CancellationPolicyInput{Rules: []*catalog.CancellationRuleInput{rule(24, "0", nil), rule(24, "10", nil)}}
		}, "cancellationPolicy.rules.1.hoursBeforeStart"},
		{"publish without categories", func(in *catalog.CreateEventInput) {
			in.TicketCategories, in.Publish = nil, bp(true)
		}, "ticketCategories"},
		{"first failure wins: title before currency", func(in *catalog.CreateEventInput) {
			in.Title, in.Currency = "", sp("ABC")
		}, "title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev0, cat0 := count(t, e)
			in := validEvent(t)
			tt.modify(&in)
			ev, err := c.CreateEvent(e.ctx, in)
			wantValidation(t, err, tt.field)
			if ev != nil {
				t.Errorf("CreateEvent returned an event with its error: %+v", ev)
			}
			if ev1, cat1 := count(t, e); ev1 != ev0 || cat1 != cat0 {
				t.Errorf("rows changed: events %d -> %d, categories %d -> %d", ev0, ev1, cat0, cat1)
			}
		})
	}
}

func TestCatalogCreateEvent(t *testing.T) {
	e, c := open(t, catalog.Hooks{})
	tests := []struct {
		name   string
		modify func(in *catalog.CreateEventInput)
		check  func(t *testing.T, ev *ent.Event, cats []*ent.TicketCategory)
	}{
		{"defaults", func(in *catalog.CreateEventInput) {}, func(t *testing.T, ev *ent.Event, cats []*ent.TicketCategory) {
			if ev.Status != domain.EventStatusDraft || ev.TimeZone != "UTC" || ev.Currency != "EUR" || ev.WaitlistEnabled {
				t.Errorf("status %s zone %s currency %s waitlist %v", ev.Status, ev.TimeZone, ev.Currency, ev.WaitlistEnabled)
			}
			if len(cats) != 1 || cats[0].Price != 1990 || cats[0].TaxRatePercent != 1900 || cats[0].Currency != "EUR" ||
				cats[0].Capacity == nil || *cats[0].Capacity != 10 || cats[0].SoldCount != 0 {
				t.Errorf("categories %+v", cats)
			}
			if got := catalog.TaxRate(cats[0]).String(); got != "19" {
				t.Errorf("TaxRate = %s", got)
			}
		}},
		{"normalized text and codes", func(in *catalog.CreateEventInput) {
			in.Title, in.Currency, in.TimeZone = "  Trimmed  ", sp(" usd "), sp(" America/New_York ")
			in.Description, in.Venue = sp("   "), sp(" Hall ")
			in.TicketCategories[0].Name = " VIP "
			in.TicketCategories[0].TaxRatePercent = decp(t, "7.70")
		}, func(t *testing.T, ev *ent.Event, cats []*ent.TicketCategory) {
			if ev.Title != "Trimmed" || ev.Currency != "USD" || ev.TimeZone != "America/New_York" {
				t.Errorf("title %q currency %q zone %q", ev.Title, ev.Currency, ev.TimeZone)
			}
			if ev.Description != nil || ev.Venue == nil || *ev.Venue != "Hall" {
				t.Errorf("description %v venue %v", ev.Description, ev.Venue)
			}
			if cats[0].Name != "VIP" || cats[0].Currency != "USD" || catalog.TaxRate(cats[0]).String() != "7.7" {
				t.Errorf("category %q %s %s", cats[0].Name, cats[0].Currency, catalog.TaxRate(cats[0]))
			}
		}},
		{"published with policy", func(in *catalog.CreateEventInput) {
			in.Publish, in.Currency = bp(true), sp("JPY")
			in.TicketCategories[0].Price = dec(t, "1200")
			in.CancellationPolicy = &catalog.CancellationPolicyInput{Rules: []*catalog.CancellationRuleInput{
				{HoursBeforeStart: 48, KeepPercent: dec(t, "12.5"), FixedFee: decp(t, "500")},
				{HoursBeforeStart: 0, KeepPercent: dec(t, "100")},
			}}
		}, func(t *testing.T, ev *ent.Event, cats []*ent.TicketCategory) {
			if ev.Status != domain.EventStatusPublished || cats[0].Price != 1200 {
				t.Errorf("status %s price %d", ev.Status, cats[0].Price)
			}
			r := ev.CancellationPolicy.Rules
			if len(r) != 2 || r[0].KeepPercent != 1250 || r[0].FixedFee == nil || *r[0].FixedFee != 500 ||
				r[1].KeepPercent != 10000 || r[1].FixedFee != nil {
				t.Errorf("policy %+v", r)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validEvent(t)
			tt.modify(&in)
			ev, err := c.CreateEvent(e.ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if ev.TenantID != e.tid {
				t.Errorf("tenant %d, want %d", ev.TenantID, e.tid)
			}
			// The returned event works after its transaction: its edges load.
			cats, err := ev.QueryTicketCategories().All(e.ctx)
			if err != nil {
				t.Fatalf("loading the categories of the returned event: %v", err)
			}
			tt.check(t, ev, cats)
		})
	}
}

func TestCatalogNoTenant(t *testing.T) {
	e, c := open(t, catalog.Hooks{})
	_, err := c.CreateEvent(context.Background(), validEvent(t))
	if err == nil {
		t.Fatal("CreateEvent without a tenant succeeded")
	}
	if _, ok := domain.As(err); ok {
		t.Errorf("a missing tenant is a wiring bug, not a domain error: %v", err)
	}
	if n, _ := count(t, e); n != 0 {
		t.Errorf("%d events written", n)
	}
}

// Entities returned by the catalog are used after their transaction has
// committed (GraphQL resolves the payload's edges then).
func TestCatalogReturnedEntitiesOutliveTheTransaction(t *testing.T) {
	e, c := open(t, catalog.Hooks{})
	ev, err := c.CreateEvent(e.ctx, validEvent(t))
	if err != nil {
		t.Fatal(err)
	}
	loadEdges := func(t *testing.T, ev *ent.Event) {
		t.Helper()
		if ev == nil {
			t.Fatal("no event")
		}
		if _, err := ev.QueryTicketCategories().All(e.ctx); err != nil {
			t.Errorf("event edges: %v", err)
		}
	}
	steps := []struct {
		name string
		run  func(t *testing.T) *ent.Event
	}{
		{"UpdateEvent", func(t *testing.T) *ent.Event {
			out, err := c.UpdateEvent(e.ctx, catalog.EventChanges{ID: ev.ID, Title: sp("Renamed")})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}},
		{"PublishEvent", func(t *testing.T) *ent.Event {
			out, err := c.PublishEvent(e.ctx, catalog.PublishEventInput{ID: ev.ID})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}},
		{"PublishEvent again", func(t *testing.T) *ent.Event {
			out, err := c.PublishEvent(e.ctx, catalog.PublishEventInput{ID: ev.ID})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}},
		{"DuplicateEvent", func(t *testing.T) *ent.Event {
			out, err := c.DuplicateEvent(e.ctx, catalog.DuplicateEventInput{ID: ev.ID, StartsAt: *tp("2028-01-01T00:00:00Z")})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}},
		{"CancelEvent", func(t *testing.T) *ent.Event {
			out, err := c.CancelEvent(e.ctx, catalog.CancelEventInput{ID: ev.ID})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) { loadEdges(t, s.run(t)) })
	}
	t.Run("categories and participants", func(t *testing.T) {
		tc, err := c.CreateTicketCategory(e.ctx, catalog.CreateTicketCategoryInput{EventID: ev.ID, Name: "B", Price: dec(t, "5")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tc.Event(e.ctx); err != nil {
			t.Errorf("created category's event: %v", err)
		}
		tc, err = c.UpdateTicketCategory(e.ctx, catalog.TicketCategoryChanges{ID: tc.ID, Name: sp("C")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tc.Event(e.ctx); err != nil {
			t.Errorf("updated category's event: %v", err)
		}
		p, err := c.CreateParticipant(e.ctx, catalog.CreateParticipantInput{FirstName: "A", LastName: "B", Email: "a@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.QueryBookings().All(e.ctx); err != nil {
			t.Errorf("created participant's bookings: %v", err)
		}
		p, err = c.UpdateParticipant(e.ctx, catalog.ParticipantChanges{ID: p.ID, City: catalog.Set(sp("Berlin"))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.QueryBookings().All(e.ctx); err != nil {
			t.Errorf("updated participant's bookings: %v", err)
		}
	})
}

func TestCatalogCancelEventHook(t *testing.T) {
	hookErr := errors.New("booking engine failed")
	var calls int
	var failing bool
	e, c := open(t, catalog.Hooks{CancelBookings: func(ctx context.Context, tx *ent.Tx, ev *ent.Event) error {
		calls++
		// The hook writes in the same transaction as the cancellation.
		if err := tx.Event.UpdateOneID(ev.ID).SetTitle("touched by the hook").Exec(ctx); err != nil {
			return err
		}
		if failing {
			return hookErr
		}
		return nil
	}})
	ev, err := c.CreateEvent(e.ctx, validEvent(t))
	if err != nil {
		t.Fatal(err)
	}

	failing = true
	out, err := c.CancelEvent(e.ctx, catalog.CancelEventInput{ID: ev.ID, Reason: sp("rain")})
	if !errors.Is(err, hookErr) || out != nil {
		t.Fatalf("CancelEvent = %v, %v; want the hook's error", out, err)
	}
	back := e.client.Event.GetX(e.ctx, ev.ID)
	if back.Status != domain.EventStatusDraft || back.Title != "Concert" || back.CancelledAt != nil {
		t.Errorf("a failed cancellation left %s %q %v", back.Status, back.Title, back.CancelledAt)
	}

	failing = false
	out, err = c.CancelEvent(e.ctx, catalog.CancelEventInput{ID: ev.ID, Reason: sp(" rain ")})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != domain.EventStatusCancelled || out.CancelledAt == nil || out.CancellationReason == nil || *out.CancellationReason != "rain" {
		t.Errorf("cancelled event %+v", out)
	}
	if out.Title != "touched by the hook" {
		t.Errorf("the hook's write is lost: title %q", out.Title)
	}
	if calls != 2 {
		t.Errorf("hook called %d times, want 2", calls)
	}
	// Cancelling again is refused before the hook runs.
	_, err = c.CancelEvent(e.ctx, catalog.CancelEventInput{ID: ev.ID})
	var ise *domain.InvalidStateError
	if !errors.As(err, &ise) || calls != 2 {
		t.Errorf("second CancelEvent = %v (hook calls %d), want an InvalidStateError", err, calls)
	}
}

func TestCatalogUpdateEventCurrency(t *testing.T) {
	e, c := open(t, catalog.Hooks{})
	create := func(t *testing.T, price string, fee *money.Decimal) *ent.Event {
		in := validEvent(t)
		in.TicketCategories[0].Price = dec(t, price)
		if fee != nil {
			in.CancellationPolicy = &catalog.CancellationPolicyInput{Rules: []*catalog.CancellationRuleInput{
				{HoursBeforeStart: 24, KeepPercent: dec(t, "10"), FixedFee: fee},
			}}
		}
		ev, err := c.CreateEvent(e.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	book := func(t *testing.T, ev *ent.Event) {
		tc := ev.QueryTicketCategories().FirstX(e.ctx)
		p := e.client.Participant.Create().SetTenantID(e.tid).SetFirstName("A").SetLastName("B").
			SetEmail(fmt.Sprintf("p%d@example.com", ev.ID)).SaveX(e.ctx)
		b := e.client.Booking.Create().SetTenantID(e.tid).SetOrderNumber(fmt.Sprintf("BK-%d", ev.ID)).
			SetStatus(domain.BookingStatusConfirmed).SetBookerID(p.ID).SetCurrency(ev.Currency).
			SetPaymentMethod(domain.PaymentMethodInvoice).SaveX(e.ctx)
		e.client.Ticket.Create().SetTenantID(e.tid).SetBookingID(b.ID).SetEventID(ev.ID).SetTicketCategoryID(tc.ID).
			SetHolderID(p.ID).SetCode(fmt.Sprintf("CODE%020d", ev.ID)).SetStatus(domain.TicketStatusActive).
			SetPrice(tc.Price).SetCurrency(ev.Currency).SaveX(e.ctx)
	}
	tests := []struct {
		name      string
		price     string
		fee       *money.Decimal
		booked    bool
		currency  string
		field     string // a ValidationError on it
		wantPrice int64
		wantFee   int64
		wantCur   string
	}{
		{"EUR to USD keeps the units", "19.90", decp(t, "2.50"), false, "USD", "", 1990, 250, "USD"},
		{"EUR to JPY keeps the amount", "20.00", decp(t, "5"), false, "jpy", "", 20, 5, "JPY"},
		{"EUR to KWD keeps the amount", "20.05", nil, false, "KWD", "", 20050, 0, "KWD"},
		{"EUR to JPY refused for 19.90", "19.90", nil, false, "JPY", "currency", 1990, 0, "EUR"},
		{"EUR to JPY refused for a fee of 0.50", "20", decp(t, "0.50"), false, "JPY", "currency", 2000, 50, "EUR"},
		{"refused with tickets", "20", nil, true, "USD", "currency", 2000, 0, "EUR"},
		{"lower case of the same currency with tickets", "20", nil, true, "eur", "", 2000, 0, "EUR"},
		{"unknown currency", "20", nil, false, "XXY", "currency", 2000, 0, "EUR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := create(t, tt.price, tt.fee)
			if tt.booked {
				book(t, ev)
			}
			out, err := c.UpdateEvent(e.ctx, catalog.EventChanges{ID: ev.ID, Currency: sp(tt.currency)})
			if tt.field != "" {
				wantValidation(t, err, tt.field)
			} else if err != nil || out == nil {
				t.Fatalf("UpdateEvent = %v, %v", out, err)
			}
			back := e.client.Event.GetX(e.ctx, ev.ID)
			tc := back.QueryTicketCategories().OnlyX(e.ctx)
			if back.Currency != tt.wantCur || tc.Currency != tt.wantCur || tc.Price != tt.wantPrice {
				t.Errorf("event %s, category %d %s; want %d %s", back.Currency, tc.Price, tc.Currency, tt.wantPrice, tt.wantCur)
			}
			if tt.fee != nil {
				r := back.CancellationPolicy.Rules
				if len(r) != 1 || r[0].FixedFee == nil || *r[0].FixedFee != tt.wantFee {
					t.Errorf("policy %+v, want a fee of %d", r, tt.wantFee)
				}
			}
		})
	}
}

func TestCatalogUpdateEventCapacity(t *testing.T) {
	e, c := open(t, catalog.Hooks{})
	tests := []struct {
		name       string
		registered int
		capacity   *int
		field      string
		wantCap    *int
	}{
		{"above the seats held", 5, ip(6), "", ip(6)},
		{"equal to the seats held", 5, ip(5), "", ip(5)},
		{"below the seats held", 5, ip(4), "capacity", ip(10)},
		{"zero with none held", 0, ip(0), "", ip(0)},
		{"negative", 0, ip(-1), "capacity", ip(10)},
		{"unlimited", 5, nil, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validEvent(t)
			in.Capacity = ip(10)
			ev, err := c.CreateEvent(e.ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			e.client.Event.UpdateOneID(ev.ID).SetRegisteredCount(tt.registered).ExecX(e.ctx)
			_, err = c.UpdateEvent(e.ctx, catalog.EventChanges{
				ID: ev.ID, Title: sp("Changed"), Capacity: catalog.Set(tt.capacity),
			})
			if tt.field != "" {
				wantValidation(t, err, tt.field)
			} else if err != nil {
				t.Fatal(err)
			}
			back := e.client.Event.GetX(e.ctx, ev.ID)
			if (back.Capacity == nil) != (tt.wantCap == nil) || back.Capacity != nil && *back.Capacity != *tt.wantCap {
				t.Errorf("capacity %v, want %v", back.Capacity, tt.wantCap)
			}
			if wantTitle := map[bool]string{true: "Concert", false: "Changed"}[tt.field != ""]; back.Title != wantTitle {
				t.Errorf("title %q, want %q", back.Title, wantTitle)
			}
		})
	}
}

func TestCatalogAvailableSeats(t *testing.T) {
	tests := []struct {
		name       string
		capacity   *int
		registered int
		want       *int
	}{
		{"unlimited", nil, 0, nil},
		{"unlimited with seats held", nil, 500, nil},
		{"empty", ip(10), 0, ip(10)},
		{"some held", ip(10), 3, ip(7)},
		{"full", ip(10), 10, ip(0)},
		{"over-full never negative", ip(10), 12, ip(0)},
		{"zero capacity", ip(0), 0, ip(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := catalog.AvailableSeats(&ent.Event{Capacity: tt.capacity, RegisteredCount: tt.registered})
			if !sameInt(got, tt.want) {
				t.Errorf("AvailableSeats = %s, want %s", showInt(got), showInt(tt.want))
			}
		})
	}
}

func TestCatalogCategoryAvailableSeats(t *testing.T) {
	tests := []struct {
		name       string
		eventCap   *int
		registered int
		catCap     *int
		sold       int
		want       *int
	}{
		{"both unlimited", nil, 3, nil, 3, nil},
		{"only the event limits", ip(10), 4, nil, 4, ip(6)},
		{"only the category limits", nil, 4, ip(5), 2, ip(3)},
		{"category is the smaller", ip(100), 10, ip(5), 1, ip(4)},
		{"event is the smaller", ip(10), 8, ip(50), 3, ip(2)},
		{"equal", ip(10), 5, ip(8), 3, ip(5)},
		{"category sold out", ip(100), 10, ip(5), 5, ip(0)},
		{"category oversold never negative", ip(100), 10, ip(5), 7, ip(0)},
		{"event full", ip(10), 10, ip(5), 0, ip(0)},
		{"event over-full never negative", ip(10), 11, nil, 0, ip(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &ent.Event{Capacity: tt.eventCap, RegisteredCount: tt.registered}
			tc := &ent.TicketCategory{Capacity: tt.catCap, SoldCount: tt.sold}
			got := catalog.CategoryAvailableSeats(tc, ev)
			if !sameInt(got, tt.want) {
				t.Errorf("CategoryAvailableSeats = %s, want %s", showInt(got), showInt(tt.want))
			}
		})
	}
}

func sameInt(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func showInt(p *int) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func TestCatalogPersonValidation(t *testing.T) {
	valid := func() catalog.ParticipantInput {
		return catalog.ParticipantInput{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com"}
	}
	tests := []struct {
		name      string
		prefix    string
		modify    func(in *catalog.ParticipantInput)
		field     string // "" for valid
		wantEmail string
	}{
		{"minimal", "", func(in *catalog.ParticipantInput) {}, "", "ada@example.com"},
		{"e-mail trimmed and lower-cased", "", func(in *catalog.ParticipantInput) { in.Email = "  Ada@Example.COM " }, "", "ada@example.com"},
		{"plus address and subdomain", "", func(in *catalog.ParticipantInput) { in.Email = "ada+tag@mail.example.co.uk" }, "", "ada+tag@mail.example.co.uk"},
		{"all optional fields", "", func(in *catalog.ParticipantInput) {
			in.Phone, in.Company, in.JobTitle, in.Address = sp("+49 30 1"), sp("ACME"), sp("CTO"), sp("Street 1")
			in.ZipCode, in.City, in.CountryCode, in.ExternalRef = sp("10115"), sp("Berlin"), sp("de"), sp("ext-1")
		}, "", "ada@example.com"},
		{"empty first name", "", func(in *catalog.ParticipantInput) { in.FirstName = "" }, "firstName", ""},
		{"blank last name", "", func(in *catalog.ParticipantInput) { in.LastName = "   " }, "lastName", ""},
		{"first name too long", "", func(in *catalog.ParticipantInput) { in.FirstName = strings.Repeat("a", 101) }, "firstName", ""},
		{"empty e-mail", "", func(in *catalog.ParticipantInput) { in.Email = "" }, "email", ""},
		{"e-mail without @", "", func(in *catalog.ParticipantInput) { in.Email = "ada.example.com" }, "email", ""},
		{"e-mail without domain", "", func(in *catalog.ParticipantInput) { in.Email = "ada@" }, "email", ""},
		{"e-mail without dot in domain", "", func(in *catalog.ParticipantInput) { in.Email = "ada@localhost" }, "email", ""},
		{"e-mail with a name", "", func(in *catalog.ParticipantInput) { in.Email = "Ada <ada@example.com>" }, "email", ""},
		{"two e-mails", "", func(in *catalog.ParticipantInput) { in.Email = "a@example.com, b@example.com" }, "email", ""},
		{"e-mail with a space", "", func(in *catalog.ParticipantInput) { in.Email = "ada love@example.com" }, "email", ""},
		{"phone too long", "", func(in *catalog.ParticipantInput) { in.Phone = sp(strings.Repeat("1", 51)) }, "phone", ""},
		{"zip code too long", "", func(in *catalog.ParticipantInput) { in.ZipCode = sp(strings.Repeat("1", 21)) }, "zipCode", ""},
		{"country of three letters", "", func(in *catalog.ParticipantInput) { in.CountryCode = sp("DEU") }, "countryCode", ""},
		{"country with a digit", "", func(in *catalog.ParticipantInput) { in.CountryCode = sp("D3") }, "countryCode", ""},
		{"country of one letter", "", func(in *catalog.ParticipantInput) { in.CountryCode = sp("D") }, "countryCode", ""},
		{"country with an umlaut", "", func(in *catalog.ParticipantInput) { in.CountryCode = sp("Ö") }, "countryCode", ""},
		{"prefix of a booker", "booker.", func(in *catalog.ParticipantInput) { in.Email = "nope" }, "booker.email", ""},
		{"prefix of a ticket holder", "tickets.2.holder.", func(in *catalog.ParticipantInput) { in.CountryCode = sp("XXX") }, "tickets.2.holder.countryCode", ""},
		{"first failure wins", "booker.", func(in *catalog.ParticipantInput) { in.FirstName, in.Email = "", "nope" }, "booker.firstName", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.modify(&in)
			p, err := catalog.ValidatePerson(tt.prefix, in)
			if tt.field != "" {
				wantValidation(t, err, tt.field)
				return
			}
			if err != nil {
				t.Fatalf("ValidatePerson: %v", err)
			}
			if p.Email() != tt.wantEmail {
				t.Errorf("Email() = %q, want %q", p.Email(), tt.wantEmail)
			}
		})
	}
}

func TestCatalogParticipants(t *testing.T) {
	e, c := open(t, catalog.Hooks{})
	p, err := c.CreateParticipant(e.ctx, catalog.CreateParticipantInput{
		FirstName: " Ada ", LastName: "Lovelace", Email: "ADA@example.com", CountryCode: sp("gb"), Phone: sp(""),
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.FirstName != "Ada" || p.Email != "ada@example.com" || p.CountryCode == nil || *p.CountryCode != "GB" || p.Phone != nil {
		t.Errorf("created %+v", p)
	}
	other, err := c.CreateParticipant(e.ctx, catalog.CreateParticipantInput{FirstName: "B", LastName: "C", Email: "b@example.com"})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		in    catalog.ParticipantChanges
		field string
		nf    bool
	}{
		{"duplicate e-mail on create is a ValidationError", catalog.ParticipantChanges{}, "email", false},
		{"e-mail of another participant", catalog.ParticipantChanges{ID: p.ID, Email: sp("B@EXAMPLE.COM")}, "email", false},
		{"bad country", catalog.ParticipantChanges{ID: p.ID, CountryCode: catalog.Set(sp("GBR"))}, "countryCode", false},
		{"unknown participant", catalog.ParticipantChanges{ID: other.ID + 1000, FirstName: sp("X")}, "", true},
		{"own e-mail in upper case", catalog.ParticipantChanges{ID: p.ID, Email: sp("ADA@EXAMPLE.COM"), CountryCode: catalog.Set[*string](nil)}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.in.ID == 0 {
				_, err = c.CreateParticipant(e.ctx, catalog.CreateParticipantInput{FirstName: "X", LastName: "Y", Email: " Ada@Example.com"})
			} else {
				_, err = c.UpdateParticipant(e.ctx, tt.in)
			}
			switch {
			case tt.field != "":
				wantValidation(t, err, tt.field)
			case tt.nf:
				var nf *domain.NotFoundError
				if !errors.As(err, &nf) || nf.ID == nil || *nf.ID != tt.in.ID {
					t.Errorf("error %v, want a NotFoundError for %d", err, tt.in.ID)
				}
			case err != nil:
				t.Fatal(err)
			}
		})
	}
	back := e.client.Participant.GetX(e.ctx, p.ID)
	if back.Email != "ada@example.com" || back.CountryCode != nil {
		t.Errorf("after the updates: %s %v", back.Email, back.CountryCode)
	}
	if n := e.client.Participant.Query().CountX(e.ctx); n != 2 {
		t.Errorf("%d participants, want 2", n)
	}
}
