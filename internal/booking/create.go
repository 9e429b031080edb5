package booking

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"seatgraph/ent"
	"seatgraph/ent/idempotencykey"
	"seatgraph/ent/participant"
	"seatgraph/ent/tenant"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
)

// IdempotencyWindow is how long an idempotency key is remembered.
const IdempotencyWindow = 24 * time.Hour

// CreateBooking checks everything, then in one transaction takes the seats
// and writes the booking, its tickets and registrations (docs/domain-rules.md, rule 2).
func (e *Engine) CreateBooking(ctx context.Context, in CreateBookingInput) (*ent.Booking, error) {
	p, err := validateBooking(in)
	if err != nil {
		return nil, err
	}
	var hash string
	if in.IdempotencyKey != nil {
		hash = requestHash(in)
	}
	var out *ent.Booking
	if !e.noRaw.Load() {
		out, err = e.groupCommit(ctx, in, p, hash)
	} else {
		out, err = e.createAlone(ctx, in, p, hash)
	}
	if err != nil {
		return nil, err
	}
	if out.HoldExpiresAt != nil {
		e.noteHold(*out.HoldExpiresAt)
	}
	return ent.Detach(out, nil)
}

// createAlone books in a transaction of its own. A booking whose seats
// changed between the read and the update of the hot-event path (fast.go)
// runs again on the locking path.
func (e *Engine) createAlone(ctx context.Context, in CreateBookingInput, p people, hash string) (*ent.Booking, error) {
	var out *ent.Booking
	err := e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		var err error
		out, err = e.createIn(ctx, tx, tid, in, p, hash)
		return err
	})
	if errors.Is(err, errFastMissed) {
		err = e.inTx(context.WithValue(ctx, slowKey{}, true), func(ctx context.Context, tx *ent.Tx, tid int) error {
			var err error
			out, err = e.createIn(ctx, tx, tid, in, p, hash)
			return err
		})
	}
	return out, err
}

// createIn is one booking inside a transaction: the first result of its
// idempotency key, or a new booking (docs/domain-rules.md, rule 6).
func (e *Engine) createIn(ctx context.Context, tx *ent.Tx, tid int, in CreateBookingInput, p people, hash string) (*ent.Booking, error) {
	if in.IdempotencyKey != nil {
		first, err := e.claimKey(ctx, tx, tid, *in.IdempotencyKey, hash)
		if err != nil || first != nil {
			return first, err
		}
	}
	b, err := e.book(ctx, tx, tid, in, p)
	if err != nil {
		return nil, err
	}
	if in.IdempotencyKey != nil {
		if _, err := tx.IdempotencyKey.Update().Where(idempotencykey.TenantID(tid), idempotencykey.Key(*in.IdempotencyKey)).
			SetBookingID(b.ID).Save(ctx); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// people are the validated persons of a booking: the booker first, then
// one per ticket (nil: the booker holds it).
type people struct {
	booker  catalog.Person
	holders []*catalog.Person
}

func validateBooking(in CreateBookingInput) (people, error) {
	var p people
	if len(in.Tickets) == 0 {
		return p, domain.Invalid("tickets", "a booking needs at least one ticket")
	}
	if len(in.Tickets) > 1000 {
		return p, domain.Invalid("tickets", "at most 1000 tickets per booking")
	}
	var err error
	if p.booker, err = catalog.ValidatePerson("booker.", in.Booker); err != nil {
		return p, err
	}
	p.holders = make([]*catalog.Person, len(in.Tickets))
	for i, t := range in.Tickets {
		if t == nil || t.Holder == nil {
			continue
		}
		h, err := catalog.ValidatePerson(fmt.Sprintf("tickets.%d.holder.", i), *t.Holder)
		if err != nil {
			return p, err
		}
		p.holders[i] = &h
	}
	if in.PaymentMethod == "" {
		return p, domain.Invalid("paymentMethod", "is required")
	}
	if in.IdempotencyKey != nil && (strings.TrimSpace(*in.IdempotencyKey) == "" || len(*in.IdempotencyKey) > 200) {
		return p, domain.Invalid("idempotencyKey", "must be 1 to 200 characters")
	}
	for i, a := range in.CustomFieldAnswers {
		if a == nil || strings.TrimSpace(a.Label) == "" {
			return p, domain.Invalid(fmt.Sprintf("customFieldAnswers.%d.label", i), "must not be empty")
		}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"invoiceAddress", in.InvoiceAddress}, {"utmSource", in.UtmSource}, {"utmMedium", in.UtmMedium}, {"utmCampaign", in.UtmCampaign}} {
		if f.v != nil && len(*f.v) > 2000 {
			return p, domain.Invalid(f.name, "is too long")
		}
	}
	return p, nil
}

// requestHash identifies the input of a request, without its key.
func requestHash(in CreateBookingInput) string {
	in.IdempotencyKey = nil
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// claimKey returns the booking a key made before, or claims the key for this
// request. Claiming first makes a concurrent twin wait on (PostgreSQL: fail
// on, and retry after) the key's unique index rather than book twice.
func (e *Engine) claimKey(ctx context.Context, tx *ent.Tx, tid int, key, hash string) (*ent.Booking, error) {
	k, err := tx.IdempotencyKey.Query().Where(idempotencykey.TenantID(tid), idempotencykey.Key(key)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return nil, err
	case k.CreatedAt.Before(e.clock().Add(-IdempotencyWindow)):
		if err := tx.IdempotencyKey.DeleteOne(k).Exec(ctx); err != nil {
			return nil, err
		}
	case k.RequestHash != hash:
		return nil, &domain.IdempotencyKeyReusedError{Message: "this idempotency key was used with other input"}
	case pendingOf(ctx).holds(k.BookingID):
		// Its twin, earlier in the same group, has no order number yet.
		return nil, errNeedFlush
	default:
		return tx.Booking.Get(ctx, k.BookingID)
	}
	// The engine's clock, which the window above is measured on.
	now := e.clock()
	return nil, tx.IdempotencyKey.Create().SetTenantID(tid).SetCreatedAt(now).SetUpdatedAt(now).
		SetKey(key).SetRequestHash(hash).SetBookingID(0).Exec(ctx)
}

// order is a booking being written: what the steps of book found out.
type order struct {
	in  CreateBookingInput
	ppl people
	now time.Time

	catIDs []int                       // the category of each ticket
	cats   map[int]*ent.TicketCategory // as read first
	n      need
	evs    map[int]*ent.Event          // locked
	locked map[int]*ent.TicketCategory // the categories as locked (cats on SQLite)

	currency   string
	waitlisted bool

	booker  *ent.Participant
	holders []*ent.Participant // one per ticket

	prices                    []priced // one per ticket
	subtotal, taxTotal, total int64
}

// priced is a ticket's price snapshot (docs/domain-rules.md, rule 4).
type priced struct{ gross, net, tax int64 }

// book writes a new booking in tx: it checks the events and categories,
// takes the seats (or a place in the queue), and writes the booking, its
// registrations and tickets.
func (e *Engine) book(ctx context.Context, tx *ent.Tx, tid int, in CreateBookingInput, ppl people) (*ent.Booking, error) {
	o := &order{in: in, ppl: ppl, now: e.clock()}
	if err := o.readCategories(ctx, tx, tid); err != nil {
		return nil, err
	}
	if !lockingPath(ctx) && (e.postgres() || pendingOf(ctx) != nil) {
		if b, err := e.bookFast(ctx, tx, tid, o); !errors.Is(err, errNotFast) {
			return b, err
		}
	}
	if p := pendingOf(ctx); p != nil && p.unflushed() {
		return nil, errNeedFlush
	}
	var err error
	if o.evs, err = e.lockEvents(ctx, tx, tid, o.n.eventIDs()); err != nil {
		return nil, err
	}
	if err := o.checkOnSale(); err != nil {
		return nil, err
	}
	if err := e.claimSeats(ctx, tx, tid, o); err != nil {
		return nil, err
	}
	// The seats are there (or the booking waits): write it.
	if err := o.findPeople(ctx, tx, tid); err != nil {
		return nil, err
	}
	if err := o.price(); err != nil {
		return nil, err
	}
	b, err := e.writeBooking(ctx, tx, tid, o)
	if err != nil {
		return nil, err
	}
	tickets, err := o.writeTickets(ctx, tx, tid, b)
	if err != nil {
		return nil, err
	}
	if o.waitlisted {
		return b, o.joinQueues(ctx, tx)
	}
	if err := take(ctx, tx, o.n, o.evs, o.locked, 1); err != nil {
		return nil, err
	}
	return b, recordBooked(ctx, tx, tid, b.ID, tickets, o.now)
}

// readCategories reads the tickets' categories of the tenant and counts the
// seats they need per event and category.
func (o *order) readCategories(ctx context.Context, tx *ent.Tx, tid int) error {
	o.catIDs = make([]int, len(o.in.Tickets))
	for i, t := range o.in.Tickets {
		o.catIDs[i] = t.TicketCategoryID
	}
	cats, err := tx.TicketCategory.Query().Where(ticketcategory.IDIn(sortedUnique(o.catIDs)...), ticketcategory.TenantID(tid)).All(ctx)
	if err != nil {
		return err
	}
	o.cats = map[int]*ent.TicketCategory{}
	for _, c := range cats {
		o.cats[c.ID] = c
	}
	o.n = need{events: map[int]int{}, categories: map[int]int{}}
	for _, id := range o.catIDs {
		c, ok := o.cats[id]
		if !ok {
			return domain.NotFound("TicketCategory", id)
		}
		o.n.events[c.EventID]++
		o.n.categories[id]++
	}
	return nil
}

// checkOnSale checks that every event takes bookings now, within its limit
// per booking and in one currency, and that every category is on sale.
func (o *order) checkOnSale() error {
	for _, id := range o.n.eventIDs() {
		ev := o.evs[id]
		if err := bookable(ev, o.now); err != nil {
			return err
		}
		if ev.MaxTicketsPerBooking != nil && o.n.events[id] > *ev.MaxTicketsPerBooking {
			return domain.Invalid("tickets", "at most %d tickets per booking for %s", *ev.MaxTicketsPerBooking, ev.Title)
		}
		if o.currency != "" && ev.Currency != o.currency {
			return domain.Invalid("tickets", "all tickets of a booking must be in one currency")
		}
		o.currency = ev.Currency
	}
	for _, id := range sortedUnique(o.catIDs) {
		c := o.cats[id]
		if (c.SalesStartAt != nil && o.now.Before(*c.SalesStartAt)) || (c.SalesEndAt != nil && !o.now.Before(*c.SalesEndAt)) {
			return &domain.RegistrationClosedError{EventID: c.EventID, Message: fmt.Sprintf("%s is not on sale now", c.Name)}
		}
	}
	return nil
}

// claimSeats frees the seats of holds that ran out, locks the categories
// and decides: the seats are there, or the booking waits (all of it), or
// it is a SoldOutError.
func (e *Engine) claimSeats(ctx context.Context, tx *ent.Tx, tid int, o *order) error {
	if err := e.expireDue(ctx, tx, tid, o.n.eventIDs(), o.evs); err != nil {
		return err
	}
	// On SQLite the transaction has held the write lock since it began, so
	// the categories read above are current; PostgreSQL locks them now,
	// after their events, in the order every transaction locks them.
	o.locked = o.cats
	if e.postgres() {
		var err error
		if o.locked, err = e.lockCategories(ctx, tx, tid, o.n.categoryIDs()); err != nil {
			return err
		}
	}
	ok, full := fits(o.n, o.evs, o.locked, false)
	if ok {
		return nil
	}
	canWait := true
	for _, id := range o.n.eventIDs() {
		canWait = canWait && o.evs[id].WaitlistEnabled
	}
	if !canWait || o.in.JoinWaitlist == nil || !*o.in.JoinWaitlist {
		return soldOut(o.evs[full], canWait)
	}
	o.waitlisted = true
	return nil
}

// soldOut is the SoldOutError of an event without enough seats.
func soldOut(ev *ent.Event, canWait bool) error {
	var left *int
	if ev.Capacity != nil {
		l := max(0, free(ev))
		left = &l
	}
	return &domain.SoldOutError{EventID: ev.ID, AvailableSeats: left, WaitlistAvailable: canWait,
		Message: fmt.Sprintf("not enough seats left for %s", ev.Title)}
}

// findPeople finds or creates the booker and the holder of each ticket
// (the booker unless another person is named).
func (o *order) findPeople(ctx context.Context, tx *ent.Tx, tid int) error {
	var err error
	if o.booker, err = findOrCreate(ctx, tx, tid, o.ppl.booker); err != nil {
		return err
	}
	o.holders = make([]*ent.Participant, len(o.in.Tickets))
	for i, h := range o.ppl.holders {
		o.holders[i] = o.booker
		if h != nil {
			if o.holders[i], err = findOrCreate(ctx, tx, tid, *h); err != nil {
				return err
			}
		}
	}
	return nil
}

// price takes each ticket's price snapshot and the booking's totals; FREE
// pays only for a total of zero.
func (o *order) price() error {
	o.prices = make([]priced, len(o.catIDs))
	for i, id := range o.catIDs {
		c := o.cats[id]
		net, tax := NetOf(c.Price, c.TaxRatePercent)
		o.prices[i] = priced{c.Price, net, tax}
		o.subtotal, o.taxTotal, o.total = o.subtotal+net, o.taxTotal+tax, o.total+c.Price
	}
	if o.in.PaymentMethod == domain.PaymentMethodFree && o.total > 0 {
		return domain.Invalid("paymentMethod", "FREE is only for bookings whose total is zero")
	}
	return nil
}

// statuses are what a new booking, its registrations and tickets start as
// (docs/domain-rules.md, rule 2).
func (o *order) statuses() (domain.BookingStatus, domain.RegistrationStatus, domain.TicketStatus) {
	switch {
	case o.waitlisted:
		return domain.BookingStatusWaitlisted, domain.RegistrationStatusWaitlisted, domain.TicketStatusWaitlisted
	case o.total == 0 || o.in.PaymentMethod == domain.PaymentMethodInvoice:
		return domain.BookingStatusConfirmed, domain.RegistrationStatusAccepted, domain.TicketStatusActive
	}
	return domain.BookingStatusPending, domain.RegistrationStatusPending, domain.TicketStatusActive
}

// writeBooking takes the tenant's next order number and writes the booking
// row, confirmed or holding its seats as its status says.
func (e *Engine) writeBooking(ctx context.Context, tx *ent.Tx, tid int, o *order) (*ent.Booking, error) {
	seq, err := e.nextOrderSeq(ctx, tx, tid, o.now)
	if err != nil {
		return nil, err
	}
	return e.writeBookingAs(ctx, tx, tid, o, orderNumber(seq))
}

// writeBookingAs writes the booking row with the given order number.
func (e *Engine) writeBookingAs(ctx context.Context, tx *ent.Tx, tid int, o *order, number string) (*ent.Booking, error) {
	status, _, _ := o.statuses()
	bc := tx.Booking.Create()
	switch status {
	case domain.BookingStatusConfirmed:
		bc.SetConfirmedAt(o.now)
	case domain.BookingStatusPending:
		bc.SetHoldExpiresAt(o.now.Add(e.hold))
	}
	answers := make([]domain.CustomFieldAnswer, 0, len(o.in.CustomFieldAnswers))
	for _, a := range o.in.CustomFieldAnswers {
		answers = append(answers, domain.CustomFieldAnswer{Label: strings.TrimSpace(a.Label), Answer: a.Answer})
	}
	in, first := o.in, o.evs[o.n.eventIDs()[0]]
	return bc.SetTenantID(tid).SetCreatedAt(o.now).SetUpdatedAt(o.now).SetOrderNumber(number).SetStatus(status).
		SetBooker(o.booker).SetNillableInvoiceAddress(in.InvoiceAddress).SetCurrency(o.currency).
		SetSubtotal(o.subtotal).SetTaxTotal(o.taxTotal).SetTotal(o.total).
		SetPaymentStatus(PaymentStatusOf(o.total, 0, 0)).SetPaymentMethod(in.PaymentMethod).
		SetCustomFieldAnswers(answers).SetNillableUtmSource(in.UtmSource).SetNillableUtmMedium(in.UtmMedium).
		SetNillableUtmCampaign(in.UtmCampaign).SetCancellationPolicy(first.CancellationPolicy).
		AddEventIDs(o.n.eventIDs()...).Save(ctx)
}

// nextOrderSeq counts the tenant's order numbers up by one and returns the
// new one (docs/domain-rules.md, rule 10). Where it can, it does so in one
// statement that returns the number; Ent's UpdateOne reads the row back in
// a second one.
func (e *Engine) nextOrderSeq(ctx context.Context, tx *ent.Tx, tid int, now time.Time) (int, error) {
	raw := rawTx(ctx)
	if raw == nil {
		t, err := tx.Tenant.UpdateOneID(tid).AddOrderSeq(1).Save(ctx)
		if err != nil {
			return 0, err
		}
		return t.OrderSeq, nil
	}
	q, args := entsql.Dialect(e.dialect).Update(tenant.Table).Add(tenant.FieldOrderSeq, 1).Set(tenant.FieldUpdatedAt, now).
		Where(entsql.EQ(tenant.FieldID, tid)).Returning(tenant.FieldOrderSeq).Query()
	seqs, err := raw.QueryInts(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	if len(seqs) != 1 {
		return 0, fmt.Errorf("booking: tenant %d not found for its order number", tid)
	}
	return seqs[0], nil
}

// writeTickets writes one registration and one ticket per ticket of the
// booking; waiting registrations take the next places of their queues.
func (o *order) writeTickets(ctx context.Context, tx *ent.Tx, tid int, b *ent.Booking) ([]*ent.Ticket, error) {
	_, regStatus, ticketStatus := o.statuses()
	regs := make([]*ent.RegistrationCreate, len(o.catIDs))
	for i, id := range o.catIDs {
		ev := o.evs[o.cats[id].EventID]
		rc := tx.Registration.Create().SetTenantID(tid).SetCreatedAt(o.now).SetUpdatedAt(o.now).SetEventID(ev.ID).SetParticipant(o.holders[i]).
			SetStatus(regStatus).SetRequestedStatus(domain.RegistrationStatusAccepted)
		if o.waitlisted {
			ev.WaitlistCount++
			rc.SetWaitlistPosition(ev.WaitlistCount)
		}
		regs[i] = rc
	}
	created, err := tx.Registration.CreateBulk(regs...).Save(ctx)
	if err != nil {
		return nil, err
	}
	tks := make([]*ent.TicketCreate, len(o.catIDs))
	for i, id := range o.catIDs {
		c, p := o.cats[id], o.prices[i]
		tks[i] = tx.Ticket.Create().SetTenantID(tid).SetCreatedAt(o.now).SetUpdatedAt(o.now).SetBooking(b).SetEventID(c.EventID).SetTicketCategory(c).
			SetHolder(o.holders[i]).SetRegistration(created[i]).SetCode(NewCode()).SetStatus(ticketStatus).
			SetPrice(p.gross).SetNetPrice(p.net).SetTaxAmount(p.tax).SetCurrency(o.currency)
	}
	return tx.Ticket.CreateBulk(tks...).Save(ctx)
}

// joinQueues counts a waiting booking's registrations on its events'
// waitlists.
func (o *order) joinQueues(ctx context.Context, tx *ent.Tx) error {
	for _, id := range o.n.eventIDs() {
		if err := tx.Event.UpdateOneID(id).AddWaitlistCount(o.n.events[id]).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// bookable returns why an event does not take bookings now, if it does not.
func bookable(ev *ent.Event, now time.Time) error {
	closed := func(why string) error {
		return &domain.RegistrationClosedError{EventID: ev.ID, Message: fmt.Sprintf("%s %s", ev.Title, why)}
	}
	if ev.Status != domain.EventStatusPublished {
		return closed("is not open for registration")
	}
	if ev.RegistrationOpensAt != nil && now.Before(*ev.RegistrationOpensAt) {
		return closed("opens for registration later")
	}
	closes := ev.StartsAt
	if ev.EndsAt != nil {
		closes = *ev.EndsAt
	}
	if ev.RegistrationClosesAt != nil {
		closes = *ev.RegistrationClosesAt
	}
	if !now.Before(closes) {
		return closed("is closed for registration")
	}
	return nil
}

// findOrCreate returns the tenant's participant with the person's e-mail,
// creating it when there is none.
func findOrCreate(ctx context.Context, tx *ent.Tx, tid int, p catalog.Person) (*ent.Participant, error) {
	found, err := tx.Participant.Query().Where(participant.TenantID(tid), participant.Email(p.Email())).Only(ctx)
	if err == nil || !ent.IsNotFound(err) {
		return found, err
	}
	return p.Create(tx, tid).Save(ctx)
}

// codeAlphabet is Crockford's base32: no I, L, O or U to misread.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewCode returns a check-in code: 80 random bits as 16 characters of
// Crockford base32 (docs/domain-rules.md, rule 7).
func NewCode() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	out := make([]byte, 16)
	var acc uint64
	bits, j := 0, 0
	for _, x := range b {
		acc = acc<<8 | uint64(x)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[j] = codeAlphabet[(acc>>uint(bits))&31]
			j++
		}
	}
	return string(out)
}
