package booking

import (
	"context"
	"fmt"

	"seatgraph/ent"
	"seatgraph/ent/registration"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
)

// CreateRegistration registers a participant for an event without a ticket
// (free events, approval flows). When the event is full it waits on the
// waitlist if the event has one, else it is a SoldOutError.
func (e *Engine) CreateRegistration(ctx context.Context, in CreateRegistrationInput) (*ent.Registration, error) {
	status := domain.RegistrationStatusAccepted
	if in.Status != nil {
		status = *in.Status
	}
	if status != domain.RegistrationStatusAccepted && status != domain.RegistrationStatusPending {
		return nil, domain.Invalid("status", "a new registration is PENDING or ACCEPTED")
	}
	person, err := catalog.ValidatePerson("participant.", in.Participant)
	if err != nil {
		return nil, err
	}
	var out *ent.Registration
	err = e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		evs, err := e.lockEvents(ctx, tx, tid, []int{in.EventID})
		if err != nil {
			return err
		}
		ev := evs[in.EventID]
		if ev == nil {
			return domain.NotFound("Event", in.EventID)
		}
		if err := bookable(ev, e.clock()); err != nil {
			return err
		}
		if err := e.expireDue(ctx, tx, tid, []int{ev.ID}, evs); err != nil {
			return err
		}
		p, err := findOrCreate(ctx, tx, tid, person)
		if err != nil {
			return err
		}
		now := e.clock()
		rc := tx.Registration.Create().SetTenantID(tid).SetCreatedAt(now).SetUpdatedAt(now).SetEventID(ev.ID).SetParticipant(p).
			SetRequestedStatus(status).SetMetadata(in.Metadata)
		if free(ev) >= 1 && ev.WaitlistCount == 0 {
			if out, err = rc.SetStatus(status).Save(ctx); err != nil {
				return err
			}
			return tx.Event.UpdateOneID(ev.ID).AddRegisteredCount(1).Exec(ctx)
		}
		if !ev.WaitlistEnabled {
			left := max(0, free(ev))
			return &domain.SoldOutError{EventID: ev.ID, AvailableSeats: &left, WaitlistAvailable: false,
				Message: fmt.Sprintf("%s is full", ev.Title)}
		}
		if out, err = rc.SetStatus(domain.RegistrationStatusWaitlisted).SetWaitlistPosition(ev.WaitlistCount + 1).Save(ctx); err != nil {
			return err
		}
		return tx.Event.UpdateOneID(ev.ID).AddWaitlistCount(1).Exec(ctx)
	})
	return ent.Detach(out, err)
}

// registrationMoves are docs/domain-rules.md, rule 8.
var registrationMoves = map[domain.RegistrationStatus][]domain.RegistrationStatus{
	domain.RegistrationStatusPending:    {domain.RegistrationStatusAccepted, domain.RegistrationStatusDeclined, domain.RegistrationStatusRemoved, domain.RegistrationStatusCancelled},
	domain.RegistrationStatusAccepted:   {domain.RegistrationStatusRemoved, domain.RegistrationStatusCancelled},
	domain.RegistrationStatusWaitlisted: {domain.RegistrationStatusPending, domain.RegistrationStatusAccepted, domain.RegistrationStatusCancelled, domain.RegistrationStatusRemoved},
}

func holdsSeat(s domain.RegistrationStatus) bool {
	return s == domain.RegistrationStatusPending || s == domain.RegistrationStatusAccepted
}

// UpdateRegistrationStatus moves a registration as rule 8 allows. Freed
// seats go to the waitlist; a waitlisted registration moves up only while a
// seat is free. Registrations of tickets follow their booking and are
// changed through it.
func (e *Engine) UpdateRegistrationStatus(ctx context.Context, in UpdateRegistrationStatusInput) (*ent.Registration, error) {
	var out *ent.Registration
	err := e.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		r, err := e.lockRegistration(ctx, tx, tid, in.ID)
		if err != nil {
			return err
		}
		if err := checkMove(r, in.Status); err != nil {
			return err
		}
		evs, err := e.lockEvents(ctx, tx, tid, []int{r.EventID})
		if err != nil {
			return err
		}
		if err := e.move(ctx, tx, tid, r, in.Status, evs); err != nil {
			return err
		}
		out, err = tx.Registration.Get(ctx, r.ID)
		return err
	})
	return ent.Detach(out, err)
}

// lockRegistration reads a registration of the tenant with its ticket, on
// PostgreSQL after locking its event.
func (e *Engine) lockRegistration(ctx context.Context, tx *ent.Tx, tid, id int) (*ent.Registration, error) {
	r, err := tx.Registration.Query().Where(registration.ID(id), registration.TenantID(tid)).WithTicket().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, domain.NotFound("Registration", id)
	}
	if err != nil || !e.postgres() {
		return r, err
	}
	// Lock the event first, then read the registration again: the first
	// read may predate a change committed while we waited.
	if _, err := e.lockEvents(ctx, tx, tid, []int{r.EventID}); err != nil {
		return nil, err
	}
	return tx.Registration.Query().Where(registration.ID(r.ID)).WithTicket().Only(ctx)
}

// checkMove refuses what rule 8 does not allow, and any move of a ticket's
// registration.
func checkMove(r *ent.Registration, to domain.RegistrationStatus) error {
	if r.Edges.Ticket != nil {
		return domain.InvalidState("this registration belongs to a ticket; change its booking instead")
	}
	for _, s := range registrationMoves[r.Status] {
		if s == to {
			return nil
		}
	}
	return domain.InvalidState("a %s registration cannot become %s", r.Status, to)
}

// move gives a registration its new status and moves the seat counts and
// the queue with it: moving up from the waitlist needs a free seat, giving
// a seat up promotes the queue.
func (e *Engine) move(ctx context.Context, tx *ent.Tx, tid int, r *ent.Registration, to domain.RegistrationStatus, evs map[int]*ent.Event) error {
	ev := evs[r.EventID]
	switch {
	case r.Status == domain.RegistrationStatusWaitlisted && holdsSeat(to):
		if free(ev) < 1 {
			left := 0
			return &domain.SoldOutError{EventID: ev.ID, AvailableSeats: &left, WaitlistAvailable: true,
				Message: fmt.Sprintf("%s has no free seat", ev.Title)}
		}
		if err := dequeue(ctx, tx, []*ent.Registration{r}, to, evs); err != nil {
			return err
		}
		return tx.Event.UpdateOneID(ev.ID).AddRegisteredCount(1).Exec(ctx)
	case r.Status == domain.RegistrationStatusWaitlisted:
		return dequeue(ctx, tx, []*ent.Registration{r}, to, evs)
	case holdsSeat(r.Status) && !holdsSeat(to):
		if err := tx.Registration.UpdateOne(r).SetStatus(to).Exec(ctx); err != nil {
			return err
		}
		if err := tx.Event.UpdateOneID(ev.ID).AddRegisteredCount(-1).Exec(ctx); err != nil {
			return err
		}
		ev.RegisteredCount--
		return e.promote(ctx, tx, tid, ev.ID, evs)
	}
	return tx.Registration.UpdateOne(r).SetStatus(to).Exec(ctx)
}
