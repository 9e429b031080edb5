package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"seatgraph/ent"
	"seatgraph/ent/event"
	"seatgraph/internal/auth"
	"seatgraph/internal/booking"
	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

const (
	eventPrefix = "Bench event "
	hotTitle    = "Bench hot event"
	// hotCapacity is large enough for every createBooking of a run.
	hotCapacity = 5_000_000
)

// seeded is what the load needs to know about the data set.
type seeded struct {
	reused        bool
	elapsed       time.Duration
	hotEventID    int
	hotCategoryID int
	skipped       int64 // bookings that found their categories sold out twice
}

var (
	firstNames = []string{"Ada", "Ben", "Clara", "David", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca",
		"Mia", "Noah", "Olga", "Paul", "Quinn", "Rosa", "Sami", "Tara", "Uwe", "Vera", "Wim", "Yara", "Zoe"}
	lastNames = []string{"Schmidt", "Novak", "Rossi", "Garcia", "Okafor", "Jensen", "Dubois", "Kowalski", "Silva", "Yilmaz",
		"Berg", "Costa", "Fischer", "Horvat", "Ivanova", "Keller", "Lund", "Moreau", "Nieminen", "Petrov"}
	cities = []string{"Berlin", "Hamburg", "München", "Köln", "Wien", "Zürich", "Leipzig", "Dresden", "Bremen", "Graz"}
	themes = []string{"Jazz Night", "Tech Meetup", "Chamber Concert", "Comedy Evening", "Wine Tasting", "Poetry Slam",
		"Design Workshop", "Startup Pitch", "Film Screening", "Choir Festival", "Data Conference", "Dance Class"}
	venues = []string{"Kulturhaus", "Stadthalle", "Werkstatt", "Alte Oper", "Hafenbühne", "Kesselhaus"}
)

// person is the i-th participant of the pool.
func person(i int) catalog.ParticipantInput {
	city := cities[i%len(cities)]
	cc := "DE"
	return catalog.ParticipantInput{
		FirstName:   firstNames[i%len(firstNames)],
		LastName:    lastNames[(i/len(firstNames))%len(lastNames)],
		Email:       fmt.Sprintf("guest%07d@bench.example", i),
		City:        &city,
		CountryCode: &cc,
	}
}

// findSeeded returns the data set a previous run left, if the database has one.
func findSeeded(ctx context.Context, client *ent.Client) (*seeded, error) {
	hot, err := client.Event.Query().Where(event.Title(hotTitle)).Only(ctx)
	if ent.IsNotFound(err) {
		partial, err := client.Event.Query().Where(event.TitleHasPrefix(eventPrefix)).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if partial {
			return nil, errors.New("the database holds a data set whose seeding did not finish: remove it (or its schema) first")
		}
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cats, err := hot.QueryTicketCategories().All(ctx)
	if err != nil || len(cats) == 0 {
		return nil, fmt.Errorf("the hot event has no category: %v", err)
	}
	return &seeded{reused: true, hotEventID: hot.ID, hotCategoryID: cats[0].ID}, nil
}

// seed writes the data set: events with two categories through the
// catalog, then the bookings, either in bulk (the default, see
// bulkSeeder) or, with -seed engine, one by one through the booking engine
// (see seedEngine); the hot event last. Either way the result is checked
// against the engine's rules (checkConsistency).
func seed(ctx context.Context, client *ent.Client, db *sql.DB, dialect string, tid int, cfg options) (*seeded, error) {
	ctx = auth.WithTenant(ctx, tid)
	start := time.Now()
	s := newSeeder(client, dialect, cfg, start.UTC().Truncate(time.Microsecond))
	evs, err := s.events(ctx)
	if err != nil {
		return nil, err
	}
	fmt.Printf("  %d events in %s\n", cfg.events, time.Since(start).Round(10*time.Millisecond))
	var skipped int64
	if cfg.seedMode == "engine" {
		fmt.Println("  bookings one by one through the booking engine")
		if skipped, err = s.bookings(ctx, evs); err != nil {
			return nil, err
		}
	} else {
		fmt.Println("  bookings in bulk (multi-row INSERTs)")
		bs, err := newBulkSeeder(ctx, client, db, dialect, tid, cfg.bookings, cfg.seedWorkers, s.now)
		if err != nil {
			return nil, err
		}
		if err := bs.grow(ctx, 0, cfg.bookings); err != nil {
			return nil, err
		}
		skipped = bs.skipped
	}
	fmt.Printf("  bookings in %s\n", time.Since(start).Round(10*time.Millisecond))
	hotEventID, hotCategoryID, err := s.hotEvent(ctx)
	if err != nil {
		return nil, err
	}
	elapsed := time.Since(start)
	t0 := time.Now()
	if err := checkConsistency(ctx, db, dialect, tid); err != nil {
		return nil, err
	}
	fmt.Printf("  consistent with the booking rules (checked in %s)\n", time.Since(t0).Round(10*time.Millisecond))
	return &seeded{elapsed: elapsed, hotEventID: hotEventID, hotCategoryID: hotCategoryID, skipped: skipped}, nil
}

// seeder holds what the seeding steps share.
type seeder struct {
	client  *ent.Client
	dialect string
	cfg     options
	workers int
	now     time.Time
	cat     *catalog.Catalog
}

func newSeeder(client *ent.Client, dialect string, cfg options, now time.Time) *seeder {
	// The engine's workers; the bulk seeder sizes its own.
	workers := cfg.seedWorkers
	if workers <= 0 {
		workers = 4
		if dialect == "postgres" {
			workers = 8
		}
	}
	shared := booking.New(client, dialect, booking.Options{ManualExpiry: true})
	return &seeder{
		client: client, dialect: dialect, cfg: cfg, now: now,
		workers: min(workers, cfg.events),
		cat:     catalog.New(client, catalog.Hooks{CancelBookings: shared.CancelEventBookings, CapacityRaised: shared.CapacityChanged}),
	}
}

// evInfo is a seeded event's two ticket categories.
type evInfo struct{ standard, reduced int }

// events creates the events, with room for the bookings spread over them.
func (s *seeder) events(ctx context.Context) ([]evInfo, error) {
	perEvent := 2 * s.cfg.bookings / s.cfg.events
	evs := make([]evInfo, s.cfg.events)
	var next atomic.Int64
	err := parallel(ctx, s.workers, func(ctx context.Context, _ int) error {
		for {
			i := int(next.Add(1)) - 1
			if i >= s.cfg.events {
				return nil
			}
			ev, err := s.cat.CreateEvent(ctx, eventInput(i, perEvent, s.now))
			if err != nil {
				return fmt.Errorf("event %d: %w", i, err)
			}
			cs, err := ev.QueryTicketCategories().All(ctx)
			if err != nil || len(cs) != 2 {
				return fmt.Errorf("event %d categories: %v", i, err)
			}
			evs[i] = evInfo{cs[0].ID, cs[1].ID}
		}
	})
	return evs, err
}

// bookingPlan is what every booking worker shares.
type bookingPlan struct {
	evs  []evInfo
	pool int // participants bookers are drawn from
	// One booking in cardOneIn is paid by card: 10 %, at most maxCardBookings.
	cardOneIn int
	base      time.Time     // the first booking's time
	span      time.Duration // from the first booking's time to the last's
	done      atomic.Int64
	skipped   atomic.Int64 // sold out even with one ticket
}

// bookings makes the bookings, each worker on its own events, and returns
// how many were skipped.
func (s *seeder) bookings(ctx context.Context, evs []evInfo) (int64, error) {
	plan := &bookingPlan{
		evs:       evs,
		pool:      pool(s.cfg.bookings),
		cardOneIn: max(10, s.cfg.bookings/maxCardBookings),
		base:      s.now.Add(-60 * 24 * time.Hour),
		span:      60*24*time.Hour - time.Hour,
	}
	stopProgress := progress(&plan.done, s.cfg.bookings)
	err := parallel(ctx, s.workers, func(ctx context.Context, w int) error { return s.bookOwn(ctx, w, plan) })
	stopProgress()
	return plan.skipped.Load(), err
}

// bookOwn makes worker w's bookings, with an engine whose clock is set to
// each booking's time.
func (s *seeder) bookOwn(ctx context.Context, w int, plan *bookingPlan) error {
	clk := plan.base
	eng := booking.New(s.client, s.dialect, booking.Options{Now: func() time.Time { return clk }, ManualExpiry: true})
	rng := rand.New(rand.NewPCG(uint64(w)+1, 0x5ea7))
	for i := 0; i < s.cfg.bookings; i++ {
		e := i % s.cfg.events
		if e%s.workers != w {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		at := plan.base.Add(time.Duration(int64(plan.span) / int64(s.cfg.bookings) * int64(i)))
		clk = at
		b, err := s.bookOne(ctx, eng, rng, plan, e)
		if err != nil {
			return fmt.Errorf("booking %d: %w", i, err)
		}
		if b == nil {
			plan.skipped.Add(1)
			plan.done.Add(1)
			continue
		}
		if pay := payment(rng, b); pay != nil {
			clk = at.Add(2 * time.Minute)
			if pay.Method == domain.PaymentMethodBankTransfer {
				clk = earliest(at.Add(time.Duration(1+rng.IntN(72))*time.Hour), s.now)
			}
			if _, _, err := eng.RecordPayment(ctx, *pay); err != nil {
				return fmt.Errorf("payment of booking %d: %w", i, err)
			}
		}
		plan.done.Add(1)
	}
	return nil
}

// bookOne books on event e; when its categories are sold out it tries
// one standard ticket, and returns nil when even that is sold out.
func (s *seeder) bookOne(ctx context.Context, eng *booking.Engine, rng *rand.Rand, plan *bookingPlan, e int) (*ent.Booking, error) {
	in := bookingInput(rng, plan.pool, plan.evs[e].standard, plan.evs[e].reduced, plan.cardOneIn)
	b, err := eng.CreateBooking(ctx, in)
	var sold *domain.SoldOutError
	if errors.As(err, &sold) {
		in.Tickets = in.Tickets[:1]
		in.Tickets[0].TicketCategoryID = plan.evs[e].standard
		b, err = eng.CreateBooking(ctx, in)
		if errors.As(err, &sold) {
			return nil, nil
		}
	}
	return b, err
}

// hotEvent creates the event createBooking is measured on; made last, it
// marks a complete data set (see findSeeded).
func (s *seeder) hotEvent(ctx context.Context) (eventID, categoryID int, err error) {
	publish := true
	capacity := hotCapacity
	venue := "Arena"
	hot, err := s.cat.CreateEvent(ctx, catalog.CreateEventInput{
		Title: hotTitle, StartsAt: s.now.AddDate(0, 6, 0).Truncate(time.Hour), Capacity: &capacity, Venue: &venue,
		Publish: &publish, TicketCategories: []*catalog.TicketCategoryInput{{Name: "Standard", Price: money.Decimal{Units: 4900, Scale: 2}}},
	})
	if err != nil {
		return 0, 0, fmt.Errorf("hot event: %w", err)
	}
	hotCats, err := hot.QueryTicketCategories().All(ctx)
	if err != nil {
		return 0, 0, err
	}
	return hot.ID, hotCats[0].ID, nil
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func eventInput(i, perEvent int, now time.Time) catalog.CreateEventInput {
	publish := true
	tz := "Europe/Berlin"
	venue := venues[i%len(venues)] + " " + cities[i%len(cities)]
	theme := themes[i%len(themes)]
	capacity := perEvent*3/2 + 20
	reducedQuota := perEvent/2 + 10
	price := int64(1900 + (i%15)*500)
	tax := money.Decimal{Units: 19, Scale: 0}
	wait := i%5 == 0
	return catalog.CreateEventInput{
		Title:           fmt.Sprintf("%s%04d: %s", eventPrefix, i, theme),
		StartsAt:        now.Add(time.Duration(30+i%300) * 24 * time.Hour).Truncate(time.Hour),
		TimeZone:        &tz,
		Venue:           &venue,
		Category:        &theme,
		Capacity:        &capacity,
		WaitlistEnabled: &wait,
		Publish:         &publish,
		TicketCategories: []*catalog.TicketCategoryInput{
			{Name: "Standard", Price: money.Decimal{Units: price, Scale: 2}, TaxRatePercent: &tax},
			{Name: "Reduced", Price: money.Decimal{Units: price * 6 / 10, Scale: 2}, TaxRatePercent: &tax, Capacity: &reducedQuota},
		},
	}
}

// bookingInput is a booking of 1 to 3 tickets (30 %, 40 %, 30 %: 2 on
// average), 70 % Standard; extra tickets are mostly held by someone else.
func bookingInput(rng *rand.Rand, pool, standard, reduced, cardOneIn int) booking.CreateBookingInput {
	n := 1
	switch r := rng.IntN(10); {
	case r >= 7:
		n = 3
	case r >= 3:
		n = 2
	}
	tickets := make([]*booking.TicketInput, n)
	for k := range tickets {
		c := standard
		if rng.IntN(10) < 3 {
			c = reduced
		}
		tickets[k] = &booking.TicketInput{TicketCategoryID: c}
		if k > 0 && rng.IntN(10) < 6 {
			h := person(rng.IntN(pool))
			tickets[k].Holder = &h
		}
	}
	method := domain.PaymentMethodInvoice
	if rng.IntN(cardOneIn) == 0 {
		method = domain.PaymentMethodCard
	}
	src := []string{"newsletter", "instagram", "partner", ""}[rng.IntN(4)]
	in := booking.CreateBookingInput{Booker: person(rng.IntN(pool)), Tickets: tickets, PaymentMethod: method}
	if src != "" {
		in.UtmSource = &src
	}
	return in
}

// maxCardBookings bounds the bookings paid by card: confirming a pending
// booking updates its registrations through a correlated EXISTS that SQLite
// runs as a scan of every registration, which makes each card confirmation
// cost O(registrations) (see the README's Performance section).
const maxCardBookings = 2000

// payment is what the booker pays: card bookings (pending until paid) at
// once, which confirms them; invoices (confirmed when made) mostly later by
// bank transfer; the rest stays unpaid.
func payment(rng *rand.Rand, b *ent.Booking) *booking.RecordPaymentInput {
	method := domain.PaymentMethodCard
	if b.PaymentMethod == domain.PaymentMethodInvoice {
		if rng.IntN(100) < 15 {
			return nil
		}
		method = domain.PaymentMethodBankTransfer
	}
	ref := fmt.Sprintf("pay_%s_%d", strings.ToLower(b.OrderNumber), b.ID)
	return &booking.RecordPaymentInput{
		BookingID: b.ID, Method: method, ProviderReference: &ref,
		Amount: money.Decimal{Units: b.Total, Scale: money.Digits(b.Currency)},
	}
}

// parallel runs fn(0..n-1) in n goroutines and returns their errors; the
// first error cancels the others' ctx.
func parallel(ctx context.Context, n int, fn func(ctx context.Context, w int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[w] = fn(ctx, w); errs[w] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return errors.Join(errs...)
}

// progress prints the seeding rate every 10 seconds until stopped.
func progress(done *atomic.Int64, total int) func() {
	stop := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				n := done.Load()
				el := time.Since(start)
				rate := float64(n) / el.Seconds()
				eta := time.Duration(float64(int64(total)-n)/max(rate, 1)) * time.Second
				fmt.Printf("  seeding: %d/%d bookings, %.0f/s, about %s left\n", n, total, rate, eta.Round(time.Second))
			}
		}
	}()
	return func() { close(stop); <-finished }
}
