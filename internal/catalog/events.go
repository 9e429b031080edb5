package catalog

import (
	"context"
	"fmt"
	"time"

	"seatgraph/ent"
	"seatgraph/ent/event"
	"seatgraph/ent/registration"
	"seatgraph/ent/ticket"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/domain"
)

// eventFields are the validated scalar fields of a new event.
type eventFields struct {
	title, timeZone, currency              string
	description, venue, address, onlineURL *string
	category                               *string
}

// newEvent is a checked CreateEventInput.
type newEvent struct {
	f      eventFields
	policy domain.CancellationPolicy
	cats   []categoryFields
	status domain.EventStatus
}

// CreateEvent creates an event with its categories, a DRAFT unless publish.
func (c *Catalog) CreateEvent(ctx context.Context, in CreateEventInput) (*ent.Event, error) {
	ne, err := checkNewEvent(in)
	if err != nil {
		return nil, err
	}
	f := ne.f
	var ev *ent.Event
	err = c.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		var err error
		ev, err = tx.Event.Create().
			SetTenantID(tid).SetTitle(f.title).SetNillableDescription(f.description).SetStatus(ne.status).
			SetStartsAt(in.StartsAt).SetNillableEndsAt(in.EndsAt).SetTimeZone(f.timeZone).
			SetNillableVenue(f.venue).SetNillableAddress(f.address).SetNillableOnlineURL(f.onlineURL).
			SetNillableCategory(f.category).SetNillableCapacity(in.Capacity).
			SetWaitlistEnabled(in.WaitlistEnabled != nil && *in.WaitlistEnabled).
			SetNillableRegistrationOpensAt(in.RegistrationOpensAt).SetNillableRegistrationClosesAt(in.RegistrationClosesAt).
			SetNillableMaxTicketsPerBooking(in.MaxTicketsPerBooking).SetCurrency(f.currency).
			SetCancellationPolicy(ne.policy).
			Save(ctx)
		if err != nil {
			return err
		}
		for _, cat := range ne.cats {
			if _, err := cat.create(tx, tid, ev).Save(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ev.Unwrap(), nil
}

// checkNewEvent checks every field of a new event and its categories; an
// event to publish needs a category.
func checkNewEvent(in CreateEventInput) (newEvent, error) {
	var ck checker
	ne := newEvent{f: eventFields{
		title:       ck.text("title", in.Title, true, 200),
		description: ck.optText("description", in.Description, 20000),
		venue:       ck.optText("venue", in.Venue, 200),
		address:     ck.optText("address", in.Address, 500),
		onlineURL:   ck.url("onlineUrl", in.OnlineURL),
		category:    ck.optText("category", in.Category, 100),
		timeZone:    "UTC",
		currency:    "EUR",
	}}
	if in.TimeZone != nil {
		ne.f.timeZone = ck.timeZone("timeZone", *in.TimeZone)
	}
	if in.Currency != nil {
		ne.f.currency = ck.currency("currency", *in.Currency)
	}
	ck.order("endsAt", &in.StartsAt, in.EndsAt, "startsAt")
	ck.nonNegative("capacity", in.Capacity)
	ck.order("registrationClosesAt", in.RegistrationOpensAt, in.RegistrationClosesAt, "registrationOpensAt")
	ck.positive("maxTicketsPerBooking", in.MaxTicketsPerBooking)
	ne.policy = ck.policy("cancellationPolicy", in.CancellationPolicy, ne.f.currency)
	ne.cats = make([]categoryFields, len(in.TicketCategories))
	for i, tc := range in.TicketCategories {
		ne.cats[i] = ck.category(fmt.Sprintf("ticketCategories.%d.", i), categoryInput(*tc), ne.f.currency)
	}
	publish := in.Publish != nil && *in.Publish
	if publish && len(ne.cats) == 0 {
		ck.fail("ticketCategories", "an event needs a ticket category to be published")
	}
	ne.status = domain.EventStatusDraft
	if publish {
		ne.status = domain.EventStatusPublished
	}
	if !ck.ok() {
		return ne, ck.result()
	}
	return ne, nil
}

// loadEvent reads an event of the tenant, or a NotFoundError.
func loadEvent(ctx context.Context, tx *ent.Tx, tid, id int) (*ent.Event, error) {
	ev, err := tx.Event.Query().Where(event.ID(id), event.TenantID(tid)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, domain.NotFound("Event", id)
	}
	return ev, err
}

// UpdateEvent changes the given fields of an event.
func (c *Catalog) UpdateEvent(ctx context.Context, in EventChanges) (*ent.Event, error) {
	var out *ent.Event
	err := c.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		ev, err := loadEvent(ctx, tx, tid, in.ID)
		if err != nil {
			return err
		}
		ch := &eventChange{in: in, ev: ev, u: tx.Event.UpdateOne(ev)}
		ch.describe()
		ch.seats()
		ch.window()
		prices, err := ch.money(ctx, tx)
		if err != nil {
			return err
		}
		if !ch.ck.ok() {
			return ch.ck.result()
		}
		saved, err := ch.u.Save(ctx)
		if err != nil {
			return err
		}
		out, err = c.afterEventUpdate(ctx, tx, ev, saved, prices, ch.currency)
		return err
	})
	return unwrap(out, err)
}

// eventChange is an update of an event being checked and built, field by
// field, in the order the checker reports failures.
type eventChange struct {
	ck       checker
	in       EventChanges
	ev       *ent.Event
	u        *ent.EventUpdateOne
	currency string // the event's currency after the change
}

// describe changes the title, description, times and place.
func (ch *eventChange) describe() {
	ck, in, u := &ch.ck, ch.in, ch.u
	if in.Title != nil {
		u.SetTitle(ck.text("title", *in.Title, true, 200))
	}
	setOptText(ck, in.Description, "description", 20000, u.SetDescription, u.ClearDescription)
	startsAt, endsAt := ch.ev.StartsAt, ch.ev.EndsAt
	if in.StartsAt != nil {
		startsAt = *in.StartsAt
		u.SetStartsAt(startsAt)
	}
	if in.EndsAt.IsSet() {
		endsAt = in.EndsAt.Value()
		u.SetNillableEndsAt(endsAt)
		if endsAt == nil {
			u.ClearEndsAt()
		}
	}
	ck.order("endsAt", &startsAt, endsAt, "startsAt")
	if in.TimeZone != nil {
		u.SetTimeZone(ck.timeZone("timeZone", *in.TimeZone))
	}
	setOptText(ck, in.Venue, "venue", 200, u.SetVenue, u.ClearVenue)
	setOptText(ck, in.Address, "address", 500, u.SetAddress, u.ClearAddress)
	setOptText(ck, in.Category, "category", 100, u.SetCategory, u.ClearCategory)
	if in.OnlineURL.IsSet() {
		if v := ck.url("onlineUrl", in.OnlineURL.Value()); v != nil {
			u.SetOnlineURL(*v)
		} else {
			u.ClearOnlineURL()
		}
	}
}

// seats changes the capacity, never below the seats already held
// (docs/domain-rules.md, rule 9), and the waitlist.
func (ch *eventChange) seats() {
	ck, in, u := &ch.ck, ch.in, ch.u
	if in.Capacity.IsSet() {
		capacity := in.Capacity.Value()
		ck.nonNegative("capacity", capacity)
		if capacity != nil && *capacity < ch.ev.RegisteredCount {
			ck.fail("capacity", "%d seats are held; the capacity cannot be lower", ch.ev.RegisteredCount)
		}
		if capacity == nil {
			u.ClearCapacity()
		} else {
			u.SetCapacity(*capacity)
		}
	}
	if in.WaitlistEnabled != nil {
		u.SetWaitlistEnabled(*in.WaitlistEnabled)
	}
}

// window changes the registration window and the tickets per booking.
func (ch *eventChange) window() {
	ck, in, u := &ch.ck, ch.in, ch.u
	opens, closes := ch.ev.RegistrationOpensAt, ch.ev.RegistrationClosesAt
	if in.RegistrationOpensAt.IsSet() {
		opens = in.RegistrationOpensAt.Value()
		if opens == nil {
			u.ClearRegistrationOpensAt()
		} else {
			u.SetRegistrationOpensAt(*opens)
		}
	}
	if in.RegistrationClosesAt.IsSet() {
		closes = in.RegistrationClosesAt.Value()
		if closes == nil {
			u.ClearRegistrationClosesAt()
		} else {
			u.SetRegistrationClosesAt(*closes)
		}
	}
	ck.order("registrationClosesAt", opens, closes, "registrationOpensAt")
	if in.MaxTicketsPerBooking.IsSet() {
		v := in.MaxTicketsPerBooking.Value()
		ck.positive("maxTicketsPerBooking", v)
		if v == nil {
			u.ClearMaxTicketsPerBooking()
		} else {
			u.SetMaxTicketsPerBooking(*v)
		}
	}
}

// money changes the currency, while the event has no bookings, with the
// category prices and policy amounts rescaled to it, and the cancellation
// policy. It returns the new category prices to write.
func (ch *eventChange) money(ctx context.Context, tx *ent.Tx) ([]categoryPrice, error) {
	ck, in, u, ev := &ch.ck, ch.in, ch.u, ch.ev
	// The currency is compared once normalized: "eur" is no change.
	ch.currency = ev.Currency
	var prices []categoryPrice
	if in.Currency != nil {
		ch.currency = ck.currency("currency", *in.Currency)
		if ck.ok() && ch.currency != ev.Currency {
			booked, err := tx.Ticket.Query().Where(ticket.EventID(ev.ID)).Exist(ctx)
			if err != nil {
				return nil, err
			}
			if booked {
				ck.fail("currency", "the event has bookings; its currency cannot change")
			}
			if ck.ok() {
				if prices, err = ck.rescaleCategories(ctx, tx, ev.ID, "currency", ev.Currency, ch.currency); err != nil {
					return nil, err
				}
				if !in.CancellationPolicy.IsSet() {
					u.SetCancellationPolicy(ck.rescalePolicy("currency", ev.CancellationPolicy, ev.Currency, ch.currency))
				}
			}
		}
		u.SetCurrency(ch.currency)
	}
	if in.CancellationPolicy.IsSet() {
		u.SetCancellationPolicy(ck.policy("cancellationPolicy", in.CancellationPolicy.Value(), ch.currency))
	}
	return prices, nil
}

// afterEventUpdate lets the engine fill seats a raised capacity made
// (reading the event again after it) and writes the rescaled prices.
func (c *Catalog) afterEventUpdate(ctx context.Context, tx *ent.Tx, before, saved *ent.Event, prices []categoryPrice, currency string) (*ent.Event, error) {
	out := saved
	if raised(before.Capacity, saved.Capacity) && c.hooks.CapacityRaised != nil {
		if err := c.hooks.CapacityRaised(ctx, tx, saved); err != nil {
			return nil, err
		}
		var err error
		if out, err = tx.Event.Get(ctx, saved.ID); err != nil {
			return nil, err
		}
	}
	for _, p := range prices {
		if err := tx.TicketCategory.UpdateOneID(p.id).SetPrice(p.price).SetCurrency(currency).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// setOptText applies an Optional text field: set, or cleared by null or "".
func setOptText[U any](ck *checker, v Optional[*string], field string, max int, set func(string) U, clear func() U) {
	if !v.IsSet() {
		return
	}
	if t := ck.optText(field, v.Value(), max); t != nil {
		set(*t)
	} else {
		clear()
	}
}

// PublishEvent makes an event visible and bookable.
func (c *Catalog) PublishEvent(ctx context.Context, in PublishEventInput) (*ent.Event, error) {
	var out *ent.Event
	err := c.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		ev, err := loadEvent(ctx, tx, tid, in.ID)
		if err != nil {
			return err
		}
		switch ev.Status {
		case domain.EventStatusCancelled:
			return domain.InvalidState("a cancelled event cannot be published")
		case domain.EventStatusPublished:
			out = ev
			return nil
		}
		has, err := ev.QueryTicketCategories().Exist(ctx)
		if err != nil {
			return err
		}
		if !has {
			return domain.InvalidState("an event needs a ticket category to be published")
		}
		out, err = tx.Event.UpdateOne(ev).SetStatus(domain.EventStatusPublished).Save(ctx)
		return err
	})
	return unwrap(out, err)
}

// CancelEvent cancels an event and, through the booking engine's hook in the
// same transaction, its bookings with full refunds (docs/domain-rules.md, rule 9).
func (c *Catalog) CancelEvent(ctx context.Context, in CancelEventInput) (*ent.Event, error) {
	var out *ent.Event
	err := c.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		ev, err := loadEvent(ctx, tx, tid, in.ID)
		if err != nil {
			return err
		}
		if ev.Status == domain.EventStatusCancelled {
			return domain.InvalidState("the event is already cancelled")
		}
		var ck checker
		reason := ck.optText("reason", in.Reason, 1000)
		if !ck.ok() {
			return ck.result()
		}
		if c.hooks.CancelBookings != nil {
			if err := c.hooks.CancelBookings(ctx, tx, ev); err != nil {
				return err
			}
		}
		out, err = tx.Event.UpdateOne(ev).SetStatus(domain.EventStatusCancelled).
			SetCancelledAt(now()).SetNillableCancellationReason(reason).Save(ctx)
		return err
	})
	return unwrap(out, err)
}

// DuplicateEvent copies an event and its categories as a DRAFT starting at
// in.StartsAt; its end, registration window and sales windows move with it.
func (c *Catalog) DuplicateEvent(ctx context.Context, in DuplicateEventInput) (*ent.Event, error) {
	var out *ent.Event
	err := c.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		ev, err := loadEvent(ctx, tx, tid, in.ID)
		if err != nil {
			return err
		}
		shift := in.StartsAt.Sub(ev.StartsAt)
		move := func(t *time.Time) *time.Time {
			if t == nil {
				return nil
			}
			m := t.Add(shift)
			return &m
		}
		out, err = tx.Event.Create().
			SetTenantID(tid).SetTitle(ev.Title).SetNillableDescription(ev.Description).
			SetStatus(domain.EventStatusDraft).SetStartsAt(in.StartsAt).SetNillableEndsAt(move(ev.EndsAt)).
			SetTimeZone(ev.TimeZone).SetNillableVenue(ev.Venue).SetNillableAddress(ev.Address).
			SetNillableOnlineURL(ev.OnlineURL).SetNillableCategory(ev.Category).SetNillableCapacity(ev.Capacity).
			SetWaitlistEnabled(ev.WaitlistEnabled).
			SetNillableRegistrationOpensAt(move(ev.RegistrationOpensAt)).
			SetNillableRegistrationClosesAt(move(ev.RegistrationClosesAt)).
			SetNillableMaxTicketsPerBooking(ev.MaxTicketsPerBooking).SetCurrency(ev.Currency).
			SetCancellationPolicy(ev.CancellationPolicy).Save(ctx)
		if err != nil {
			return err
		}
		cats, err := ev.QueryTicketCategories().Order(ent.Asc(ticketcategory.FieldID)).All(ctx)
		if err != nil {
			return err
		}
		for _, tc := range cats {
			_, err := tx.TicketCategory.Create().SetTenantID(tid).SetEvent(out).SetName(tc.Name).
				SetNillableDescription(tc.Description).SetPrice(tc.Price).SetCurrency(tc.Currency).
				SetTaxRatePercent(tc.TaxRatePercent).SetNillableCapacity(tc.Capacity).
				SetNillableSalesStartAt(move(tc.SalesStartAt)).SetNillableSalesEndAt(move(tc.SalesEndAt)).Save(ctx)
			if err != nil {
				return err
			}
		}
		return nil
	})
	return unwrap(out, err)
}

// DeleteEvent deletes an event that has no bookings or registrations.
func (c *Catalog) DeleteEvent(ctx context.Context, in DeleteEventInput) (int, error) {
	err := c.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		ev, err := loadEvent(ctx, tx, tid, in.ID)
		if err != nil {
			return err
		}
		booked, err := tx.Ticket.Query().Where(ticket.EventID(ev.ID)).Exist(ctx)
		if err != nil {
			return err
		}
		registered, err := tx.Registration.Query().Where(registration.EventID(ev.ID)).Exist(ctx)
		if err != nil {
			return err
		}
		if booked || registered {
			return domain.InvalidState("an event with bookings or registrations cannot be deleted; cancel it instead")
		}
		if _, err := tx.TicketCategory.Delete().Where(ticketcategory.EventID(ev.ID)).Exec(ctx); err != nil {
			return err
		}
		return tx.Event.DeleteOne(ev).Exec(ctx)
	})
	if err != nil {
		return 0, err
	}
	return in.ID, nil
}

// now is the catalog's clock: UTC, microseconds, like every stored time.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// raised reports whether a capacity change made room (nil is unlimited).
func raised(before, after *int) bool {
	return before != nil && (after == nil || *after > *before)
}
