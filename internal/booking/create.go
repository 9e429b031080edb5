package booking

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"seatgraph/ent"
	"seatgraph/ent/idempotencykey"
	"seatgraph/ent/participant"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
)

// IdempotencyWindow is how long an idempotency key is remembered.
const IdempotencyWindow = 24 * time.Hour

// CreateBooking checks everything, then in one transaction takes the seats
// and writes the booking, its tickets and registrations (DOMAIN.md rule 2).
func (e *Engine) CreateBooking(ctx context.Context, in CreateBookingInput) (*ent.Booking, error) {
	people, err := validateBooking(in)
	if err != nil {
		return nil, err
	}
	var hash string
	if in.IdempotencyKey != nil {
		hash = requestHash(in)
	}
	var out *ent.Booking
	err = e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		out = nil
		if in.IdempotencyKey != nil {
			first, err := e.claimKey(ctx, tx, tid, *in.IdempotencyKey, hash)
			if err != nil || first != nil {
				out = first
				return err
			}
		}
		b, err := e.book(ctx, tx, tid, in, people)
		if err != nil {
			return err
		}
		if in.IdempotencyKey != nil {
			if _, err := tx.IdempotencyKey.Update().Where(idempotencykey.TenantID(tid), idempotencykey.Key(*in.IdempotencyKey)).
				SetBookingID(b.ID).Save(ctx); err != nil {
				return err
			}
		}
		out = b
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.HoldExpiresAt != nil {
		e.noteHold(*out.HoldExpiresAt)
	}
	return ent.Detach(out, nil)
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
	default:
		return tx.Booking.Get(ctx, k.BookingID)
	}
	// The engine's clock, which the window above is measured on.
	now := e.clock()
	return nil, tx.IdempotencyKey.Create().SetTenantID(tid).SetCreatedAt(now).SetUpdatedAt(now).
		SetKey(key).SetRequestHash(hash).SetBookingID(0).Exec(ctx)
}

// book writes a new booking in tx.
func (e *Engine) book(ctx context.Context, tx *ent.Tx, tid int, in CreateBookingInput, ppl people) (*ent.Booking, error) {
	now := e.clock()
	catIDs := make([]int, len(in.Tickets))
	for i, t := range in.Tickets {
		catIDs[i] = t.TicketCategoryID
	}
	cats, err := tx.TicketCategory.Query().Where(ticketcategory.IDIn(sortedUnique(catIDs)...), ticketcategory.TenantID(tid)).All(ctx)
	if err != nil {
		return nil, err
	}
	catOf := map[int]*ent.TicketCategory{}
	for _, c := range cats {
		catOf[c.ID] = c
	}
	n := need{events: map[int]int{}, categories: map[int]int{}}
	for _, id := range catIDs {
		c, ok := catOf[id]
		if !ok {
			return nil, domain.NotFound("TicketCategory", id)
		}
		n.events[c.EventID]++
		n.categories[id]++
	}
	evs, err := e.lockEvents(ctx, tx, tid, n.eventIDs())
	if err != nil {
		return nil, err
	}
	currency := ""
	for _, id := range n.eventIDs() {
		ev := evs[id]
		if err := bookable(ev, now); err != nil {
			return nil, err
		}
		if ev.MaxTicketsPerBooking != nil && n.events[id] > *ev.MaxTicketsPerBooking {
			return nil, domain.Invalid("tickets", "at most %d tickets per booking for %s", *ev.MaxTicketsPerBooking, ev.Title)
		}
		if currency != "" && ev.Currency != currency {
			return nil, domain.Invalid("tickets", "all tickets of a booking must be in one currency")
		}
		currency = ev.Currency
	}
	for _, c := range cats {
		if (c.SalesStartAt != nil && now.Before(*c.SalesStartAt)) || (c.SalesEndAt != nil && !now.Before(*c.SalesEndAt)) {
			return nil, &domain.RegistrationClosedError{EventID: c.EventID, Message: fmt.Sprintf("%s is not on sale now", c.Name)}
		}
	}
	if err := e.expireDue(ctx, tx, tid, n.eventIDs(), evs); err != nil {
		return nil, err
	}
	// On SQLite the transaction has held the write lock since it began, so
	// the categories read above are current; PostgreSQL locks them now,
	// after their events, in the order every transaction locks them.
	locked := catOf
	if e.postgres() {
		if locked, err = e.lockCategories(ctx, tx, tid, n.categoryIDs()); err != nil {
			return nil, err
		}
	}
	waitlisted := false
	if ok, full := fits(n, evs, locked, false); !ok {
		canWait := true
		for _, id := range n.eventIDs() {
			canWait = canWait && evs[id].WaitlistEnabled
		}
		if !canWait || in.JoinWaitlist == nil || !*in.JoinWaitlist {
			ev := evs[full]
			var left *int
			if ev.Capacity != nil {
				l := max(0, free(ev))
				left = &l
			}
			return nil, &domain.SoldOutError{EventID: full, AvailableSeats: left, WaitlistAvailable: canWait,
				Message: fmt.Sprintf("not enough seats left for %s", ev.Title)}
		}
		waitlisted = true
	}

	// The seats are there (or the booking waits): write it.
	booker, err := findOrCreate(ctx, tx, tid, ppl.booker)
	if err != nil {
		return nil, err
	}
	holders := make([]*ent.Participant, len(in.Tickets))
	for i, h := range ppl.holders {
		holders[i] = booker
		if h != nil {
			if holders[i], err = findOrCreate(ctx, tx, tid, *h); err != nil {
				return nil, err
			}
		}
	}
	type priced struct{ gross, net, tax int64 }
	prices := make([]priced, len(catIDs))
	var subtotal, taxTotal, total int64
	for i, id := range catIDs {
		c := catOf[id]
		net, tax := NetOf(c.Price, c.TaxRatePercent)
		prices[i] = priced{c.Price, net, tax}
		subtotal, taxTotal, total = subtotal+net, taxTotal+tax, total+c.Price
	}
	if in.PaymentMethod == domain.PaymentMethodFree && total > 0 {
		return nil, domain.Invalid("paymentMethod", "FREE is only for bookings whose total is zero")
	}
	seq, err := tx.Tenant.UpdateOneID(tid).AddOrderSeq(1).Save(ctx)
	if err != nil {
		return nil, err
	}
	status, regStatus, ticketStatus := domain.BookingStatusPending, domain.RegistrationStatusPending, domain.TicketStatusActive
	bc := tx.Booking.Create()
	switch {
	case waitlisted:
		status, regStatus, ticketStatus = domain.BookingStatusWaitlisted, domain.RegistrationStatusWaitlisted, domain.TicketStatusWaitlisted
	case total == 0 || in.PaymentMethod == domain.PaymentMethodInvoice:
		status, regStatus = domain.BookingStatusConfirmed, domain.RegistrationStatusAccepted
		bc.SetConfirmedAt(now)
	default:
		bc.SetHoldExpiresAt(now.Add(e.hold))
	}
	answers := make([]domain.CustomFieldAnswer, 0, len(in.CustomFieldAnswers))
	for _, a := range in.CustomFieldAnswers {
		answers = append(answers, domain.CustomFieldAnswer{Label: strings.TrimSpace(a.Label), Answer: a.Answer})
	}
	first := evs[n.eventIDs()[0]]
	b, err := bc.SetTenantID(tid).SetCreatedAt(now).SetUpdatedAt(now).SetOrderNumber(fmt.Sprintf("BK-%06d", seq.OrderSeq)).SetStatus(status).
		SetBooker(booker).SetNillableInvoiceAddress(in.InvoiceAddress).SetCurrency(currency).
		SetSubtotal(subtotal).SetTaxTotal(taxTotal).SetTotal(total).
		SetPaymentStatus(PaymentStatusOf(total, 0, 0)).SetPaymentMethod(in.PaymentMethod).
		SetCustomFieldAnswers(answers).SetNillableUtmSource(in.UtmSource).SetNillableUtmMedium(in.UtmMedium).
		SetNillableUtmCampaign(in.UtmCampaign).SetCancellationPolicy(first.CancellationPolicy).
		AddEventIDs(n.eventIDs()...).Save(ctx)
	if err != nil {
		return nil, err
	}
	regs := make([]*ent.RegistrationCreate, len(catIDs))
	for i, id := range catIDs {
		ev := evs[catOf[id].EventID]
		rc := tx.Registration.Create().SetTenantID(tid).SetCreatedAt(now).SetUpdatedAt(now).SetEventID(ev.ID).SetParticipant(holders[i]).
			SetStatus(regStatus).SetRequestedStatus(domain.RegistrationStatusAccepted)
		if waitlisted {
			ev.WaitlistCount++
			rc.SetWaitlistPosition(ev.WaitlistCount)
		}
		regs[i] = rc
	}
	created, err := tx.Registration.CreateBulk(regs...).Save(ctx)
	if err != nil {
		return nil, err
	}
	tks := make([]*ent.TicketCreate, len(catIDs))
	for i, id := range catIDs {
		c := catOf[id]
		tks[i] = tx.Ticket.Create().SetTenantID(tid).SetCreatedAt(now).SetUpdatedAt(now).SetBooking(b).SetEventID(c.EventID).SetTicketCategory(c).
			SetHolder(holders[i]).SetRegistration(created[i]).SetCode(NewCode()).SetStatus(ticketStatus).
			SetPrice(prices[i].gross).SetNetPrice(prices[i].net).SetTaxAmount(prices[i].tax).SetCurrency(currency)
	}
	tickets, err := tx.Ticket.CreateBulk(tks...).Save(ctx)
	if err != nil {
		return nil, err
	}
	if waitlisted {
		for _, id := range n.eventIDs() {
			if err := tx.Event.UpdateOneID(id).AddWaitlistCount(n.events[id]).Exec(ctx); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	if err := take(ctx, tx, n, evs, locked, 1); err != nil {
		return nil, err
	}
	return b, recordBooked(ctx, tx, tid, b.ID, tickets, now)
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
// Crockford base32 (DOMAIN.md rule 7).
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
