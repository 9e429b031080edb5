package graph_test

// History and eventStatistics (docs/domain-rules.md, rule 12) through the real HTTP
// handler: bookings, payments, a cancellation with refund and check-ins on
// several days, checked against an oracle built from what the test did.

import (
	"strings"
	"testing"
	"time"

	"seatgraph/graph/graphtest"
	"seatgraph/internal/money"
)

type stMoney struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

type stBucket struct {
	Start            string  `json:"start"`
	BookedTickets    int     `json:"bookedTickets"`
	CancelledTickets int     `json:"cancelledTickets"`
	Revenue          stMoney `json:"revenue"`
	CheckIns         int     `json:"checkIns"`
}

type stStats struct {
	Capacity         *int       `json:"capacity"`
	RegisteredCount  int        `json:"registeredCount"`
	WaitlistCount    int        `json:"waitlistCount"`
	CheckedInCount   int        `json:"checkedInCount"`
	BookedTickets    int        `json:"bookedTickets"`
	CancelledTickets int        `json:"cancelledTickets"`
	Revenue          stMoney    `json:"revenue"`
	Refunded         stMoney    `json:"refunded"`
	Series           []stBucket `json:"series"`
}

const stQuery = `query($id: ID!, $from: DateTime, $to: DateTime, $interval: StatisticsInterval) {
	eventStatistics(eventId: $id, from: $from, to: $to, interval: $interval) {
		capacity registeredCount waitlistCount checkedInCount bookedTickets cancelledTickets
		revenue { amount currency } refunded { amount currency }
		series { start bookedTickets cancelledTickets revenue { amount currency } checkIns }
	}
}`

// stQueryDefault leaves interval out, so its default (DAY) applies.
const stQueryDefault = `query($id: ID!, $from: DateTime, $to: DateTime) {
	eventStatistics(eventId: $id, from: $from, to: $to) {
		capacity registeredCount waitlistCount checkedInCount bookedTickets cancelledTickets
		revenue { amount currency } refunded { amount currency }
		series { start bookedTickets cancelledTickets revenue { amount currency } checkIns }
	}
}`

// stAct is one thing the test did, as the statistics should count it.
type stAct struct {
	at                          time.Time
	booked, cancelled, checkIns int
	revenue, refunded           int64 // cents
}

// stWant is what eventStatistics should answer for a window.
type stWant struct {
	booked, cancelled int
	revenue, refunded int64
	buckets           []stBucketWant
}

type stBucketWant struct {
	start                       time.Time
	booked, cancelled, checkIns int
	revenue                     int64
}

// stStarts lists the bucket starts covering [from, to), computed here
// independently of the server: hours, or local midnights (weeks: Mondays).
func stStarts(from, to time.Time, interval string, loc *time.Location) []time.Time {
	var out []time.Time
	switch interval {
	case "HOUR":
		for b := from.Truncate(time.Hour); b.Before(to); b = b.Add(time.Hour) {
			out = append(out, b)
		}
	case "DAY", "WEEK":
		l := from.In(loc)
		y, m, d := l.Date()
		step := 1
		if interval == "WEEK" {
			d -= (int(l.Weekday()) + 6) % 7
			step = 7
		}
		for i := 0; ; i += step {
			b := time.Date(y, m, d+i, 0, 0, 0, 0, loc)
			if !b.Before(to) {
				break
			}
			out = append(out, b)
		}
	}
	return out
}

func stExpect(acts []stAct, from, to time.Time, interval string, loc *time.Location) stWant {
	var w stWant
	for _, s := range stStarts(from, to, interval, loc) {
		w.buckets = append(w.buckets, stBucketWant{start: s})
	}
	for _, a := range acts {
		if a.at.Before(from) || !a.at.Before(to) {
			continue
		}
		w.booked += a.booked
		w.cancelled += a.cancelled
		w.revenue += a.revenue
		w.refunded += a.refunded
		i := len(w.buckets) - 1
		for i > 0 && a.at.Before(w.buckets[i].start) {
			i--
		}
		b := &w.buckets[i]
		b.booked += a.booked
		b.cancelled += a.cancelled
		b.checkIns += a.checkIns
		b.revenue += a.revenue
	}
	return w
}

func stEUR(cents int64) string { return money.New(cents, "EUR").Amount().String() }

// stCheck compares an answer with the oracle and checks the shape of the
// series: starts in order, at midnight (DAY, WEEK: Monday) in loc, adding up
// to the totals.
func stCheck(t *testing.T, got stStats, want stWant, interval string, loc *time.Location) {
	t.Helper()
	if got.BookedTickets != want.booked || got.CancelledTickets != want.cancelled {
		t.Errorf("bookedTickets %d cancelledTickets %d, want %d and %d", got.BookedTickets, got.CancelledTickets, want.booked, want.cancelled)
	}
	if got.Revenue != (stMoney{stEUR(want.revenue), "EUR"}) || got.Refunded != (stMoney{stEUR(want.refunded), "EUR"}) {
		t.Errorf("revenue %+v refunded %+v, want %s and %s EUR", got.Revenue, got.Refunded, stEUR(want.revenue), stEUR(want.refunded))
	}
	var sum stBucketWant
	var prev time.Time
	for i, b := range got.Series {
		start := cxTime(t, b.Start)
		if i > 0 && !start.After(prev) {
			t.Errorf("series[%d] starts %s, not after %s", i, b.Start, prev)
		}
		prev = start
		l := start.In(loc)
		switch interval {
		case "HOUR":
			if l.Minute() != 0 || l.Second() != 0 || l.Nanosecond() != 0 {
				t.Errorf("HOUR bucket %s does not start on the hour", b.Start)
			}
		case "DAY", "WEEK":
			if l.Hour() != 0 || l.Minute() != 0 || l.Second() != 0 || l.Nanosecond() != 0 {
				t.Errorf("%s bucket %s is not midnight in %s (%s)", interval, b.Start, loc, l)
			}
			if interval == "WEEK" && l.Weekday() != time.Monday {
				t.Errorf("WEEK bucket %s starts on %s", b.Start, l.Weekday())
			}
		}
		if b.Revenue.Currency != "EUR" {
			t.Errorf("bucket revenue currency %q", b.Revenue.Currency)
		}
		sum.booked += b.BookedTickets
		sum.cancelled += b.CancelledTickets
		rev, err := money.ParseDecimal(b.Revenue.Amount)
		if err != nil {
			t.Fatalf("revenue %q: %v", b.Revenue.Amount, err)
		}
		units, _ := rev.Rescale(2)
		sum.revenue += units
	}
	if sum.booked != got.BookedTickets || sum.cancelled != got.CancelledTickets || stEUR(sum.revenue) != got.Revenue.Amount {
		t.Errorf("the series adds up to booked %d cancelled %d revenue %s; totals are %d, %d, %s",
			sum.booked, sum.cancelled, stEUR(sum.revenue), got.BookedTickets, got.CancelledTickets, got.Revenue.Amount)
	}
	if len(got.Series) != len(want.buckets) {
		var starts []string
		for _, w := range want.buckets {
			starts = append(starts, w.start.UTC().Format(time.RFC3339))
		}
		t.Errorf("series has %d buckets %+v, want %d starting %v", len(got.Series), got.Series, len(want.buckets), starts)
		return
	}
	for i, w := range want.buckets {
		g := got.Series[i]
		exp := stBucket{Start: w.start.UTC().Format(time.RFC3339), BookedTickets: w.booked, CancelledTickets: w.cancelled,
			Revenue: stMoney{stEUR(w.revenue), "EUR"}, CheckIns: w.checkIns}
		if cxTime(t, g.Start).Equal(w.start) {
			exp.Start = g.Start
		}
		if g != exp {
			t.Errorf("series[%d] = %+v, want %+v", i, g, exp)
		}
	}
}

// stToNoon moves the engine's clock to the next noon in loc, so that what the
// test does next lands well inside one local day.
func stToNoon(e *graphtest.Env, loc *time.Location) {
	now := e.Clock.Now().In(loc)
	noon := time.Date(now.Year(), now.Month(), now.Day(), 12, 0, 0, 0, loc)
	if !noon.After(now) {
		noon = time.Date(now.Year(), now.Month(), now.Day()+1, 12, 0, 0, 0, loc)
	}
	e.Clock.Advance(noon.Sub(now))
}

type stPayment struct {
	ID     string  `json:"id"`
	Kind   string  `json:"kind"`
	Status string  `json:"status"`
	PaidAt *string `json:"paidAt"`
	Amount stMoney `json:"amount"`
}

const stPaymentSel = "payment { id kind status paidAt amount { amount currency } }"

func TestEventStatistics(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Statistics", map[string]any{"capacity": 100, "timeZone": "Europe/Berlin", "currency": "EUR"})
		if ev.TimeZone != "Europe/Berlin" {
			t.Fatalf("timeZone %q", ev.TimeZone)
		}
		created := cxTime(t, ev.CreatedAt)
		std, free := ev.cat(t, "Standard"), ev.cat(t, "Free")
		var acts []stAct
		did := func(a stAct) { a.at = e.Clock.Now(); acts = append(acts, a) }
		pay := func(bookingID, amount, status string) stPayment {
			t.Helper()
			var p stPayment
			cxDo(t, e, "recordPayment", stPaymentSel, map[string]any{"bookingId": bookingID, "amount": amount, "method": "CARD", "status": status}).get(t, "payment", &p)
			return p
		}
		checkIn := func(code string) {
			t.Helper()
			cxDo(t, e, "checkInTicket", "ticket { id }", map[string]any{"code": code, "eventId": ev.ID}).get(t, "ticket", nil)
		}

		// Day 1: a card booking paid at once, a free booking checked in.
		stToNoon(e, loc)
		day1 := e.Clock.Now()
		b1 := cxBook(t, e, cxBookingInput("one@example.com", "CARD", std, std))
		did(stAct{booked: 2})
		if p := pay(b1.ID, "100.00", "SUCCEEDED"); p.PaidAt == nil {
			t.Fatalf("succeeded payment without paidAt: %+v", p)
		}
		did(stAct{revenue: 10000})
		b2 := cxBook(t, e, cxBookingInput("two@example.com", "FREE", free))
		did(stAct{booked: 1})
		checkIn(b2.Tickets.Nodes[0].Code)
		did(stAct{checkIns: 1})

		// Day 2: an invoice booking; a failed and a pending payment, the
		// pending one succeeds later; two check-ins, one undone.
		stToNoon(e, loc)
		day2 := e.Clock.Now()
		b3 := cxBook(t, e, cxBookingInput("three@example.com", "INVOICE", std, std, std))
		did(stAct{booked: 3})
		pay(b3.ID, "150.00", "FAILED")
		p3 := pay(b3.ID, "150.00", "PENDING")
		e.Clock.Advance(time.Minute)
		cxDo(t, e, "updatePaymentStatus", stPaymentSel, map[string]any{"id": p3.ID, "status": "SUCCEEDED"}).get(t, "payment", nil)
		did(stAct{revenue: 15000})
		checkIn(b3.Tickets.Nodes[0].Code)
		checkIn(b3.Tickets.Nodes[1].Code)
		cxDo(t, e, "undoCheckIn", "ticket { id }", map[string]any{"id": b3.Tickets.Nodes[1].ID}).get(t, "ticket", nil)
		did(stAct{checkIns: 1})

		// Day 3: the card booking is cancelled with a full refund, part of
		// the invoice payment is refunded, a new booking waits for payment.
		stToNoon(e, loc)
		day3 := e.Clock.Now()
		var cancelled struct {
			Booking struct {
				Status string `json:"status"`
			} `json:"booking"`
			Refund stPayment `json:"refund"`
		}
		p := cxDo(t, e, "cancelBooking", "booking { status } refund { id kind status amount { amount currency } }",
			map[string]any{"id": b1.ID, "applyPolicy": false, "reason": "ill"})
		p.get(t, "booking", &cancelled.Booking)
		p.get(t, "refund", &cancelled.Refund)
		if cancelled.Booking.Status != "CANCELLED" || cancelled.Refund.Amount.Amount != "100.00" || cancelled.Refund.Status != "SUCCEEDED" {
			t.Fatalf("cancellation: %+v", cancelled)
		}
		did(stAct{cancelled: 2, refunded: 10000})
		var refund stPayment
		cxDo(t, e, "refundPayment", stPaymentSel, map[string]any{"id": p3.ID, "amount": "20.00"}).get(t, "payment", &refund)
		if refund.Kind != "REFUND" || refund.Amount.Amount != "20.00" {
			t.Fatalf("refund: %+v", refund)
		}
		did(stAct{refunded: 2000})
		b4 := cxBook(t, e, cxBookingInput("four@example.com", "CARD", std))
		if b4.Status != "PENDING" {
			t.Fatalf("b4 is %s", b4.Status)
		}
		did(stAct{booked: 1})
		pay(b4.ID, "10.00", "FAILED")
		e.Clock.Advance(time.Minute)
		now := e.Clock.Now()

		mid := func(day time.Time) time.Time {
			l := day.In(loc)
			return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
		}
		rfc := func(ts time.Time) string { return ts.UTC().Format(time.RFC3339Nano) }
		cases := []struct {
			name     string
			query    string
			from, to *time.Time
			interval string // sent; "" : null
			mode     string // bucketing to expect
		}{
			{name: "default interval and window", query: stQueryDefault, mode: "DAY"},
			{name: "DAY", query: stQuery, interval: "DAY", mode: "DAY"},
			{name: "WEEK", query: stQuery, interval: "WEEK", mode: "WEEK"},
			{name: "HOUR", query: stQuery, interval: "HOUR", mode: "HOUR"},
			{name: "day 2 only", query: stQuery, from: stPtr(mid(day2)), to: stPtr(mid(day3)), interval: "DAY", mode: "DAY"},
			{name: "from day 3", query: stQueryDefault, from: stPtr(mid(day3)), mode: "DAY"},
			{name: "until day 2", query: stQuery, to: stPtr(mid(day2)), interval: "DAY", mode: "DAY"},
			{name: "unaligned window", query: stQuery, from: stPtr(day2.Add(time.Hour)), to: stPtr(day3.Add(time.Hour)), interval: "DAY", mode: "DAY"},
			{name: "unaligned window by week", query: stQuery, from: stPtr(day1.Add(time.Hour)), to: stPtr(day3.Add(-time.Hour)), interval: "WEEK", mode: "WEEK"},
			{name: "unaligned window by hour", query: stQuery, from: stPtr(day2.Add(-90 * time.Minute)), to: stPtr(day2.Add(3 * time.Hour)), interval: "HOUR", mode: "HOUR"},
			{name: "empty window", query: stQuery, from: stPtr(mid(day1).Add(-48 * time.Hour)), to: stPtr(mid(day1).Add(-24 * time.Hour)), interval: "DAY", mode: "DAY"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				vars := map[string]any{"id": ev.ID}
				from, to := created, now
				if c.from != nil {
					// The DateTime scalar keeps microseconds; expect what it keeps.
					vars["from"], from = rfc(*c.from), c.from.Truncate(time.Microsecond)
				}
				if c.to != nil {
					vars["to"], to = rfc(*c.to), c.to.Truncate(time.Microsecond)
				}
				if c.interval != "" {
					vars["interval"] = c.interval
				}
				var out struct {
					EventStatistics stStats `json:"eventStatistics"`
				}
				e.Query(t, c.query, vars, &out)
				got := out.EventStatistics
				// The figures "as of now" do not depend on the window.
				if got.Capacity == nil || *got.Capacity != 100 || got.RegisteredCount != 5 || got.WaitlistCount != 0 || got.CheckedInCount != 2 {
					t.Errorf("capacity %v registeredCount %d waitlistCount %d checkedInCount %d, want 100, 5, 0, 2",
						got.Capacity, got.RegisteredCount, got.WaitlistCount, got.CheckedInCount)
				}
				want := stExpect(acts, from, to, c.mode, loc)
				if c.to == nil {
					// The server's "now" is a little later than the test's.
					want = stExpect(acts, from, e.Clock.Now(), c.mode, loc)
				}
				stCheck(t, got, want, c.mode, loc)
				if c.mode == "DAY" {
					for _, b := range got.Series {
						// Berlin midnight in UTC: 23:00 in winter, 22:00 in summer.
						if !strings.HasSuffix(b.Start, "T23:00:00Z") && !strings.HasSuffix(b.Start, "T22:00:00Z") {
							t.Errorf("DAY bucket %s is not Berlin midnight", b.Start)
						}
					}
				}
			})
		}

		t.Run("whole history adds up", func(t *testing.T) {
			var out struct {
				EventStatistics stStats `json:"eventStatistics"`
			}
			e.Query(t, stQueryDefault, map[string]any{"id": ev.ID}, &out)
			got := out.EventStatistics
			checkIns := 0
			for _, b := range got.Series {
				checkIns += b.CheckIns
			}
			if got.BookedTickets != 7 || got.CancelledTickets != 2 || got.Revenue.Amount != "250.00" || got.Refunded.Amount != "120.00" || checkIns != 2 {
				t.Errorf("booked %d cancelled %d revenue %s refunded %s check-ins %d; want 7, 2, 250.00, 120.00, 2",
					got.BookedTickets, got.CancelledTickets, got.Revenue.Amount, got.Refunded.Amount, checkIns)
			}
			if checkIns != got.CheckedInCount {
				t.Errorf("check-ins in the series %d, checkedInCount %d", checkIns, got.CheckedInCount)
			}
		})
	})
}

// TestEventStatisticsErrors: requests the server refuses get a top-level
// error with a client code, never INTERNAL_SERVER_ERROR.
func TestEventStatisticsErrors(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Stats errors", nil)
		b := cxBook(t, e, cxBookingInput("err@example.com", "INVOICE", ev.cat(t, "Standard")))
		cases := []struct {
			name  string
			vars  map[string]any
			codes []string // acceptable codes
		}{
			{name: "unknown event", vars: map[string]any{"id": cxUnknownID(t, ev.ID)}, codes: []string{"NOT_FOUND"}},
			{name: "a booking's id", vars: map[string]any{"id": b.ID}, codes: []string{"NOT_FOUND", "BAD_USER_INPUT"}},
			{name: "malformed id", vars: map[string]any{"id": "nope"}, codes: []string{"BAD_USER_INPUT", "NOT_FOUND"}},
			{name: "to before from", vars: map[string]any{"id": ev.ID, "from": "2026-12-02T00:00:00Z", "to": "2026-12-01T00:00:00Z"}, codes: []string{"BAD_USER_INPUT"}},
			{name: "bad interval", vars: map[string]any{"id": ev.ID, "interval": "MONTH"}, codes: []string{"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := e.Do(t, stQuery, c.vars)
				if len(r.Errors) == 0 {
					t.Fatalf("no error; data %s", r.Data)
				}
				code := r.Errors[0].Code()
				ok := false
				for _, want := range c.codes {
					ok = ok || code == want
				}
				if !ok {
					t.Errorf("code %q (%s), want one of %v", code, r.Errors[0].Message, c.codes)
				}
				if strings.Contains(string(r.Data), "series") {
					t.Errorf("a refused request returned statistics: %s", r.Data)
				}
			})
		}
	})
}

// TestHistoryTimestamps: every row records when it was created and last
// changed, and updatedAt moves on a change (rule 12, first sentence).
func TestHistoryTimestamps(t *testing.T) {
	graphtest.Each(t, func(t *testing.T, e *graphtest.Env) {
		ev := cxEvent(t, e, "Timestamps", nil)
		b := cxBook(t, e, cxBookingInput("stamp@example.com", "CARD", ev.cat(t, "Standard")))
		var pay stPayment
		cxDo(t, e, "recordPayment", stPaymentSel, map[string]any{"bookingId": b.ID, "amount": "10.00", "method": "CARD", "status": "PENDING"}).
			get(t, "payment", &pay)
		var tk struct {
			Registration struct {
				ID string `json:"id"`
			} `json:"registration"`
		}
		cxNode(t, e, b.Tickets.Nodes[0].ID, "Ticket", "registration { id }", &tk)

		steps := []struct {
			typ, id string
			change  func(t *testing.T)
		}{
			{"Event", ev.ID, func(t *testing.T) {
				cxDo(t, e, "updateEvent", "event { id }", map[string]any{"id": ev.ID, "title": "Timestamps 2"}).get(t, "event", nil)
			}},
			{"Booking", b.ID, func(t *testing.T) {
				cxDo(t, e, "setInvoiceNumber", "booking { id }", map[string]any{"id": b.ID, "invoiceNumber": "TS-1"}).get(t, "booking", nil)
			}},
			{"Payment", pay.ID, func(t *testing.T) {
				cxDo(t, e, "updatePaymentStatus", stPaymentSel, map[string]any{"id": pay.ID, "status": "SUCCEEDED"}).get(t, "payment", nil)
			}},
			{"Booking", b.ID, func(t *testing.T) {
				cxDo(t, e, "recordPayment", stPaymentSel, map[string]any{"bookingId": b.ID, "amount": "40.00", "method": "CARD"}).get(t, "payment", nil)
			}},
			{"Ticket", b.Tickets.Nodes[0].ID, func(t *testing.T) {
				cxDo(t, e, "checkInTicket", "ticket { id }", map[string]any{"code": b.Tickets.Nodes[0].Code}).get(t, "ticket", nil)
			}},
			{"Participant", b.Booker.ID, func(t *testing.T) {
				cxDo(t, e, "updateParticipant", "participant { id }", map[string]any{"id": b.Booker.ID, "company": "ACME"}).get(t, "participant", nil)
			}},
			{"Registration", tk.Registration.ID, func(t *testing.T) {
				cxDo(t, e, "cancelBooking", "booking { id }", map[string]any{"id": b.ID}).get(t, "booking", nil)
			}},
		}
		type stamps struct {
			CreatedAt string `json:"createdAt"`
			UpdatedAt string `json:"updatedAt"`
		}
		for _, s := range steps {
			t.Run(s.typ, func(t *testing.T) {
				var before, after stamps
				cxNode(t, e, s.id, s.typ, "createdAt updatedAt", &before)
				c0, u0 := cxTime(t, before.CreatedAt), cxTime(t, before.UpdatedAt)
				if u0.Before(c0) {
					t.Errorf("updatedAt %s before createdAt %s", before.UpdatedAt, before.CreatedAt)
				}
				time.Sleep(2 * time.Millisecond)
				s.change(t)
				cxNode(t, e, s.id, s.typ, "createdAt updatedAt", &after)
				if after.CreatedAt != before.CreatedAt {
					t.Errorf("createdAt changed from %s to %s", before.CreatedAt, after.CreatedAt)
				}
				if u1 := cxTime(t, after.UpdatedAt); !u1.After(u0) {
					t.Errorf("updatedAt did not move on change: %s, was %s", after.UpdatedAt, before.UpdatedAt)
				}
			})
		}
	})
}

func stPtr(t time.Time) *time.Time { return &t }
