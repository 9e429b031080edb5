// Package demo fills an empty tenant with a believable data set: events in
// several cities, time zones and currencies, ticket categories, participants,
// bookings in every status with their tickets, registrations, payments,
// refunds, check-ins and history. It backs the server's -demo flag.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	_ "time/tzdata" // the events' IANA zones, also where the system has none

	"seatgraph/ent"
	"seatgraph/ent/booking"
	"seatgraph/ent/event"
	"seatgraph/ent/history"
	"seatgraph/ent/participant"
	"seatgraph/ent/payment"
	"seatgraph/ent/registration"
	"seatgraph/ent/ticket"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/auth"
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

// Seed fills the tenant tenantID with demo data dated relative to now. A
// tenant that already has an event is left alone (Summary.Skipped).
//
// Everything is written the way the API writes it: events, categories and
// participants through the catalog, bookings, payments, refunds,
// cancellations, registrations and check-ins through the booking engine,
// whose clock runs through the two months before now, so creation times and
// history spread over that time. dialect is the database's SQL dialect
// (dialect.SQLite or dialect.Postgres), as the engine needs it.
//
// The same now gives the same bookings, apart from the ticket check-in codes
// and the times the catalog stamps, which come from crypto/rand and the real
// clock. A seed that fails half way removes what it wrote.
func Seed(ctx context.Context, client *ent.Client, dialect string, tenantID int, now time.Time) (sum Summary, err error) {
	now = now.UTC().Truncate(time.Microsecond)
	ctx = auth.WithTenant(ctx, tenantID)
	if _, err := client.Tenant.Get(ctx, tenantID); err != nil {
		return Summary{}, fmt.Errorf("demo: tenant %d: %w", tenantID, err)
	}
	exists, err := client.Event.Query().Where(event.TenantID(tenantID)).Exist(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	if exists {
		return Summary{Skipped: true}, nil
	}
	before, err := countRows(ctx, client, tenantID)
	if err != nil {
		return Summary{}, err
	}
	s, err := newSeeder(ctx, client, dialect, now)
	if err != nil {
		return Summary{}, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, discard(context.WithoutCancel(ctx), client, tenantID, before))
		}
	}()
	if err := s.createParticipants(); err != nil {
		return Summary{}, err
	}
	if err := s.plan(); err != nil {
		return Summary{}, err
	}
	if err := s.play(); err != nil {
		return Summary{}, err
	}
	after, err := countRows(ctx, client, tenantID)
	if err != nil {
		return Summary{}, err
	}
	return Summary{
		Events:           after.Events - before.Events,
		TicketCategories: after.TicketCategories - before.TicketCategories,
		Participants:     after.Participants - before.Participants,
		Bookings:         after.Bookings - before.Bookings,
		Tickets:          after.Tickets - before.Tickets,
		Registrations:    after.Registrations - before.Registrations,
		Payments:         after.Payments - before.Payments,
		History:          after.History - before.History,
	}, nil
}

// snapshot is what a tenant had before the seed.
type snapshot struct {
	Summary
	lastParticipant int // highest participant id
	orderSeq        int
}

func countRows(ctx context.Context, client *ent.Client, tid int) (snapshot, error) {
	var s snapshot
	for _, c := range []struct {
		n     *int
		count func(context.Context) (int, error)
	}{
		{&s.Events, client.Event.Query().Where(event.TenantID(tid)).Count},
		{&s.TicketCategories, client.TicketCategory.Query().Where(ticketcategory.TenantID(tid)).Count},
		{&s.Participants, client.Participant.Query().Where(participant.TenantID(tid)).Count},
		{&s.Bookings, client.Booking.Query().Where(booking.TenantID(tid)).Count},
		{&s.Tickets, client.Ticket.Query().Where(ticket.TenantID(tid)).Count},
		{&s.Registrations, client.Registration.Query().Where(registration.TenantID(tid)).Count},
		{&s.Payments, client.Payment.Query().Where(payment.TenantID(tid)).Count},
		{&s.History, client.History.Query().Where(history.TenantID(tid)).Count},
	} {
		n, err := c.count(ctx)
		if err != nil {
			return s, fmt.Errorf("demo: counting rows: %w", err)
		}
		*c.n = n
	}
	last, err := client.Participant.Query().Where(participant.TenantID(tid)).Order(ent.Desc(participant.FieldID)).FirstID(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return s, fmt.Errorf("demo: %w", err)
	}
	s.lastParticipant = last
	tn, err := client.Tenant.Get(ctx, tid)
	if err != nil {
		return s, fmt.Errorf("demo: %w", err)
	}
	s.orderSeq = tn.OrderSeq
	return s, nil
}

// discard removes what a failed seed wrote, so that the next one does not
// skip a half-filled tenant. The tenant had no event before the seed, so
// every event, category, booking, ticket, registration, payment and history
// row of it is the seed's; of the participants, those created after it began.
func discard(ctx context.Context, client *ent.Client, tid int, before snapshot) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("demo: cleaning up: %w", err)
	}
	for _, del := range []func() (int, error){
		func() (int, error) { return tx.History.Delete().Where(history.TenantID(tid)).Exec(ctx) },
		func() (int, error) { return tx.Payment.Delete().Where(payment.TenantID(tid)).Exec(ctx) },
		func() (int, error) { return tx.Ticket.Delete().Where(ticket.TenantID(tid)).Exec(ctx) },
		func() (int, error) { return tx.Registration.Delete().Where(registration.TenantID(tid)).Exec(ctx) },
		func() (int, error) { return tx.Booking.Delete().Where(booking.TenantID(tid)).Exec(ctx) },
		func() (int, error) { return tx.TicketCategory.Delete().Where(ticketcategory.TenantID(tid)).Exec(ctx) },
		func() (int, error) { return tx.Event.Delete().Where(event.TenantID(tid)).Exec(ctx) },
		func() (int, error) {
			return tx.Participant.Delete().Where(participant.TenantID(tid), participant.IDGT(before.lastParticipant)).Exec(ctx)
		},
		func() (int, error) { return 0, tx.Tenant.UpdateOneID(tid).SetOrderSeq(before.orderSeq).Exec(ctx) },
	} {
		if _, err := del(); err != nil {
			return errors.Join(fmt.Errorf("demo: cleaning up: %w", err), tx.Rollback())
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("demo: cleaning up: %w", err)
	}
	return nil
}
