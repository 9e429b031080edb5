// Package demo fills an empty tenant with a believable data set: events in
// several cities, time zones and currencies, ticket categories, participants,
// bookings in every status with their tickets, registrations, payments,
// refunds, check-ins and history. It backs the server's -demo flag.
package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	_ "time/tzdata" // the events' IANA zones, also where the system has none

	"seatgraph/ent"
	"seatgraph/ent/event"
	"seatgraph/enums"
)

// Summary tells what Seed wrote.
type Summary struct {
	// Skipped is true when the tenant already had events and nothing was written.
	Skipped          bool
	Events           int
	TicketCategories int
	Participants     int
	Bookings         int
	Tickets          int
	Registrations    int // with and without tickets
	Payments         int // payments and refunds
	History          int
}

func (s Summary) String() string {
	if s.Skipped {
		return "demo data skipped: the tenant already has events"
	}
	return fmt.Sprintf("demo data: %d events, %d ticket categories, %d participants, %d bookings, "+
		"%d tickets, %d registrations, %d payments, %d history entries",
		s.Events, s.TicketCategories, s.Participants, s.Bookings, s.Tickets, s.Registrations, s.Payments, s.History)
}

// Seed fills the tenant tenantID with demo data dated relative to now, in one
// transaction. A tenant that already has an event is left alone
// (Summary.Skipped). The same now gives the same data set, apart from the
// ticket check-in codes, which come from crypto/rand.
func Seed(ctx context.Context, client *ent.Client, tenantID int, now time.Time) (sum Summary, err error) {
	now = now.UTC().Truncate(time.Microsecond)
	p, err := newPlanner(now)
	if err != nil {
		return Summary{}, err
	}
	if err := p.plan(); err != nil {
		return Summary{}, err
	}

	tx, err := client.Tx(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("demo: begin: %w", err)
	}
	finished := false // committed or rolled back
	defer func() {
		if !finished {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	if _, err := tx.Tenant.Get(ctx, tenantID); err != nil {
		return Summary{}, fmt.Errorf("demo: tenant %d: %w", tenantID, err)
	}
	exists, err := tx.Event.Query().Where(event.TenantID(tenantID)).Exist(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	if exists {
		finished = true
		if err := tx.Rollback(); err != nil {
			return Summary{}, fmt.Errorf("demo: rollback: %w", err)
		}
		return Summary{Skipped: true}, nil
	}
	w := &writer{tx: tx, tenant: tenantID}
	if err := w.write(ctx, p); err != nil {
		return Summary{}, err
	}
	// New bookings continue the order numbers the demo handed out.
	if err := tx.Tenant.UpdateOneID(tenantID).SetOrderSeq(w.sum.Bookings).Exec(ctx); err != nil {
		return Summary{}, fmt.Errorf("demo: order numbers: %w", err)
	}
	finished = true
	if err := tx.Commit(); err != nil {
		return Summary{}, fmt.Errorf("demo: commit: %w", err)
	}
	return w.sum, nil
}

type writer struct {
	tx      *ent.Tx
	tenant  int
	sum     Summary
	history []*historyRow
}

type historyRow struct {
	kind     enums.HistoryKind
	at       time.Time
	event    *pEvent
	booking  *pBooking
	ticket   *pTicket
	payment  *pPayment
	quantity int
	amount   int64
	currency string
	detail   string
}

func (w *writer) write(ctx context.Context, p *planner) error {
	for _, e := range p.events {
		if err := w.event(ctx, e); err != nil {
			return err
		}
	}
	for _, pp := range p.people {
		if err := w.person(ctx, pp); err != nil {
			return err
		}
	}
	for _, b := range p.bookings {
		if err := w.booking(ctx, b); err != nil {
			return err
		}
	}
	for _, r := range p.regs {
		if err := w.registration(ctx, r); err != nil {
			return err
		}
	}
	return w.flushHistory(ctx)
}

func (w *writer) event(ctx context.Context, e *pEvent) error {
	s := e.spec
	c := w.tx.Event.Create().
		SetTenantID(w.tenant).
		SetCreatedAt(e.created).
		SetUpdatedAt(e.updated).
		SetTitle(s.title).
		SetDescription(s.description).
		SetStatus(s.status).
		SetStartsAt(e.starts).
		SetEndsAt(e.ends).
		SetTimeZone(s.timeZone).
		SetVenue(s.venue).
		SetAddress(s.address).
		SetCategory(s.category).
		SetNillableCapacity(s.capacity).
		SetWaitlistEnabled(s.waitlist).
		SetRegistrationOpensAt(e.opens).
		SetRegistrationClosesAt(e.closes).
		SetNillableMaxTicketsPerBooking(s.maxPerBooking).
		SetCurrency(s.currency).
		SetRegisteredCount(e.held).
		SetWaitlistCount(e.waitlisted).
		SetCheckedInCount(e.checkedIn).
		SetNillableCancelledAt(e.cancelledAt)
	if s.onlineURL != "" {
		c.SetOnlineURL(s.onlineURL)
	}
	if s.policy != nil {
		c.SetCancellationPolicy(*s.policy)
	}
	if s.cancelReason != "" {
		c.SetCancellationReason(s.cancelReason)
	}
	row, err := c.Save(ctx)
	if err != nil {
		return fmt.Errorf("demo: event %s: %w", s.key, err)
	}
	e.id = row.ID
	w.sum.Events++
	for _, cat := range e.cats {
		cs := cat.spec
		cc := w.tx.TicketCategory.Create().
			SetTenantID(w.tenant).
			SetCreatedAt(cat.created).
			SetUpdatedAt(cat.created).
			SetEventID(e.id).
			SetName(cs.name).
			SetDescription(cs.description).
			SetPrice(cs.price).
			SetCurrency(s.currency).
			SetTaxRatePercent(cs.taxRate).
			SetNillableCapacity(cs.capacity).
			SetSoldCount(cat.active).
			SetSalesStartAt(e.opens).
			SetNillableSalesEndAt(cat.salesTo)
		row, err := cc.Save(ctx)
		if err != nil {
			return fmt.Errorf("demo: category %s/%s: %w", s.key, cs.name, err)
		}
		cat.id = row.ID
		w.sum.TicketCategories++
	}
	return nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (w *writer) person(ctx context.Context, pp *pPerson) error {
	s := pp.spec
	row, err := w.tx.Participant.Create().
		SetTenantID(w.tenant).
		SetCreatedAt(pp.firstUse).
		SetUpdatedAt(pp.firstUse).
		SetFirstName(s.first).
		SetLastName(s.last).
		SetEmail(s.email).
		SetNillablePhone(nonEmpty(s.phone)).
		SetNillableCompany(nonEmpty(s.company)).
		SetNillableJobTitle(nonEmpty(s.jobTitle)).
		SetNillableAddress(nonEmpty(s.address)).
		SetNillableZipCode(nonEmpty(s.zip)).
		SetNillableCity(nonEmpty(s.city)).
		SetNillableCountryCode(nonEmpty(s.country)).
		SetNillableExternalRef(nonEmpty(s.externalRef)).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("demo: participant %s: %w", s.email, err)
	}
	pp.id = row.ID
	w.sum.Participants++
	return nil
}

func (w *writer) booking(ctx context.Context, b *pBooking) error {
	subtotal, tax, total, paid, refunded := b.totals()
	eventIDs := make([]int, 0, len(b.events))
	for _, e := range b.events {
		eventIDs = append(eventIDs, e.id)
	}
	c := w.tx.Booking.Create().
		SetTenantID(w.tenant).
		SetCreatedAt(b.created).
		SetUpdatedAt(b.updated).
		SetOrderNumber(b.orderNumber).
		SetStatus(b.status).
		SetBookerID(b.booker.id).
		SetNillableInvoiceAddress(b.invoiceAddr).
		SetCurrency(b.currency).
		SetSubtotal(subtotal).
		SetTaxTotal(tax).
		SetTotal(total).
		SetPaidAmount(paid).
		SetRefundedAmount(refunded).
		SetPaymentStatus(paymentStatusFor(total, paid, refunded)).
		SetPaymentMethod(b.method).
		SetNillableInvoiceNumber(b.invoiceNo).
		SetNillableHoldExpiresAt(b.hold).
		SetNillableConfirmedAt(b.confirmed).
		SetNillableCancelledAt(b.cancelled).
		SetNillableCancellationReason(b.reason).
		SetNillableUtmSource(b.utmSource).
		SetNillableUtmMedium(b.utmMedium).
		SetNillableUtmCampaign(b.utmCampaign).
		AddEventIDs(eventIDs...)
	if b.method == enums.PaymentMethodFree && total != 0 {
		return fmt.Errorf("demo: free booking %s costs %d", b.orderNumber, total)
	}
	if len(b.answers) > 0 {
		c.SetCustomFieldAnswers(b.answers)
	}
	if b.policy != nil {
		c.SetCancellationPolicy(*b.policy)
	}
	row, err := c.Save(ctx)
	if err != nil {
		return fmt.Errorf("demo: booking %s: %w", b.orderNumber, err)
	}
	b.id = row.ID
	w.sum.Bookings++

	for _, t := range b.tickets {
		if err := w.ticket(ctx, b, t); err != nil {
			return err
		}
	}
	for _, pay := range b.payments {
		if err := w.payment(ctx, b, pay); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) ticket(ctx context.Context, b *pBooking, t *pTicket) error {
	regUpdated := b.created
	if b.confirmed != nil && t.reg == enums.RegistrationStatusAccepted {
		regUpdated = *b.confirmed
	}
	if t.cancelled != nil {
		regUpdated = *t.cancelled
	}
	reg, err := w.tx.Registration.Create().
		SetTenantID(w.tenant).
		SetCreatedAt(b.created).
		SetUpdatedAt(regUpdated).
		SetEventID(t.ev.id).
		SetParticipantID(t.holder.id).
		SetStatus(t.reg).
		SetNillableWaitlistPosition(t.waitPos).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("demo: registration of %s: %w", b.orderNumber, err)
	}
	t.regID = reg.ID
	w.sum.Registrations++

	code, err := newCheckInCode()
	if err != nil {
		return fmt.Errorf("demo: check-in code: %w", err)
	}
	row, err := w.tx.Ticket.Create().
		SetTenantID(w.tenant).
		SetCreatedAt(b.created).
		SetUpdatedAt(t.updated).
		SetBookingID(b.id).
		SetEventID(t.ev.id).
		SetTicketCategoryID(t.cat.id).
		SetHolderID(t.holder.id).
		SetRegistrationID(reg.ID).
		SetCode(code).
		SetStatus(t.status).
		SetNillableCheckedInAt(t.checkedIn).
		SetPrice(t.gross).
		SetNetPrice(t.net).
		SetTaxAmount(t.tax).
		SetCurrency(b.currency).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("demo: ticket of %s: %w", b.orderNumber, err)
	}
	t.id = row.ID
	w.sum.Tickets++

	if t.status != enums.TicketStatusWaitlisted {
		w.history = append(w.history, &historyRow{kind: enums.HistoryTicketBooked, at: b.created, event: t.ev,
			booking: b, ticket: t, quantity: 1, amount: t.gross, currency: b.currency, detail: t.cat.spec.name})
	}
	if t.cancelled != nil {
		detail := "cancelled"
		if b.status == enums.BookingStatusExpired {
			detail = "hold expired"
		}
		w.history = append(w.history, &historyRow{kind: enums.HistoryTicketCancelled, at: *t.cancelled, event: t.ev,
			booking: b, ticket: t, quantity: 1, amount: t.gross, currency: b.currency, detail: detail})
	}
	if t.checkedIn != nil {
		w.history = append(w.history, &historyRow{kind: enums.HistoryCheckedIn, at: *t.checkedIn, event: t.ev,
			booking: b, ticket: t, quantity: 1, currency: b.currency})
	}
	return nil
}

func (w *writer) payment(ctx context.Context, b *pBooking, pay *pPayment) error {
	updated := pay.created
	if pay.paidAt != nil {
		updated = *pay.paidAt
	}
	row, err := w.tx.Payment.Create().
		SetTenantID(w.tenant).
		SetCreatedAt(pay.created).
		SetUpdatedAt(updated).
		SetBookingID(b.id).
		SetKind(pay.kind).
		SetAmount(pay.amount).
		SetCurrency(b.currency).
		SetMethod(pay.method).
		SetStatus(pay.status).
		SetNillableProviderReference(pay.ref).
		SetNillablePaidAt(pay.paidAt).
		SetNillableNote(pay.note).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("demo: payment of %s: %w", b.orderNumber, err)
	}
	pay.id = row.ID
	w.sum.Payments++
	if pay.status != enums.PaymentRecordStatusSucceeded {
		return nil
	}
	kind := enums.HistoryPaymentSucceeded
	if pay.kind == enums.PaymentKindRefund {
		kind = enums.HistoryRefundSucceeded
	}
	// per event, so eventStatistics can add up revenue: a payment of a booking
	// with tickets for several events is split by the events' ticket prices.
	for _, s := range splitByEvent(b, pay.amount) {
		if s.amount == 0 {
			continue
		}
		w.history = append(w.history, &historyRow{kind: kind, at: *pay.paidAt, event: s.event, booking: b,
			payment: pay, amount: s.amount, currency: b.currency, detail: string(pay.method)})
	}
	return nil
}

// splitByEvent shares amount among the booking's events in proportion to
// their tickets' gross prices; the last event takes the rounding rest.
type eventShare struct {
	event  *pEvent
	amount int64
}

func splitByEvent(b *pBooking, amount int64) []eventShare {
	if len(b.events) == 1 {
		return []eventShare{{b.events[0], amount}}
	}
	out := make([]eventShare, 0, len(b.events))
	var total int64
	byEvent := map[*pEvent]int64{}
	for _, t := range b.tickets {
		byEvent[t.ev] += t.gross
		total += t.gross
	}
	rest := amount
	for i, e := range b.events {
		share := rest
		if i < len(b.events)-1 && total > 0 {
			share = divRoundHalfUp(amount*byEvent[e], total)
		}
		out = append(out, eventShare{e, share})
		rest -= share
	}
	return out
}

func (w *writer) registration(ctx context.Context, r *pReg) error {
	_, err := w.tx.Registration.Create().
		SetTenantID(w.tenant).
		SetCreatedAt(r.created).
		SetUpdatedAt(r.updated).
		SetEventID(r.ev.id).
		SetParticipantID(r.person.id).
		SetStatus(r.status).
		SetRequestedStatus(r.requested).
		SetMetadata(r.metadata).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("demo: registration on %s: %w", r.ev.spec.key, err)
	}
	w.sum.Registrations++
	return nil
}

func (w *writer) flushHistory(ctx context.Context) error {
	slices.SortStableFunc(w.history, func(a, b *historyRow) int { return a.at.Compare(b.at) })
	const chunk = 100
	for start := 0; start < len(w.history); start += chunk {
		rows := w.history[start:min(start+chunk, len(w.history))]
		creates := make([]*ent.HistoryCreate, 0, len(rows))
		for _, h := range rows {
			c := w.tx.History.Create().
				SetTenantID(w.tenant).
				SetCreatedAt(h.at).
				SetUpdatedAt(h.at).
				SetKind(h.kind).
				SetOccurredAt(h.at).
				SetEventID(h.event.id).
				SetBookingID(h.booking.id).
				SetQuantity(h.quantity).
				SetAmount(h.amount).
				SetCurrency(h.currency)
			if h.ticket != nil {
				c.SetTicketID(h.ticket.id)
			}
			if h.payment != nil {
				c.SetPaymentID(h.payment.id)
			}
			if h.detail != "" {
				c.SetDetail(h.detail)
			}
			creates = append(creates, c)
		}
		if err := w.tx.History.CreateBulk(creates...).Exec(ctx); err != nil {
			return fmt.Errorf("demo: history: %w", err)
		}
		w.sum.History += len(rows)
	}
	return nil
}
