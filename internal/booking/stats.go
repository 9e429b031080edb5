package booking

import (
	"context"
	"time"

	"seatgraph/ent"
	"seatgraph/ent/event"
	"seatgraph/ent/history"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// maxBuckets bounds the series of one statistics request.
const maxBuckets = 5000

// Statistics answers eventStatistics from the history rows of the event in
// [from, to): tickets booked and cancelled, check-ins, revenue and refunds,
// in buckets that start at midnight (DAY, WEEK from Monday) in the event's
// time zone and add up to the totals. A query has no payload: its domain
// failures are shown by the GraphQL layer as top-level errors.
func (e *Engine) Statistics(ctx context.Context, eventID int, from, to *time.Time, interval domain.StatisticsInterval) (*Statistics, error) {
	tid, ok := tenantOf(ctx)
	if !ok {
		return nil, errNoTenant
	}
	ev, err := e.client.Event.Query().Where(event.ID(eventID), event.TenantID(tid)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, domain.NotFound("Event", eventID)
	}
	if err != nil {
		return nil, err
	}
	start, end, err := e.statisticsWindow(ctx, tid, ev, from, to)
	if err != nil {
		return nil, err
	}
	rows, err := e.client.History.Query().Where(history.EventID(eventID), history.TenantID(tid),
		history.OccurredAtGTE(start), history.OccurredAtLT(end)).Order(ent.Asc(history.FieldOccurredAt)).All(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(ev.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	s := &Statistics{
		Capacity: ev.Capacity, RegisteredCount: ev.RegisteredCount, WaitlistCount: ev.WaitlistCount,
		CheckedInCount: ev.CheckedInCount,
	}
	newTally(start, end, interval, loc).add(rows).into(s, ev.Currency)
	return s, nil
}

// statisticsWindow is [from, to) with its defaults: from the event's
// creation (or its earliest history) until now.
func (e *Engine) statisticsWindow(ctx context.Context, tid int, ev *ent.Event, from, to *time.Time) (start, end time.Time, err error) {
	start, end = ev.CreatedAt, e.clock()
	if from != nil {
		start = from.UTC()
	} else if first, err := e.client.History.Query().Where(history.EventID(ev.ID), history.TenantID(tid)).
		Order(ent.Asc(history.FieldOccurredAt)).First(ctx); err == nil && first.OccurredAt.Before(start) {
		// Imported or seeded history may predate the event row itself.
		start = first.OccurredAt
	}
	if to != nil {
		end = to.UTC()
	}
	if end.Before(start) {
		return start, end, domain.Invalid("to", "must not be before from")
	}
	return start, end, nil
}

// tally adds history rows up, in total and per bucket.
type tally struct {
	starts  []time.Time
	buckets []bucketSums

	booked, cancelled int
	revenue, refunded int64
}

type bucketSums struct {
	booked, cancelled, checkIns int
	revenue                     int64
}

// newTally makes the buckets of [start, end), at most maxBuckets.
func newTally(start, end time.Time, interval domain.StatisticsInterval, loc *time.Location) *tally {
	t := &tally{}
	for b := bucketStart(start, interval, loc); b.Before(end) && len(t.starts) < maxBuckets; b = nextBucket(b, interval, loc) {
		t.starts = append(t.starts, b)
		t.buckets = append(t.buckets, bucketSums{})
	}
	return t
}

// bucket is the bucket holding at.
func (t *tally) bucket(at time.Time) *bucketSums {
	i := len(t.starts) - 1
	for i > 0 && at.Before(t.starts[i]) {
		i--
	}
	return &t.buckets[i]
}

func (t *tally) add(rows []*ent.History) *tally {
	if len(t.buckets) == 0 {
		return t
	}
	for _, r := range rows {
		b := t.bucket(r.OccurredAt)
		switch r.Kind {
		case domain.HistoryTicketBooked:
			t.booked += r.Quantity
			b.booked += r.Quantity
		case domain.HistoryTicketCancelled:
			t.cancelled += r.Quantity
			b.cancelled += r.Quantity
		case domain.HistoryCheckedIn:
			b.checkIns += r.Quantity
		case domain.HistoryCheckInUndone:
			b.checkIns -= r.Quantity
		case domain.HistoryPaymentSucceeded:
			t.revenue += r.Amount
			b.revenue += r.Amount
		case domain.HistoryRefundSucceeded:
			t.refunded += r.Amount
		}
	}
	return t
}

func (t *tally) into(s *Statistics, currency string) {
	s.BookedTickets, s.CancelledTickets = t.booked, t.cancelled
	s.Revenue, s.Refunded = money.New(t.revenue, currency), money.New(t.refunded, currency)
	s.Series = make([]*Bucket, len(t.buckets))
	for i, b := range t.buckets {
		s.Series[i] = &Bucket{Start: t.starts[i].UTC(), BookedTickets: b.booked, CancelledTickets: b.cancelled,
			Revenue: money.New(b.revenue, currency), CheckIns: b.checkIns}
	}
}

// bucketStart is the start of the bucket holding t.
func bucketStart(t time.Time, interval domain.StatisticsInterval, loc *time.Location) time.Time {
	l := t.In(loc)
	switch interval {
	case domain.StatisticsIntervalHour:
		// Local hours, also where the offset is not whole hours (+05:30).
		_, off := l.Zone()
		shift := time.Duration(off) * time.Second
		return t.Add(shift).Truncate(time.Hour).Add(-shift)
	case domain.StatisticsIntervalWeek:
		d := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
		back := (int(d.Weekday()) + 6) % 7 // days since Monday
		return d.AddDate(0, 0, -back)
	}
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

func nextBucket(b time.Time, interval domain.StatisticsInterval, loc *time.Location) time.Time {
	switch interval {
	case domain.StatisticsIntervalHour:
		return b.Add(time.Hour)
	case domain.StatisticsIntervalWeek:
		l := b.In(loc)
		return time.Date(l.Year(), l.Month(), l.Day()+7, 0, 0, 0, 0, loc)
	}
	l := b.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc)
}
