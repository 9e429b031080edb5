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
// time zone and add up to the totals.
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
	loc, err := time.LoadLocation(ev.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	start, end := ev.CreatedAt, e.clock()
	if from != nil {
		start = from.UTC()
	} else if first, err := e.client.History.Query().Where(history.EventID(eventID), history.TenantID(tid)).
		Order(ent.Asc(history.FieldOccurredAt)).First(ctx); err == nil && first.OccurredAt.Before(start) {
		// Imported or seeded history may predate the event row itself.
		start = first.OccurredAt
	}
	if to != nil {
		end = to.UTC()
	}
	if end.Before(start) {
		return nil, domain.Invalid("to", "must not be before from")
	}
	rows, err := e.client.History.Query().Where(history.EventID(eventID), history.TenantID(tid),
		history.OccurredAtGTE(start), history.OccurredAtLT(end)).Order(ent.Asc(history.FieldOccurredAt)).All(ctx)
	if err != nil {
		return nil, err
	}
	s := &Statistics{
		Capacity: ev.Capacity, RegisteredCount: ev.RegisteredCount, WaitlistCount: ev.WaitlistCount,
		CheckedInCount: ev.CheckedInCount,
	}
	var revenue, refunded int64
	type acc struct {
		booked, cancelled, checkIns int
		revenue                     int64
	}
	var buckets []acc
	var starts []time.Time
	for b := bucketStart(start, interval, loc); b.Before(end) && len(starts) < maxBuckets; b = nextBucket(b, interval, loc) {
		starts = append(starts, b)
		buckets = append(buckets, acc{})
	}
	idx := func(t time.Time) int {
		i := len(starts) - 1
		for i > 0 && t.Before(starts[i]) {
			i--
		}
		return i
	}
	for _, r := range rows {
		if len(buckets) == 0 {
			break
		}
		b := &buckets[idx(r.OccurredAt)]
		switch r.Kind {
		case domain.HistoryTicketBooked:
			s.BookedTickets += r.Quantity
			b.booked += r.Quantity
		case domain.HistoryTicketCancelled:
			s.CancelledTickets += r.Quantity
			b.cancelled += r.Quantity
		case domain.HistoryCheckedIn:
			b.checkIns += r.Quantity
		case domain.HistoryCheckInUndone:
			b.checkIns -= r.Quantity
		case domain.HistoryPaymentSucceeded:
			revenue += r.Amount
			b.revenue += r.Amount
		case domain.HistoryRefundSucceeded:
			refunded += r.Amount
		}
	}
	s.Revenue, s.Refunded = money.New(revenue, ev.Currency), money.New(refunded, ev.Currency)
	s.Series = make([]*Bucket, len(buckets))
	for i, b := range buckets {
		s.Series[i] = &Bucket{Start: starts[i].UTC(), BookedTickets: b.booked, CancelledTickets: b.cancelled,
			Revenue: money.New(b.revenue, ev.Currency), CheckIns: b.checkIns}
	}
	return s, nil
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
