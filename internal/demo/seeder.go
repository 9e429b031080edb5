package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"seatgraph/ent"
	entbooking "seatgraph/ent/booking"
	"seatgraph/ent/ticket"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/booking"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// The demo data is not written row by row: a seeded random source plans a
// story of about two months, and the story is played through the catalog and
// the booking engine, whose clock the seeder moves from one step to the
// next. The engine thus applies every rule itself (capacity, holds, the
// waitlist, cancellation policies, counters, history) and stamps its rows
// with the story's times. The catalog stamps its rows with the real time.

// clock is the booking engine's movable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// step is one thing that happens at a moment of the story.
type step struct {
	at  time.Time
	seq int // breaks ties: what was planned first happens first
	run func() error
}

// sEvent is a demo event while the story runs.
type sEvent struct {
	spec                  eventSpec
	created, starts, ends time.Time
	opens, closes         time.Time // its registration window
	cancelAt              time.Time // zero unless the organizer cancels it
	id                    int
	used                  map[*sPerson]bool // has a ticket or registration on it
	weights               map[string]int    // category name: how often bookers pick it
}

type sPerson struct{ spec personSpec }

type invoiceMode int

const (
	invoiceUnpaid invoiceMode = iota
	invoicePaid
	invoicePartlyPaid
)

// bookOpt is one booking to make.
type bookOpt struct {
	status        domain.BookingStatus // the status it ends in
	method        domain.PaymentMethod // CARD, INVOICE or FREE
	qty           int                  // 0: random
	cats          []string             // category per ticket; nil: random
	invoice       invoiceMode
	invoiceNumber bool
	failedAttempt bool      // a declined card payment before (or instead of) the good one
	cancelHours   int       // CANCELLED: this many hours before the start; 0: random
	byOrganizer   bool      // CANCELLED with its event, by the organizer
	partialCancel bool      // CONFIRMED: its last ticket is cancelled
	goodwill      int64     // CONFIRMED: refunded later as a goodwill gesture
	after         time.Time // made no earlier than this
	before        time.Time // made no later than this
	extra         *sEvent   // one more ticket, for the booker, on this event
	extraCat      string
}

type seeder struct {
	ctx    context.Context // carries the tenant
	client *ent.Client
	cat    *catalog.Catalog
	eng    *booking.Engine
	clk    *clock
	rng    *rand.Rand
	now    time.Time

	events []*sEvent
	byKey  map[string]*sEvent
	people []*sPerson

	steps    []*step
	seq      int
	invoices int
}

func newSeeder(ctx context.Context, client *ent.Client, dialect string, now time.Time) (*seeder, error) {
	clk := &clock{t: now.Add(-62 * 24 * time.Hour)}
	eng := booking.New(client, dialect, booking.Options{Now: clk.now, ManualExpiry: true})
	s := &seeder{
		ctx:    ctx,
		client: client,
		cat:    catalog.New(client, catalog.Hooks{CancelBookings: eng.CancelEventBookings, CapacityRaised: eng.CapacityChanged}),
		eng:    eng,
		clk:    clk,
		// a fixed seed: the same story for the same seeding time.
		rng:   rand.New(rand.NewPCG(20260101, 0x5ea7_9a9f)),
		now:   now,
		byKey: map[string]*sEvent{},
	}
	for i, spec := range eventSpecs {
		loc, err := time.LoadLocation(spec.timeZone)
		if err != nil {
			return nil, fmt.Errorf("demo: time zone %s: %w", spec.timeZone, err)
		}
		e := &sEvent{spec: spec, used: map[*sPerson]bool{}, weights: map[string]int{}}
		e.created = now.Add(-time.Duration(spec.createdDaysAgo)*24*time.Hour + time.Duration(i)*37*time.Minute).Truncate(time.Second)
		day := now.In(loc).AddDate(0, 0, spec.startInDays)
		e.starts = time.Date(day.Year(), day.Month(), day.Day(), spec.startHour, spec.startMinute, 0, 0, loc).UTC()
		e.ends = e.starts.Add(time.Duration(spec.durationHours) * time.Hour)
		e.opens = e.created.Add(time.Hour).Truncate(time.Hour)
		e.closes = e.starts.Add(-time.Duration(spec.closeHours) * time.Hour)
		if spec.status == domain.EventStatusCancelled {
			e.cancelAt = now.Add(-time.Duration(spec.cancelledDaysAgo)*24*time.Hour - 2*time.Hour).Truncate(time.Second)
		}
		for _, c := range spec.categories {
			e.weights[c.name] = c.weight
		}
		s.events = append(s.events, e)
		s.byKey[spec.key] = e
	}
	for _, spec := range personSpecs {
		s.people = append(s.people, &sPerson{spec: spec})
	}
	return s, nil
}

// at plans fn for the moment t of the story.
func (s *seeder) at(t time.Time, fn func() error) {
	s.seq++
	s.steps = append(s.steps, &step{at: t, seq: s.seq, run: fn})
}

// play runs the planned steps in time order, moving the engine's clock to
// each; steps plan further steps as they go.
func (s *seeder) play() error {
	for len(s.steps) > 0 {
		next := 0
		for i, st := range s.steps {
			if st.at.Before(s.steps[next].at) || (st.at.Equal(s.steps[next].at) && st.seq < s.steps[next].seq) {
				next = i
			}
		}
		st := s.steps[next]
		s.steps = append(s.steps[:next], s.steps[next+1:]...)
		if st.at.Before(s.clk.now()) || st.at.After(s.now) {
			return fmt.Errorf("demo: step at %s is out of the story (clock %s, end %s)", st.at, s.clk.now(), s.now)
		}
		s.clk.set(st.at)
		if err := st.run(); err != nil {
			return err
		}
	}
	s.clk.set(s.now)
	return nil
}

// between returns a random time in [lo, hi] in whole seconds.
func (s *seeder) between(lo, hi time.Time) (time.Time, error) {
	if hi.Before(lo) {
		return time.Time{}, fmt.Errorf("demo: empty time window %s .. %s", lo, hi)
	}
	return lo.Add(time.Duration(s.rng.Int64N(int64(hi.Sub(lo)/time.Second)+1)) * time.Second), nil
}

func (s *seeder) minutes(lo, hi int) time.Duration {
	return time.Duration(lo*60+s.rng.IntN((hi-lo)*60+1)) * time.Second
}

func (s *seeder) chance(percent int) bool { return s.rng.IntN(100) < percent }

func (s *seeder) token(prefix string, n int) *string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var b strings.Builder
	b.WriteString(prefix)
	for range n {
		b.WriteByte(alnum[s.rng.IntN(len(alnum))])
	}
	v := b.String()
	return &v
}

func earliest(ts ...time.Time) time.Time {
	out := ts[0]
	for _, t := range ts[1:] {
		if t.Before(out) {
			out = t
		}
	}
	return out
}

// amount writes minor units of currency as the Decimal the inputs take.
func amount(units int64, currency string) money.Decimal {
	return money.Decimal{Units: units, Scale: money.Digits(currency)}
}

func percent(hundredths int64) *money.Decimal {
	return &money.Decimal{Units: hundredths, Scale: 2}
}

func strp(s string) *string { return &s }

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (pp *sPerson) input() catalog.ParticipantInput {
	s := pp.spec
	return catalog.ParticipantInput{
		FirstName: s.first, LastName: s.last, Email: s.email,
		Phone: nonEmpty(s.phone), Company: nonEmpty(s.company), JobTitle: nonEmpty(s.jobTitle),
		Address: nonEmpty(s.address), ZipCode: nonEmpty(s.zip), City: nonEmpty(s.city),
		CountryCode: nonEmpty(s.country), ExternalRef: nonEmpty(s.externalRef),
	}
}

// createParticipants adds every demo person through the catalog.
func (s *seeder) createParticipants() error {
	for _, pp := range s.people {
		if _, err := s.cat.CreateParticipant(s.ctx, pp.input()); err != nil {
			return fmt.Errorf("demo: participant %s: %w", pp.spec.email, err)
		}
	}
	return nil
}

// planEvent plans an event's creation, publication and cancellation.
func (s *seeder) planEvent(e *sEvent) {
	s.at(e.created, func() error { return s.createEvent(e) })
	if e.spec.status == domain.EventStatusDraft {
		return
	}
	s.at(e.created.Add(20*time.Minute), func() error {
		if _, err := s.cat.PublishEvent(s.ctx, catalog.PublishEventInput{ID: e.id}); err != nil {
			return fmt.Errorf("demo: publish %s: %w", e.spec.key, err)
		}
		return nil
	})
	if !e.cancelAt.IsZero() {
		s.at(e.cancelAt, func() error {
			if _, err := s.cat.CancelEvent(s.ctx, catalog.CancelEventInput{ID: e.id, Reason: strp(e.spec.cancelReason)}); err != nil {
				return fmt.Errorf("demo: cancel %s: %w", e.spec.key, err)
			}
			return nil
		})
	}
	if e.starts.Before(s.now) {
		// the doors open 45 minutes before the start
		s.at(e.starts.Add(-45*time.Minute), func() error { return s.doors(e) })
	}
}

func policyInput(p *domain.CancellationPolicy, currency string) *catalog.CancellationPolicyInput {
	if p == nil {
		return nil
	}
	in := &catalog.CancellationPolicyInput{}
	for _, r := range p.Rules {
		ri := &catalog.CancellationRuleInput{HoursBeforeStart: r.HoursBeforeStart, KeepPercent: *percent(r.KeepPercent)}
		if r.FixedFee != nil {
			fee := amount(*r.FixedFee, currency)
			ri.FixedFee = &fee
		}
		in.Rules = append(in.Rules, ri)
	}
	return in
}

func (s *seeder) createEvent(e *sEvent) error {
	sp := e.spec
	in := catalog.CreateEventInput{
		Title:                sp.title,
		Description:          nonEmpty(sp.description),
		StartsAt:             e.starts,
		EndsAt:               &e.ends,
		TimeZone:             strp(sp.timeZone),
		Venue:                nonEmpty(sp.venue),
		Address:              nonEmpty(sp.address),
		OnlineURL:            nonEmpty(sp.onlineURL),
		Category:             nonEmpty(sp.category),
		Capacity:             sp.capacity,
		WaitlistEnabled:      &sp.waitlist,
		RegistrationOpensAt:  &e.opens,
		RegistrationClosesAt: &e.closes,
		MaxTicketsPerBooking: sp.maxPerBooking,
		Currency:             strp(sp.currency),
		CancellationPolicy:   policyInput(sp.policy, sp.currency),
	}
	for _, c := range sp.categories {
		ci := &catalog.TicketCategoryInput{
			Name:           c.name,
			Price:          amount(c.price, sp.currency),
			TaxRatePercent: percent(c.taxRate),
			Capacity:       c.capacity,
			Description:    nonEmpty(c.description),
			SalesStartAt:   &e.opens,
		}
		if c.salesEndsH > 0 {
			end := e.starts.Add(-time.Duration(c.salesEndsH) * time.Hour)
			ci.SalesEndAt = &end
		}
		in.TicketCategories = append(in.TicketCategories, ci)
	}
	ev, err := s.cat.CreateEvent(s.ctx, in)
	if err != nil {
		return fmt.Errorf("demo: event %s: %w", sp.key, err)
	}
	e.id = ev.ID
	return nil
}

// person picks a participant without a ticket or registration on any of
// evs, preferring region; nil when everybody is taken.
func (s *seeder) person(region string, evs ...*sEvent) *sPerson {
	var local, any []*sPerson
	for _, pp := range s.people {
		free := true
		for _, e := range evs {
			free = free && !e.used[pp]
		}
		if !free {
			continue
		}
		any = append(any, pp)
		if pp.spec.region == region {
			local = append(local, pp)
		}
	}
	if len(local) > 0 && s.chance(75) {
		return local[s.rng.IntN(len(local))]
	}
	if len(any) == 0 {
		return nil
	}
	return any[s.rng.IntN(len(any))]
}

func (s *seeder) quantity(max *int) int {
	var q int
	switch r := s.rng.IntN(100); {
	case r < 50:
		q = 1
	case r < 80:
		q = 2
	case r < 92:
		q = 3
	default:
		q = 4
	}
	if max != nil && q > *max {
		q = *max
	}
	return q
}

// categories picks n categories of e by weight among those on sale now with
// seats left (unless the booking is to wait) and, for free bookings, only
// free ones; names fixes some of them.
func (s *seeder) categories(e *sEvent, n int, names []string, free, waiting bool) ([]*ent.TicketCategory, error) {
	rows, err := s.client.TicketCategory.Query().Where(ticketcategory.EventID(e.id)).Order(ent.Asc(ticketcategory.FieldID)).All(s.ctx)
	if err != nil {
		return nil, err
	}
	now := s.clk.now()
	taken := map[int]int{}
	out := make([]*ent.TicketCategory, 0, n)
	for i := range n {
		var cands []*ent.TicketCategory
		total := 0
		for _, c := range rows {
			switch {
			case i < len(names) && names[i] != "" && c.Name != names[i]:
			case free && c.Price != 0:
			case c.SalesStartAt != nil && now.Before(*c.SalesStartAt):
			case c.SalesEndAt != nil && !now.Before(*c.SalesEndAt):
			case !waiting && c.Capacity != nil && c.SoldCount+taken[c.ID] >= *c.Capacity:
			default:
				cands = append(cands, c)
				total += e.weights[c.Name]
			}
		}
		if len(cands) == 0 || total == 0 {
			return nil, fmt.Errorf("demo: no category left on %s", e.spec.key)
		}
		r := s.rng.IntN(total)
		pick := cands[len(cands)-1]
		for _, c := range cands {
			if r < e.weights[c.Name] {
				pick = c
				break
			}
			r -= e.weights[c.Name]
		}
		taken[pick.ID]++
		out = append(out, pick)
	}
	return out, nil
}

// bookingTime draws when a booking of o on e is made.
func (s *seeder) bookingTime(e *sEvent, o bookOpt) (time.Time, error) {
	if o.status == domain.BookingStatusPending {
		// still holding its seats when the story ends
		return s.now.Add(-s.minutes(1, 11)), nil
	}
	lo, hi := e.opens, e.closes
	if o.after.After(lo) {
		lo = o.after
	}
	if !o.before.IsZero() {
		hi = earliest(hi, o.before)
	}
	if x := o.extra; x != nil {
		if x.opens.After(lo) {
			lo = x.opens
		}
		hi = earliest(hi, x.closes)
	}
	hi = earliest(hi, s.now.Add(-2*time.Hour))
	if !e.cancelAt.IsZero() {
		hi = earliest(hi, e.cancelAt.Add(-time.Hour))
	}
	if o.status == domain.BookingStatusCancelled && o.cancelHours > 0 {
		hi = earliest(hi, e.starts.Add(-time.Duration(o.cancelHours+24)*time.Hour))
	}
	if (o.status == domain.BookingStatusCancelled && !o.byOrganizer && o.cancelHours == 0) || o.partialCancel || o.goodwill > 0 {
		// leave a few days to change one's mind
		hi = earliest(hi, s.now.Add(-72*time.Hour))
	}
	t, err := s.between(lo, hi)
	if err != nil {
		return t, fmt.Errorf("%s: %w", e.spec.key, err)
	}
	return t, nil
}

// planBooking plans a booking of o on e, made at a random moment.
func (s *seeder) planBooking(e *sEvent, o bookOpt) (time.Time, error) {
	t, err := s.bookingTime(e, o)
	if err != nil {
		return t, err
	}
	s.at(t, func() error { return s.book(e, o) })
	return t, nil
}

// made is a booking the story made.
type made struct {
	ev      *sEvent
	o       bookOpt
	id      int
	total   int64
	cur     string
	tickets []*ent.Ticket
	paid    *ent.Payment // the card payment that confirmed it
}

// book makes the booking now, through the engine, and plans what happens
// to it later.
func (s *seeder) book(e *sEvent, o bookOpt) error {
	evs := []*sEvent{e}
	if o.extra != nil {
		evs = append(evs, o.extra)
	}
	booker := s.person(e.spec.region, evs...)
	if booker == nil {
		return fmt.Errorf("demo: no participant left for %s", e.spec.key)
	}
	qty := o.qty
	if len(o.cats) > 0 {
		qty = len(o.cats)
	}
	if qty == 0 {
		qty = s.quantity(e.spec.maxPerBooking)
	}
	waiting := o.status == domain.BookingStatusWaitlisted
	free := o.method == domain.PaymentMethodFree
	cats, err := s.categories(e, qty, o.cats, free, waiting)
	if err != nil {
		return err
	}
	in, err := s.bookingInput(e, o, booker, cats, waiting, free)
	if err != nil {
		return err
	}
	b, err := s.eng.CreateBooking(s.ctx, in)
	if err != nil {
		return fmt.Errorf("demo: booking on %s: %w", e.spec.key, err)
	}
	want := domain.BookingStatusConfirmed
	switch {
	case waiting:
		want = domain.BookingStatusWaitlisted
	case b.Total > 0 && o.method == domain.PaymentMethodCard:
		want = domain.BookingStatusPending
	}
	if b.Status != want {
		return fmt.Errorf("demo: booking %s on %s is %s, planned %s", b.OrderNumber, e.spec.key, b.Status, want)
	}
	m := &made{ev: e, o: o, id: b.ID, total: b.Total, cur: b.Currency}
	if m.tickets, err = s.client.Ticket.Query().Where(ticket.BookingID(b.ID)).Order(ent.Asc(ticket.FieldID)).All(s.ctx); err != nil {
		return err
	}
	return s.follow(m)
}

// bookingInput is what the booker would send: a ticket per category, later
// tickets held by companions, the extra event's ticket, and the answers and
// campaign a booking form would collect.
func (s *seeder) bookingInput(e *sEvent, o bookOpt, booker *sPerson, cats []*ent.TicketCategory, waiting, free bool) (booking.CreateBookingInput, error) {
	in := booking.CreateBookingInput{Booker: booker.input(), PaymentMethod: o.method}
	e.used[booker] = true
	for i, c := range cats {
		t := &booking.TicketInput{TicketCategoryID: c.ID}
		if i > 0 {
			if h := s.person(e.spec.region, e); h != nil {
				hin := h.input()
				t.Holder = &hin
				e.used[h] = true
			}
		}
		in.Tickets = append(in.Tickets, t)
	}
	if x := o.extra; x != nil {
		xc, err := s.categories(x, 1, []string{o.extraCat}, free, waiting)
		if err != nil {
			return in, err
		}
		in.Tickets = append(in.Tickets, &booking.TicketInput{TicketCategoryID: xc[0].ID})
		x.used[booker] = true
	}
	if waiting {
		in.JoinWaitlist = &waiting
	}
	// what a booking form would ask for
	if e.spec.key == "goconf" || e.spec.key == "dataday" {
		in.CustomFieldAnswers = []*booking.CustomFieldAnswerInput{
			{Label: "Dietary requirements", Answer: dietaryAnswers[s.rng.IntN(len(dietaryAnswers))]},
			{Label: "T-shirt size", Answer: shirtSizes[s.rng.IntN(len(shirtSizes))]},
		}
	}
	if s.chance(40) {
		u := utmSources[s.rng.IntN(len(utmSources))]
		in.UtmSource, in.UtmMedium, in.UtmCampaign = strp(u.source), strp(u.medium), strp(e.spec.key+"-launch")
	}
	if o.method == domain.PaymentMethodInvoice {
		in.InvoiceAddress = strp(invoiceAddress(booker))
	}

	return in, nil
}

// follow plans what happens to a booking after it was made.
func (s *seeder) follow(m *made) error {
	t0 := s.clk.now()
	if s.followUnconfirmed(m, t0) {
		return nil
	}
	return s.changesOfMind(m, s.payments(m, t0))
}

// followUnconfirmed plans the end of a booking that is never confirmed
// (waitlisted, pending, expired) and reports whether it was one.
func (s *seeder) followUnconfirmed(m *made, t0 time.Time) bool {
	o := m.o
	switch o.status {
	case domain.BookingStatusWaitlisted:
		return true
	case domain.BookingStatusPending:
		if o.failedAttempt {
			s.at(t0.Add(50*time.Second), func() error { return s.failedPayment(m) })
		}
		return true
	case domain.BookingStatusExpired:
		if o.failedAttempt {
			s.at(t0.Add(2*time.Minute), func() error { return s.failedPayment(m) })
		}
		// the hold runs out; the sweeper notices a little later
		s.at(t0.Add(15*time.Minute+s.minutes(1, 20)), func() error {
			_, err := s.eng.Sweep(s.ctx)
			return err
		})
		return true
	}
	return false
}

// payments plans how a confirmed booking gets paid and returns when it was
// confirmed.
func (s *seeder) payments(m *made, t0 time.Time) time.Time {
	o := m.o
	confirmed := t0
	switch o.method {
	case domain.PaymentMethodCard:
		if o.failedAttempt {
			s.at(t0.Add(40*time.Second), func() error { return s.failedPayment(m) })
		}
		confirmed = t0.Add(s.minutes(1, 4))
		if o.failedAttempt {
			confirmed = confirmed.Add(2 * time.Minute)
		}
		s.at(confirmed, func() error { return s.cardPayment(m) })
	case domain.PaymentMethodInvoice:
		if o.invoiceNumber {
			s.at(earliest(t0.Add(s.minutes(60, 360)), s.now.Add(-time.Hour)), func() error { return s.invoiceNumber(m) })
		}
		if o.invoice != invoiceUnpaid {
			paidAt := earliest(t0.Add(time.Duration(3+s.rng.IntN(10))*24*time.Hour+s.minutes(0, 600)), s.now.Add(-time.Hour))
			s.at(paidAt, func() error { return s.bankTransfer(m) })
		}
	}
	return confirmed
}

// changesOfMind plans cancellations and refunds, at least a day after the
// booking was confirmed.
func (s *seeder) changesOfMind(m *made, confirmed time.Time) error {
	o := m.o
	later := func(hi time.Time) (time.Time, error) {
		hi = earliest(hi, s.now.Add(-time.Hour), m.ev.starts.Add(-time.Hour))
		return s.between(confirmed.Add(24*time.Hour), hi)
	}
	switch {
	case o.status == domain.BookingStatusCancelled && o.byOrganizer:
		// cancelled with its event
	case o.status == domain.BookingStatusCancelled:
		at, err := later(s.now)
		if o.cancelHours > 0 {
			at, err = m.ev.starts.Add(-time.Duration(o.cancelHours)*time.Hour-s.minutes(5, 50)), nil
		}
		if err != nil {
			return fmt.Errorf("%s cancel: %w", m.ev.spec.key, err)
		}
		reason := cancelReasons[s.rng.IntN(len(cancelReasons))]
		s.at(at, func() error { return s.cancel(m, reason, nil) })
	case o.partialCancel:
		at, err := later(s.now)
		if err != nil {
			return fmt.Errorf("%s partial cancel: %w", m.ev.spec.key, err)
		}
		last := m.tickets[len(m.tickets)-1].ID
		s.at(at, func() error { return s.cancel(m, "One attendee can no longer come", []int{last}) })
	}
	if o.goodwill > 0 {
		at, err := later(s.now)
		if err != nil {
			return fmt.Errorf("%s goodwill refund: %w", m.ev.spec.key, err)
		}
		s.at(at, func() error { return s.goodwillRefund(m) })
	}
	return nil
}

func (s *seeder) failedPayment(m *made) error {
	failed := domain.PaymentRecordStatusFailed
	_, _, err := s.eng.RecordPayment(s.ctx, booking.RecordPaymentInput{
		BookingID: m.id, Amount: amount(m.total, m.cur), Method: domain.PaymentMethodCard, Status: &failed,
		ProviderReference: s.token("pi_", 24), Note: strp("card_declined: insufficient funds"),
	})
	if err != nil {
		return fmt.Errorf("demo: failed payment of %s: %w", m.ev.spec.key, err)
	}
	return nil
}

func (s *seeder) cardPayment(m *made) error {
	p, b, err := s.eng.RecordPayment(s.ctx, booking.RecordPaymentInput{
		BookingID: m.id, Amount: amount(m.total, m.cur), Method: domain.PaymentMethodCard,
		ProviderReference: s.token("pi_", 24),
	})
	if err != nil {
		return fmt.Errorf("demo: card payment on %s: %w", m.ev.spec.key, err)
	}
	if b.Status != domain.BookingStatusConfirmed {
		return fmt.Errorf("demo: %s is %s after its payment", b.OrderNumber, b.Status)
	}
	m.paid = p
	return nil
}

func (s *seeder) bankTransfer(m *made) error {
	units := m.total
	if m.o.invoice == invoicePartlyPaid {
		units = (m.total + 1) / 2
	}
	_, _, err := s.eng.RecordPayment(s.ctx, booking.RecordPaymentInput{
		BookingID: m.id, Amount: amount(units, m.cur), Method: domain.PaymentMethodBankTransfer,
		Note: strp("Bank transfer received"),
	})
	if err != nil {
		return fmt.Errorf("demo: bank transfer on %s: %w", m.ev.spec.key, err)
	}
	return nil
}

// invoiceNumber numbers invoices in the order the organizer writes them.
func (s *seeder) invoiceNumber(m *made) error {
	s.invoices++
	number := fmt.Sprintf("RE-%d-%04d", s.clk.now().Year(), s.invoices)
	if _, err := s.eng.SetInvoiceNumber(s.ctx, booking.SetInvoiceNumberInput{ID: m.id, InvoiceNumber: number}); err != nil {
		return fmt.Errorf("demo: invoice number on %s: %w", m.ev.spec.key, err)
	}
	return nil
}

// cancel cancels the booking, or the given tickets, by its policy.
func (s *seeder) cancel(m *made, reason string, ticketIDs []int) error {
	if _, _, err := s.eng.CancelBooking(s.ctx, booking.CancelBookingInput{ID: m.id, Reason: &reason, TicketIDs: ticketIDs}); err != nil {
		return fmt.Errorf("demo: cancel a booking on %s: %w", m.ev.spec.key, err)
	}
	return nil
}

func (s *seeder) goodwillRefund(m *made) error {
	if m.paid == nil {
		return fmt.Errorf("demo: goodwill refund on %s without a card payment", m.ev.spec.key)
	}
	_, _, err := s.eng.RefundPayment(s.ctx, booking.RefundPaymentInput{
		ID: m.paid.ID, Amount: amount(min(m.o.goodwill, m.total), m.cur),
		Reason: strp("Goodwill refund: the early-bird code was applied after booking"),
	})
	if err != nil {
		return fmt.Errorf("demo: goodwill refund on %s: %w", m.ev.spec.key, err)
	}
	return nil
}

// doors plans the check-ins of a past event: most holders of admissible
// tickets come, between 45 minutes before and an hour after the start.
func (s *seeder) doors(e *sEvent) error {
	tickets, err := s.client.Ticket.Query().
		Where(ticket.EventID(e.id), ticket.StatusEQ(domain.TicketStatusActive), ticket.HasBookingWith(entbooking.StatusEQ(domain.BookingStatusConfirmed))).
		Order(ent.Asc(ticket.FieldID)).All(s.ctx)
	if err != nil {
		return err
	}
	for _, t := range tickets {
		if !s.chance(80) {
			continue
		}
		code := t.Code
		at := earliest(e.starts.Add(-45*time.Minute+s.minutes(0, 100)), s.now)
		s.at(at, func() error {
			if _, err := s.eng.CheckInTicket(s.ctx, booking.CheckInTicketInput{Code: code, EventID: &e.id}); err != nil {
				return fmt.Errorf("demo: check-in at %s: %w", e.spec.key, err)
			}
			return nil
		})
	}
	return nil
}

// planRegistrations plans registrations without tickets on e, as partner
// forms and approval flows create them.
func (s *seeder) planRegistrations(e *sEvent) error {
	type plan struct {
		asked, final domain.RegistrationStatus
	}
	plans := []plan{
		{domain.RegistrationStatusAccepted, domain.RegistrationStatusAccepted},
		{domain.RegistrationStatusAccepted, domain.RegistrationStatusAccepted},
		{domain.RegistrationStatusAccepted, domain.RegistrationStatusAccepted},
		{domain.RegistrationStatusAccepted, domain.RegistrationStatusAccepted},
		{domain.RegistrationStatusPending, domain.RegistrationStatusPending},
		{domain.RegistrationStatusPending, domain.RegistrationStatusPending},
		{domain.RegistrationStatusPending, domain.RegistrationStatusDeclined},
		{domain.RegistrationStatusAccepted, domain.RegistrationStatusCancelled},
	}
	sources := []string{"partner-form", "meetup.com", "speaker-invite", "mentor-signup"}
	for i, pl := range plans {
		created, err := s.between(e.opens, s.now.Add(-3*time.Hour))
		if err != nil {
			return err
		}
		metadata := map[string]any{"source": sources[i%len(sources)]}
		if i%3 == 0 {
			metadata["mentoring"] = true
		}
		s.at(created, func() error {
			pp := s.person(e.spec.region, e)
			if pp == nil {
				return fmt.Errorf("demo: no participant left for a registration on %s", e.spec.key)
			}
			e.used[pp] = true
			asked := pl.asked
			r, err := s.eng.CreateRegistration(s.ctx, booking.CreateRegistrationInput{
				EventID: e.id, Participant: pp.input(), Status: &asked, Metadata: metadata,
			})
			if err != nil {
				return fmt.Errorf("demo: registration on %s: %w", e.spec.key, err)
			}
			if pl.final == pl.asked {
				return nil
			}
			at := earliest(s.clk.now().Add(s.minutes(60, 2880)), s.now.Add(-time.Minute))
			s.at(at, func() error {
				if _, err := s.eng.UpdateRegistrationStatus(s.ctx, booking.UpdateRegistrationStatusInput{ID: r.ID, Status: pl.final}); err != nil {
					return fmt.Errorf("demo: registration on %s: %w", e.spec.key, err)
				}
				return nil
			})
			return nil
		})
	}
	return nil
}

func invoiceAddress(pp *sPerson) string {
	s := pp.spec
	lines := []string{}
	if s.company != "" {
		lines = append(lines, s.company)
	}
	lines = append(lines, s.first+" "+s.last)
	if s.address != "" {
		lines = append(lines, s.address)
	}
	city := s.city
	if s.zip != "" {
		city = s.zip + " " + city
	}
	lines = append(lines, city, s.country)
	return strings.Join(lines, "\n")
}

// plan lays out the whole story.
func (s *seeder) plan() error {
	for _, e := range s.events {
		s.planEvent(e)
	}
	for _, bt := range bookingBatches(s.byKey) {
		for range bt.n {
			if _, err := s.planBooking(s.byKey[bt.event], bt.o); err != nil {
				return err
			}
		}
	}
	if err := s.planJazz(); err != nil {
		return err
	}
	// registrations without tickets on the free community day
	return s.planRegistrations(s.byKey["oss"])
}

// batch is n bookings of one kind on the event with key event.
type batch struct {
	event string
	n     int
	o     bookOpt
}

// bookingBatches are the demo's bookings, event by event.
func bookingBatches(ev map[string]*sEvent) []batch {
	confirmedCard := bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodCard}
	return []batch{
		// Go Days Berlin: the big conference, everything that can happen.
		{"goconf", 5, confirmedCard},
		{"goconf", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodCard, failedAttempt: true}},
		{"goconf", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodCard, qty: 2, partialCancel: true}},
		{"goconf", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodInvoice, qty: 3, invoice: invoicePaid, invoiceNumber: true}},
		{"goconf", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodInvoice, qty: 2, invoice: invoiceUnpaid, invoiceNumber: true}},
		{"goconf", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodInvoice, qty: 4, invoice: invoicePartlyPaid, invoiceNumber: true}},
		{"goconf", 1, bookOpt{status: domain.BookingStatusPending, method: domain.PaymentMethodCard, failedAttempt: true}},
		{"goconf", 1, bookOpt{status: domain.BookingStatusCancelled, method: domain.PaymentMethodCard}},
		{"goconf", 1, bookOpt{status: domain.BookingStatusExpired, method: domain.PaymentMethodCard}},
		{"goconf", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodCard, qty: 1, cats: []string{"Standard"}, extra: ev["oss"], extraCat: "Supporter"}},
		// Product Design Summit New York
		{"nyc", 4, confirmedCard},
		{"nyc", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodCard, qty: 1, cats: []string{"Standard"}, goodwill: 5000}},
		{"nyc", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodInvoice, invoice: invoicePaid, invoiceNumber: true}},
		{"nyc", 1, bookOpt{status: domain.BookingStatusPending, method: domain.PaymentMethodCard}},
		{"nyc", 1, bookOpt{status: domain.BookingStatusCancelled, method: domain.PaymentMethodCard}},
		// Tokyo Cloud Native Meetup (JPY)
		{"tokyo", 5, confirmedCard},
		{"tokyo", 1, bookOpt{status: domain.BookingStatusPending, method: domain.PaymentMethodCard}},
		{"tokyo", 1, bookOpt{status: domain.BookingStatusCancelled, method: domain.PaymentMethodCard}},
		// Open Source Community Day: free, unlimited
		{"oss", 5, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodFree}},
		{"oss", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodCard, cats: []string{"Supporter", "Standard"}}},
		// Summer Gala: the event is cancelled, every booking refunded
		{"gala", 3, bookOpt{status: domain.BookingStatusCancelled, method: domain.PaymentMethodCard, byOrganizer: true}},
		{"gala", 1, bookOpt{status: domain.BookingStatusCancelled, method: domain.PaymentMethodInvoice, qty: 4, byOrganizer: true}},
		// Data Engineering Day (past)
		{"dataday", 6, confirmedCard},
		{"dataday", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodInvoice, qty: 3, invoice: invoicePaid, invoiceNumber: true}},
		{"dataday", 1, bookOpt{status: domain.BookingStatusCancelled, method: domain.PaymentMethodCard, cancelHours: 30}},
		{"dataday", 1, bookOpt{status: domain.BookingStatusCancelled, method: domain.PaymentMethodCard}},
		{"dataday", 1, bookOpt{status: domain.BookingStatusExpired, method: domain.PaymentMethodCard, failedAttempt: true}},
		// Startup Pitch Night Brooklyn (past)
		{"brooklyn", 5, confirmedCard},
		{"brooklyn", 1, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodInvoice, invoice: invoicePaid}},
	}
}

// planJazz fills Candlelight Jazz exactly, then queues a waitlist in
// arrival order.
func (s *seeder) planJazz() error {
	jazz := s.byKey["jazz"]
	var last time.Time
	for _, q := range []int{2, 2, 1, 3, 2, 2} {
		t, err := s.planBooking(jazz, bookOpt{status: domain.BookingStatusConfirmed, method: domain.PaymentMethodCard, qty: q,
			before: s.now.Add(-5 * 24 * time.Hour)})
		if err != nil {
			return err
		}
		if t.After(last) {
			last = t
		}
	}
	after := last.Add(time.Hour)
	for _, q := range []int{2, 1, 2} {
		t, err := s.planBooking(jazz, bookOpt{status: domain.BookingStatusWaitlisted, method: domain.PaymentMethodCard, qty: q, after: after})
		if err != nil {
			return err
		}
		after = t.Add(time.Minute)
	}
	return nil
}
