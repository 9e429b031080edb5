package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"seatgraph/domain"
	"seatgraph/enums"
)

// The demo data is planned in memory first (deterministically, from a seeded
// math/rand/v2 source and the seeding time), checked against the capacity
// rules while planning, and only then written.

type pEvent struct {
	spec        eventSpec
	loc         *time.Location
	created     time.Time
	updated     time.Time
	starts      time.Time
	ends        time.Time
	opens       time.Time
	closes      time.Time
	cancelledAt *time.Time
	cats        []*pCat
	used        map[*pPerson]bool // has a registration on this event
	held        int               // registrations PENDING or ACCEPTED
	waitlisted  int               // registrations WAITLISTED
	checkedIn   int
	id          int
}

type pCat struct {
	spec    categorySpec
	ev      *pEvent
	created time.Time
	salesTo *time.Time
	active  int // ACTIVE tickets
	id      int
}

type pPerson struct {
	spec     personSpec
	firstUse time.Time
	id       int
}

type pTicket struct {
	ev        *pEvent
	cat       *pCat
	holder    *pPerson
	status    enums.TicketStatus
	reg       enums.RegistrationStatus
	waitPos   *int
	checkedIn *time.Time
	cancelled *time.Time
	updated   time.Time
	gross     int64
	net       int64
	tax       int64
	id        int
	regID     int
}

type pPayment struct {
	kind    enums.PaymentKind
	method  enums.PaymentMethod
	status  enums.PaymentRecordStatus
	amount  int64
	ref     *string
	note    *string
	created time.Time
	paidAt  *time.Time
	id      int
}

type pBooking struct {
	seq         int // planning order, breaks ties of created
	created     time.Time
	updated     time.Time
	status      enums.BookingStatus
	method      enums.PaymentMethod
	booker      *pPerson
	events      []*pEvent
	tickets     []*pTicket
	payments    []*pPayment
	currency    string
	policy      *domain.CancellationPolicy
	hold        *time.Time
	confirmed   *time.Time
	cancelled   *time.Time
	reason      *string
	invoiceNo   *string
	invoiceAddr *string
	answers     []domain.CustomFieldAnswer
	utmSource   *string
	utmMedium   *string
	utmCampaign *string
	orderNumber string
	id          int
}

// sums of the booking's tickets and payments.
func (b *pBooking) totals() (subtotal, tax, total, paid, refunded int64) {
	for _, t := range b.tickets {
		subtotal += t.net
		tax += t.tax
		total += t.gross
	}
	for _, p := range b.payments {
		if p.status != enums.PaymentRecordStatusSucceeded {
			continue
		}
		if p.kind == enums.PaymentKindRefund {
			refunded += p.amount
		} else {
			paid += p.amount
		}
	}
	return
}

type pReg struct {
	ev        *pEvent
	person    *pPerson
	status    enums.RegistrationStatus
	requested enums.RegistrationStatus
	created   time.Time
	updated   time.Time
	metadata  map[string]any
}

type invoiceMode int

const (
	invoiceUnpaid invoiceMode = iota
	invoicePaid
	invoicePartlyPaid
)

// bookOpt is one booking to plan.
type bookOpt struct {
	status        enums.BookingStatus
	method        enums.PaymentMethod // CARD, INVOICE or FREE
	qty           int                 // 0: random
	cats          []string            // category per ticket; nil: random
	invoice       invoiceMode
	invoiceNumber bool
	failedAttempt bool      // a declined card payment before (or instead of) the good one
	cancelHours   int       // CANCELLED: this many hours before the start; 0: random
	byOrganizer   bool      // CANCELLED because the event was cancelled: full refund
	partialCancel bool      // CONFIRMED: the last ticket was cancelled
	after         time.Time // created no earlier than this
	before        time.Time // created no later than this
	extra         *pEvent   // one more ticket, for the booker, on this event
	extraCat      string
}

type planner struct {
	rng      *rand.Rand
	now      time.Time
	events   []*pEvent
	byKey    map[string]*pEvent
	people   []*pPerson
	bookings []*pBooking
	regs     []*pReg
	waitPos  map[*pEvent]int
}

func newPlanner(now time.Time) (*planner, error) {
	p := &planner{
		// a fixed seed: the same data set for the same seeding time.
		rng:     rand.New(rand.NewPCG(20260101, 0x5ea7_9a9f)),
		now:     now,
		byKey:   map[string]*pEvent{},
		waitPos: map[*pEvent]int{},
	}
	for i, s := range eventSpecs() {
		loc, err := time.LoadLocation(s.timeZone)
		if err != nil {
			return nil, fmt.Errorf("demo: time zone %s: %w", s.timeZone, err)
		}
		e := &pEvent{spec: s, loc: loc, used: map[*pPerson]bool{}}
		e.created = now.Add(-time.Duration(s.createdDaysAgo)*24*time.Hour + time.Duration(i)*37*time.Minute)
		e.updated = e.created.Add(20 * time.Minute) // published or last edited
		day := now.In(loc).AddDate(0, 0, s.startInDays)
		e.starts = time.Date(day.Year(), day.Month(), day.Day(), s.startHour, s.startMinute, 0, 0, loc).UTC()
		e.ends = e.starts.Add(time.Duration(s.durationHours) * time.Hour)
		e.opens = e.created.Add(time.Hour).Truncate(time.Hour)
		e.closes = e.starts.Add(-time.Duration(s.closeHours) * time.Hour)
		if s.status == enums.EventStatusCancelled {
			c := now.Add(-time.Duration(s.cancelledDaysAgo)*24*time.Hour - 2*time.Hour)
			e.cancelledAt = &c
			e.updated = c
		}
		for j, cs := range s.categories {
			c := &pCat{spec: cs, ev: e, created: e.created.Add(time.Duration(j+1) * time.Minute)}
			if cs.salesEndsH > 0 {
				t := e.starts.Add(-time.Duration(cs.salesEndsH) * time.Hour)
				c.salesTo = &t
			}
			e.cats = append(e.cats, c)
		}
		p.events = append(p.events, e)
		p.byKey[s.key] = e
	}
	for _, s := range personSpecs() {
		p.people = append(p.people, &pPerson{spec: s})
	}
	return p, nil
}

// between returns a random time in [lo, hi] in whole seconds.
func (p *planner) between(lo, hi time.Time) (time.Time, error) {
	if hi.Before(lo) {
		return time.Time{}, fmt.Errorf("demo: empty time window %s .. %s", lo, hi)
	}
	return lo.Add(time.Duration(p.rng.Int64N(int64(hi.Sub(lo)/time.Second)+1)) * time.Second), nil
}

func (p *planner) minutes(lo, hi int) time.Duration {
	return time.Duration(lo*60+p.rng.IntN((hi-lo)*60+1)) * time.Second
}

func (p *planner) chance(percent int) bool { return p.rng.IntN(100) < percent }

func (p *planner) token(prefix string, n int) *string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var b strings.Builder
	b.WriteString(prefix)
	for range n {
		b.WriteByte(alnum[p.rng.IntN(len(alnum))])
	}
	s := b.String()
	return &s
}

// person picks a participant without a registration on all of evs,
// preferring region; nil when everybody is taken.
func (p *planner) person(region string, evs ...*pEvent) *pPerson {
	free := func(pp *pPerson) bool {
		for _, e := range evs {
			if e.used[pp] {
				return false
			}
		}
		return true
	}
	var local, any []*pPerson
	for _, pp := range p.people {
		if !free(pp) {
			continue
		}
		any = append(any, pp)
		if pp.spec.region == region {
			local = append(local, pp)
		}
	}
	if len(local) > 0 && p.chance(75) {
		return local[p.rng.IntN(len(local))]
	}
	if len(any) == 0 {
		return nil
	}
	return any[p.rng.IntN(len(any))]
}

func (p *planner) quantity(max *int) int {
	var q int
	switch r := p.rng.IntN(100); {
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

// category picks a category of e by weight among those with quota left (for
// tickets that will stay ACTIVE) and, for free bookings, only free ones.
func (p *planner) category(e *pEvent, name string, active, free bool, at time.Time) (*pCat, error) {
	var cands []*pCat
	total := 0
	for _, c := range e.cats {
		if name != "" && c.spec.name != name {
			continue
		}
		if free && c.spec.price != 0 {
			continue
		}
		if c.salesTo != nil && at.After(*c.salesTo) {
			continue
		}
		if active && c.spec.capacity != nil && c.active >= *c.spec.capacity {
			continue
		}
		cands = append(cands, c)
		total += c.spec.weight
	}
	if len(cands) == 0 {
		return nil, fmt.Errorf("demo: no category %q left on %s", name, e.spec.key)
	}
	r := p.rng.IntN(total)
	for _, c := range cands {
		if r < c.spec.weight {
			return c, nil
		}
		r -= c.spec.weight
	}
	return cands[len(cands)-1], nil
}

func use(pp *pPerson, at time.Time) {
	if pp.firstUse.IsZero() || at.Before(pp.firstUse) {
		pp.firstUse = at
	}
}

// book plans one booking on e.
func (p *planner) book(e *pEvent, o bookOpt) (*pBooking, error) {
	b := &pBooking{seq: len(p.bookings), status: o.status, method: o.method, currency: e.spec.currency, policy: e.spec.policy}
	now := p.now
	holds := o.status == enums.BookingStatusConfirmed || o.status == enums.BookingStatusPending

	// when it was made
	var err error
	switch {
	case o.status == enums.BookingStatusPending:
		b.created = now.Add(-p.minutes(1, 11))
	default:
		lo, hi := e.opens, e.closes
		if o.after.After(lo) {
			lo = o.after
		}
		if !o.before.IsZero() && hi.After(o.before) {
			hi = o.before
		}
		if x := o.extra; x != nil {
			if x.opens.After(lo) {
				lo = x.opens
			}
			if hi.After(x.closes) {
				hi = x.closes
			}
		}
		if latest := now.Add(-2 * time.Hour); hi.After(latest) {
			hi = latest
		}
		if e.cancelledAt != nil && hi.After(e.cancelledAt.Add(-time.Hour)) {
			hi = e.cancelledAt.Add(-time.Hour)
		}
		if o.status == enums.BookingStatusCancelled && o.cancelHours > 0 {
			if l := e.starts.Add(-time.Duration(o.cancelHours+24) * time.Hour); hi.After(l) {
				hi = l
			}
		}
		if o.status == enums.BookingStatusCancelled && !o.byOrganizer && o.cancelHours == 0 {
			// leave a few days to change one's mind
			if l := now.Add(-72 * time.Hour); hi.After(l) {
				hi = l
			}
		}
		if b.created, err = p.between(lo, hi); err != nil {
			return nil, fmt.Errorf("%s: %w", e.spec.key, err)
		}
	}

	// who
	evs := []*pEvent{e}
	if o.extra != nil {
		evs = append(evs, o.extra)
	}
	b.booker = p.person(e.spec.region, evs...)
	if b.booker == nil {
		return nil, fmt.Errorf("demo: no participant left for %s", e.spec.key)
	}
	use(b.booker, b.created)

	qty := o.qty
	if len(o.cats) > 0 {
		qty = len(o.cats)
	}
	if qty == 0 {
		qty = p.quantity(e.spec.maxPerBooking)
	}
	if m := e.spec.maxPerBooking; m != nil && qty > *m {
		return nil, fmt.Errorf("demo: %d tickets exceed the maximum of %s", qty, e.spec.key)
	}
	if holds && e.spec.capacity != nil && e.held+qty > *e.spec.capacity {
		return nil, fmt.Errorf("demo: %s would be overbooked", e.spec.key)
	}

	// tickets
	free := o.method == enums.PaymentMethodFree
	addTicket := func(ev *pEvent, holder *pPerson, catName string, active bool) error {
		c, err := p.category(ev, catName, active, free, b.created)
		if err != nil {
			return err
		}
		t := &pTicket{ev: ev, cat: c, holder: holder, gross: c.spec.price}
		t.net, t.tax = splitGross(t.gross, c.spec.taxRate)
		ev.used[holder] = true
		use(holder, b.created)
		if active {
			c.active++
		}
		b.tickets = append(b.tickets, t)
		if !slices.Contains(b.events, ev) {
			b.events = append(b.events, ev)
		}
		return nil
	}
	for i := range qty {
		holder := b.booker
		if i > 0 {
			if holder = p.person(e.spec.region, e); holder == nil {
				holder = b.booker
			}
		}
		name := ""
		if len(o.cats) > 0 {
			name = o.cats[i]
		}
		active := holds && !(o.partialCancel && i == qty-1)
		if err := addTicket(e, holder, name, active); err != nil {
			return nil, err
		}
	}
	if o.extra != nil {
		if err := addTicket(o.extra, b.booker, o.extraCat, holds); err != nil {
			return nil, err
		}
	}
	_, _, total, _, _ := b.totals()
	if free != (total == 0) {
		return nil, fmt.Errorf("demo: FREE booking with a total of %d on %s", total, e.spec.key)
	}

	// extras a booking form would ask for
	if e.spec.key == "goconf" || e.spec.key == "dataday" {
		b.answers = []domain.CustomFieldAnswer{
			{Label: "Dietary requirements", Answer: dietaryAnswers[p.rng.IntN(len(dietaryAnswers))]},
			{Label: "T-shirt size", Answer: shirtSizes[p.rng.IntN(len(shirtSizes))]},
		}
	}
	if p.chance(40) {
		u := utmSources[p.rng.IntN(len(utmSources))]
		campaign := e.spec.key + "-launch"
		b.utmSource, b.utmMedium, b.utmCampaign = &u.source, &u.medium, &campaign
	}
	if o.method == enums.PaymentMethodInvoice {
		addr := invoiceAddress(b.booker)
		b.invoiceAddr = &addr
		if o.invoiceNumber {
			b.invoiceNo = new(string) // numbered in booking order later
		}
	}

	if err := p.lifecycle(b, e, o, total); err != nil {
		return nil, err
	}
	p.bookings = append(p.bookings, b)
	return b, nil
}

// lifecycle sets statuses, payments and times after creation.
func (p *planner) lifecycle(b *pBooking, e *pEvent, o bookOpt, total int64) error {
	now := p.now
	setAll := func(ts enums.TicketStatus, rs enums.RegistrationStatus) {
		for _, t := range b.tickets {
			t.status, t.reg, t.updated = ts, rs, b.created
		}
	}
	cardPayment := func(at time.Time, amount int64) *pPayment {
		pay := &pPayment{
			kind: enums.PaymentKindPayment, method: enums.PaymentMethodCard,
			status: enums.PaymentRecordStatusSucceeded, amount: amount,
			ref: p.token("pi_", 24), created: at.Add(-20 * time.Second), paidAt: &at,
		}
		b.payments = append(b.payments, pay)
		return pay
	}
	failed := func(at time.Time, amount int64) {
		note := "card_declined: insufficient funds"
		b.payments = append(b.payments, &pPayment{
			kind: enums.PaymentKindPayment, method: enums.PaymentMethodCard,
			status: enums.PaymentRecordStatusFailed, amount: amount,
			ref: p.token("pi_", 24), note: &note, created: at,
		})
	}
	// confirm: how a booking that is (or was) CONFIRMED got paid
	confirm := func() error {
		switch o.method {
		case enums.PaymentMethodCard:
			at := b.created.Add(p.minutes(1, 4))
			if o.failedAttempt {
				failed(b.created.Add(40*time.Second), total)
				at = at.Add(2 * time.Minute)
			}
			cardPayment(at, total)
			b.confirmed = &at
		case enums.PaymentMethodInvoice:
			at := b.created
			b.confirmed = &at
			if o.invoice == invoiceUnpaid {
				return nil
			}
			paidAt := b.created.Add(time.Duration(3+p.rng.IntN(10))*24*time.Hour + p.minutes(0, 600))
			if limit := now.Add(-time.Hour); paidAt.After(limit) {
				paidAt = limit
			}
			if !paidAt.After(b.created) {
				return fmt.Errorf("demo: no time to pay the invoice on %s", e.spec.key)
			}
			amount := total
			if o.invoice == invoicePartlyPaid {
				amount = divRoundHalfUp(total, 2)
			}
			note := "Bank transfer received"
			b.payments = append(b.payments, &pPayment{
				kind: enums.PaymentKindPayment, method: enums.PaymentMethodBankTransfer,
				status: enums.PaymentRecordStatusSucceeded, amount: amount,
				note: &note, created: paidAt, paidAt: &paidAt,
			})
		case enums.PaymentMethodFree:
			at := b.created
			b.confirmed = &at
		default:
			return fmt.Errorf("demo: unplanned payment method %s", o.method)
		}
		return nil
	}
	refund := func(at time.Time, amount int64, method enums.PaymentMethod, note string) {
		if amount <= 0 {
			return
		}
		pay := &pPayment{
			kind: enums.PaymentKindRefund, method: method,
			status: enums.PaymentRecordStatusSucceeded, amount: amount,
			note: &note, created: at, paidAt: &at,
		}
		if method == enums.PaymentMethodCard {
			pay.ref = p.token("re_", 24)
		}
		b.payments = append(b.payments, pay)
	}
	paidSoFar := func() (int64, enums.PaymentMethod) {
		_, _, _, paid, _ := b.totals()
		m := enums.PaymentMethodCard
		for _, pay := range b.payments {
			if pay.status == enums.PaymentRecordStatusSucceeded {
				m = pay.method
			}
		}
		return paid, m
	}

	switch o.status {
	case enums.BookingStatusConfirmed:
		setAll(enums.TicketStatusActive, enums.RegistrationStatusAccepted)
		if err := confirm(); err != nil {
			return err
		}
		if o.partialCancel {
			t := b.tickets[len(b.tickets)-1]
			lo := b.confirmed.Add(24 * time.Hour)
			hi := now.Add(-time.Hour)
			if e.starts.Before(hi) {
				hi = e.starts.Add(-time.Hour)
			}
			at, err := p.between(lo, hi)
			if err != nil {
				return fmt.Errorf("%s partial cancel: %w", e.spec.key, err)
			}
			t.status, t.reg, t.cancelled, t.updated = enums.TicketStatusCancelled, enums.RegistrationStatusCancelled, &at, at
			kept, _ := cancellationKept(b.policy, t.gross, e.starts.Sub(at))
			_, m := paidSoFar()
			refund(at, t.gross-kept, m, "Partial cancellation of one ticket")
		}
	case enums.BookingStatusPending:
		setAll(enums.TicketStatusActive, enums.RegistrationStatusPending)
		hold := b.created.Add(15 * time.Minute)
		b.hold = &hold
		if o.failedAttempt {
			failed(b.created.Add(50*time.Second), total)
		}
	case enums.BookingStatusWaitlisted:
		// positions are given in arrival order once all bookings are planned
		setAll(enums.TicketStatusWaitlisted, enums.RegistrationStatusWaitlisted)
	case enums.BookingStatusExpired:
		hold := b.created.Add(15 * time.Minute)
		b.hold = &hold
		if o.failedAttempt {
			failed(b.created.Add(2*time.Minute), total)
		}
		setAll(enums.TicketStatusCancelled, enums.RegistrationStatusCancelled)
		for _, t := range b.tickets {
			t.cancelled, t.updated = &hold, hold
		}
	case enums.BookingStatusCancelled:
		if err := confirm(); err != nil {
			return err
		}
		var at time.Time
		switch {
		case o.byOrganizer:
			if e.cancelledAt == nil {
				return fmt.Errorf("demo: %s is not cancelled", e.spec.key)
			}
			at = e.cancelledAt.Add(time.Duration(1+b.seq%50) * time.Second)
		case o.cancelHours > 0:
			at = e.starts.Add(-time.Duration(o.cancelHours)*time.Hour - p.minutes(5, 50))
		default:
			hi := now.Add(-time.Hour)
			if e.starts.Before(hi) {
				hi = e.starts.Add(-time.Hour)
			}
			var err error
			if at, err = p.between(b.confirmed.Add(24*time.Hour), hi); err != nil {
				return fmt.Errorf("%s cancel: %w", e.spec.key, err)
			}
		}
		if !at.After(*b.confirmed) || at.After(now) {
			return fmt.Errorf("demo: cancellation time out of order on %s", e.spec.key)
		}
		b.cancelled = &at
		paid, m := paidSoFar()
		kept := int64(0)
		if o.byOrganizer {
			reason := "Event cancelled by the organizer: " + e.spec.cancelReason
			b.reason = &reason
			refund(at, paid, m, "Full refund: event cancelled")
		} else {
			reason := cancelReasons[p.rng.IntN(len(cancelReasons))]
			b.reason = &reason
			kept, _ = cancellationKept(b.policy, paid, e.starts.Sub(at))
			refund(at, paid-kept, m, "Refund according to the cancellation policy")
		}
		setAll(enums.TicketStatusCancelled, enums.RegistrationStatusCancelled)
		for _, t := range b.tickets {
			t.cancelled, t.updated = &at, at
		}
	default:
		return fmt.Errorf("demo: unplanned status %s", o.status)
	}

	for _, t := range b.tickets {
		switch t.reg {
		case enums.RegistrationStatusPending, enums.RegistrationStatusAccepted:
			t.ev.held++
		case enums.RegistrationStatusWaitlisted:
			t.ev.waitlisted++
		}
	}
	return nil
}

func invoiceAddress(pp *pPerson) string {
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

// plan builds the whole data set.
func (p *planner) plan() error {
	ev := p.byKey
	type batch struct {
		event string
		n     int
		o     bookOpt
	}
	confirmedCard := bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodCard}
	batches := []batch{
		// Go Days Berlin: the big conference, everything that can happen.
		{"goconf", 5, confirmedCard},
		{"goconf", 1, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodCard, failedAttempt: true}},
		{"goconf", 1, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodCard, qty: 2, partialCancel: true}},
		{"goconf", 1, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodInvoice, qty: 3, invoice: invoicePaid, invoiceNumber: true}},
		{"goconf", 1, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodInvoice, qty: 2, invoice: invoiceUnpaid, invoiceNumber: true}},
		{"goconf", 1, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodInvoice, qty: 4, invoice: invoicePartlyPaid, invoiceNumber: true}},
		{"goconf", 1, bookOpt{status: enums.BookingStatusPending, method: enums.PaymentMethodCard, failedAttempt: true}},
		{"goconf", 1, bookOpt{status: enums.BookingStatusCancelled, method: enums.PaymentMethodCard}},
		{"goconf", 1, bookOpt{status: enums.BookingStatusExpired, method: enums.PaymentMethodCard}},
		{"goconf", 1, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodCard, qty: 1, cats: []string{"Standard"}, extra: ev["oss"], extraCat: "Supporter"}},
		// Product Design Summit New York
		{"nyc", 5, confirmedCard},
		{"nyc", 1, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodInvoice, invoice: invoicePaid, invoiceNumber: true}},
		{"nyc", 1, bookOpt{status: enums.BookingStatusPending, method: enums.PaymentMethodCard}},
		{"nyc", 1, bookOpt{status: enums.BookingStatusCancelled, method: enums.PaymentMethodCard}},
		// Tokyo Cloud Native Meetup (JPY)
		{"tokyo", 5, confirmedCard},
		{"tokyo", 1, bookOpt{status: enums.BookingStatusPending, method: enums.PaymentMethodCard}},
		{"tokyo", 1, bookOpt{status: enums.BookingStatusCancelled, method: enums.PaymentMethodCard}},
		// Open Source Community Day: free, unlimited
		{"oss", 5, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodFree}},
		{"oss", 1, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodCard, cats: []string{"Supporter", "Standard"}}},
		// Summer Gala: the event was cancelled, every booking refunded
		{"gala", 3, bookOpt{status: enums.BookingStatusCancelled, method: enums.PaymentMethodCard, byOrganizer: true}},
		{"gala", 1, bookOpt{status: enums.BookingStatusCancelled, method: enums.PaymentMethodInvoice, qty: 4, byOrganizer: true}},
		// Data Engineering Day (past)
		{"dataday", 6, confirmedCard},
		{"dataday", 1, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodInvoice, qty: 3, invoice: invoicePaid, invoiceNumber: true}},
		{"dataday", 1, bookOpt{status: enums.BookingStatusCancelled, method: enums.PaymentMethodCard, cancelHours: 30}},
		{"dataday", 1, bookOpt{status: enums.BookingStatusCancelled, method: enums.PaymentMethodCard}},
		{"dataday", 1, bookOpt{status: enums.BookingStatusExpired, method: enums.PaymentMethodCard, failedAttempt: true}},
		// Startup Pitch Night Brooklyn (past)
		{"brooklyn", 5, confirmedCard},
		{"brooklyn", 1, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodInvoice, invoice: invoicePaid}},
	}
	for _, bt := range batches {
		for range bt.n {
			if _, err := p.book(ev[bt.event], bt.o); err != nil {
				return err
			}
		}
	}

	// Candlelight Jazz: exactly full, then a waitlist in arrival order.
	jazz := ev["jazz"]
	var last time.Time
	for _, q := range []int{2, 2, 1, 3, 2, 2} {
		b, err := p.book(jazz, bookOpt{status: enums.BookingStatusConfirmed, method: enums.PaymentMethodCard, qty: q,
			before: p.now.Add(-5 * 24 * time.Hour)})
		if err != nil {
			return err
		}
		if b.created.After(last) {
			last = b.created
		}
	}
	after := last.Add(time.Hour)
	for _, q := range []int{2, 1, 2} {
		b, err := p.book(jazz, bookOpt{status: enums.BookingStatusWaitlisted, method: enums.PaymentMethodCard, qty: q, after: after})
		if err != nil {
			return err
		}
		after = b.created.Add(time.Minute)
	}
	// waitlist positions follow arrival order
	var waiting []*pBooking
	for _, b := range p.bookings {
		if b.status == enums.BookingStatusWaitlisted {
			waiting = append(waiting, b)
		}
	}
	slices.SortStableFunc(waiting, func(a, b *pBooking) int { return a.created.Compare(b.created) })
	for _, b := range waiting {
		for _, t := range b.tickets {
			p.waitPos[t.ev]++
			pos := p.waitPos[t.ev]
			t.waitPos = &pos
		}
	}

	// registrations without tickets on the free community day
	oss := ev["oss"]
	regStatuses := []struct {
		status, requested enums.RegistrationStatus
	}{
		{enums.RegistrationStatusAccepted, enums.RegistrationStatusAccepted},
		{enums.RegistrationStatusAccepted, enums.RegistrationStatusAccepted},
		{enums.RegistrationStatusAccepted, enums.RegistrationStatusAccepted},
		{enums.RegistrationStatusAccepted, enums.RegistrationStatusAccepted},
		{enums.RegistrationStatusPending, enums.RegistrationStatusPending},
		{enums.RegistrationStatusPending, enums.RegistrationStatusPending},
		{enums.RegistrationStatusDeclined, enums.RegistrationStatusPending},
		{enums.RegistrationStatusCancelled, enums.RegistrationStatusAccepted},
	}
	sources := []string{"partner-form", "meetup.com", "speaker-invite", "mentor-signup"}
	for i, rs := range regStatuses {
		pp := p.person(oss.spec.region, oss)
		if pp == nil {
			return fmt.Errorf("demo: no participant left for registrations")
		}
		created, err := p.between(oss.opens, p.now.Add(-3*time.Hour))
		if err != nil {
			return err
		}
		r := &pReg{ev: oss, person: pp, status: rs.status, requested: rs.requested, created: created, updated: created,
			metadata: map[string]any{"source": sources[i%len(sources)]}}
		if i%3 == 0 {
			r.metadata["mentoring"] = true
		}
		if rs.status != rs.requested || rs.status == enums.RegistrationStatusCancelled {
			r.updated = created.Add(p.minutes(60, 2880))
			if r.updated.After(p.now) {
				r.updated = p.now.Add(-time.Minute)
			}
		}
		oss.used[pp] = true
		use(pp, created)
		if rs.status == enums.RegistrationStatusPending || rs.status == enums.RegistrationStatusAccepted {
			oss.held++
		}
		p.regs = append(p.regs, r)
	}

	// check-ins at past events
	for _, b := range p.bookings {
		if b.status != enums.BookingStatusConfirmed {
			continue
		}
		for _, t := range b.tickets {
			if t.status != enums.TicketStatusActive || !t.ev.starts.Before(p.now) || !p.chance(80) {
				continue
			}
			at := t.ev.starts.Add(-45*time.Minute + p.minutes(0, 100))
			t.checkedIn, t.updated = &at, at
			t.ev.checkedIn++
		}
	}

	// order and invoice numbers in booking order
	slices.SortStableFunc(p.bookings, func(a, b *pBooking) int {
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	invoices := 0
	for i, b := range p.bookings {
		b.orderNumber = fmt.Sprintf("BK-%06d", i+1)
		if b.invoiceNo != nil {
			invoices++
			*b.invoiceNo = fmt.Sprintf("RE-%d-%04d", b.created.Year(), invoices)
		}
		b.updated = b.created
		for _, t := range []*time.Time{b.confirmed, b.cancelled} {
			if t != nil && t.After(b.updated) {
				b.updated = *t
			}
		}
		if b.status == enums.BookingStatusExpired && b.hold.After(b.updated) {
			b.updated = *b.hold
		}
		for _, pay := range b.payments {
			at := pay.created
			if pay.paidAt != nil {
				at = *pay.paidAt
			}
			if at.After(b.updated) {
				b.updated = at
			}
		}
	}

	// participants nobody used signed up at some point
	for _, pp := range p.people {
		if pp.firstUse.IsZero() {
			t, err := p.between(p.now.Add(-59*24*time.Hour), p.now.Add(-24*time.Hour))
			if err != nil {
				return err
			}
			pp.firstUse = t
		}
	}
	slices.SortStableFunc(p.people, func(a, b *pPerson) int { return a.firstUse.Compare(b.firstUse) })
	return p.check()
}

// check verifies the capacity rules on the finished plan.
func (p *planner) check() error {
	for _, e := range p.events {
		if c := e.spec.capacity; c != nil && e.held > *c {
			return fmt.Errorf("demo: %s holds %d seats of %d", e.spec.key, e.held, *c)
		}
		for _, c := range e.cats {
			if c.spec.capacity != nil && c.active > *c.spec.capacity {
				return fmt.Errorf("demo: %s %s has %d active tickets of %d", e.spec.key, c.spec.name, c.active, *c.spec.capacity)
			}
		}
		if e.spec.status != enums.EventStatusPublished && e.spec.status != enums.EventStatusCancelled && len(e.used) > 0 {
			return fmt.Errorf("demo: draft %s has registrations", e.spec.key)
		}
	}
	return nil
}
