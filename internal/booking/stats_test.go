package booking

import (
	"testing"
	"time"

	"seatgraph/internal/domain"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestBucketStartAcrossDST: Europe/Berlin changes to summer time on
// 2026-03-29 (02:00 CET -> 03:00 CEST, 01:00Z) and back on 2026-10-25
// (03:00 CEST -> 02:00 CET, 01:00Z): that Sunday has 23 or 25 hours.
func TestBucketStartAcrossDST(t *testing.T) {
	const (
		hour = domain.StatisticsIntervalHour
		day  = domain.StatisticsIntervalDay
		week = domain.StatisticsIntervalWeek
	)
	cases := []struct {
		name     string
		zone     string
		interval domain.StatisticsInterval
		at       string // the instant
		start    string // bucketStart(at)
		next     string // nextBucket(start)
	}{
		// DAY, spring: the 23-hour Sunday.
		{"day before the spring change", "Europe/Berlin", day, "2026-03-29T00:30:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"},
		{"day after the spring change", "Europe/Berlin", day, "2026-03-29T10:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"},
		{"day at local midnight before spring", "Europe/Berlin", day, "2026-03-28T23:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"},
		{"day just before local midnight", "Europe/Berlin", day, "2026-03-28T22:59:59Z", "2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z"},
		{"day after the spring Sunday", "Europe/Berlin", day, "2026-03-29T22:00:00Z", "2026-03-29T22:00:00Z", "2026-03-30T22:00:00Z"},
		{"last minute of the spring Sunday", "Europe/Berlin", day, "2026-03-29T21:59:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"},
		// DAY, autumn: the 25-hour Sunday, 02:00-03:00 local happens twice.
		{"day in the first 02:30", "Europe/Berlin", day, "2026-10-25T00:30:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"},
		{"day in the second 02:30", "Europe/Berlin", day, "2026-10-25T01:30:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"},
		{"day after the autumn change", "Europe/Berlin", day, "2026-10-25T22:30:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"},
		{"day after the autumn Sunday", "Europe/Berlin", day, "2026-10-25T23:00:00Z", "2026-10-25T23:00:00Z", "2026-10-26T23:00:00Z"},
		{"day in summer", "Europe/Berlin", day, "2026-07-01T21:59:59Z", "2026-06-30T22:00:00Z", "2026-07-01T22:00:00Z"},
		{"day in winter", "Europe/Berlin", day, "2026-12-31T23:30:00Z", "2026-12-31T23:00:00Z", "2027-01-01T23:00:00Z"},

		// WEEK from Monday: 2026-03-29 and 2026-10-25 are Sundays.
		{"week holding the spring Sunday", "Europe/Berlin", week, "2026-03-29T10:00:00Z", "2026-03-22T23:00:00Z", "2026-03-29T22:00:00Z"},
		{"week from the Monday after spring", "Europe/Berlin", week, "2026-03-30T10:00:00Z", "2026-03-29T22:00:00Z", "2026-04-05T22:00:00Z"},
		{"week at its Monday midnight", "Europe/Berlin", week, "2026-03-29T22:00:00Z", "2026-03-29T22:00:00Z", "2026-04-05T22:00:00Z"},
		{"week holding the autumn Sunday", "Europe/Berlin", week, "2026-10-25T12:00:00Z", "2026-10-18T22:00:00Z", "2026-10-25T23:00:00Z"},
		{"week on the autumn Sunday night", "Europe/Berlin", week, "2026-10-25T22:59:59Z", "2026-10-18T22:00:00Z", "2026-10-25T23:00:00Z"},
		{"week from the Monday after autumn", "Europe/Berlin", week, "2026-10-25T23:00:00Z", "2026-10-25T23:00:00Z", "2026-11-01T23:00:00Z"},
		{"week from a Monday late in UTC", "Europe/Berlin", week, "2026-11-15T23:30:00Z", "2026-11-15T23:00:00Z", "2026-11-22T23:00:00Z"},
		{"week across the year end", "Europe/Berlin", week, "2027-01-01T12:00:00Z", "2026-12-27T23:00:00Z", "2027-01-03T23:00:00Z"},

		// HOUR around the changes: every bucket is one real hour.
		{"hour before the spring gap", "Europe/Berlin", hour, "2026-03-29T00:59:59Z", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z"},
		{"hour after the spring gap", "Europe/Berlin", hour, "2026-03-29T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"},
		{"hour, first 02:xx in autumn", "Europe/Berlin", hour, "2026-10-25T00:30:00Z", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z"},
		{"hour, second 02:xx in autumn", "Europe/Berlin", hour, "2026-10-25T01:30:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"},
		{"hour on the hour", "Europe/Berlin", hour, "2026-10-25T02:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z"},
		// Hours are local hours also where the offset is not whole hours.
		{"hour in Kolkata (+05:30)", "Asia/Kolkata", hour, "2026-03-29T10:45:00Z", "2026-03-29T10:30:00Z", "2026-03-29T11:30:00Z"},
		{"hour in Kathmandu (+05:45)", "Asia/Kathmandu", hour, "2026-03-29T10:00:00Z", "2026-03-29T09:15:00Z", "2026-03-29T10:15:00Z"},
		{"day in Kolkata", "Asia/Kolkata", day, "2026-03-29T18:29:59Z", "2026-03-28T18:30:00Z", "2026-03-29T18:30:00Z"},
		{"day in New York, spring", "America/New_York", day, "2026-03-08T12:00:00Z", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"},
		{"day in UTC", "UTC", day, "2026-03-29T23:59:59Z", "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			loc := mustLoc(t, c.zone)
			start := bucketStart(utc(t, c.at), c.interval, loc)
			if !start.Equal(utc(t, c.start)) {
				t.Errorf("bucketStart(%s, %s) = %s (%s), want %s", c.at, c.interval, start.UTC().Format(time.RFC3339), start.In(loc), c.start)
			}
			next := nextBucket(start, c.interval, loc)
			if !next.Equal(utc(t, c.next)) {
				t.Errorf("nextBucket(%s, %s) = %s (%s), want %s", start.UTC().Format(time.RFC3339), c.interval, next.UTC().Format(time.RFC3339), next.In(loc), c.next)
			}
		})
	}
}

// TestBucketWalkOverYear walks the buckets of 2026 in several zones: each
// starts where the one before ends, holds the instants up to the next,
// starts at local midnight (DAY, WEEK on Monday) or on the hour, and DAY
// buckets are 24 hours long except on the days the clocks change.
func TestBucketWalkOverYear(t *testing.T) {
	for _, zone := range []string{"Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"} {
		loc := mustLoc(t, zone)
		for _, interval := range []domain.StatisticsInterval{domain.StatisticsIntervalHour, domain.StatisticsIntervalDay, domain.StatisticsIntervalWeek} {
			t.Run(zone+"/"+string(interval), func(t *testing.T) {
				from := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
				to := time.Date(2027, 1, 1, 0, 0, 0, 0, loc)
				var short, long, n int
				for b := bucketStart(from, interval, loc); b.Before(to); n++ {
					next := nextBucket(b, interval, loc)
					if !next.After(b) {
						t.Fatalf("nextBucket(%s) = %s does not move on", b, next)
					}
					for _, probe := range []time.Time{b, b.Add(next.Sub(b) / 2), next.Add(-time.Nanosecond)} {
						if got := bucketStart(probe, interval, loc); !got.Equal(b) {
							t.Fatalf("bucketStart(%s) = %s, want %s", probe.In(loc), got.In(loc), b.In(loc))
						}
					}
					l := b.In(loc)
					length := next.Sub(b)
					switch interval {
					case domain.StatisticsIntervalHour:
						if l.Minute() != 0 || l.Second() != 0 || length != time.Hour {
							t.Fatalf("hour bucket %s of %s", l, length)
						}
					case domain.StatisticsIntervalDay, domain.StatisticsIntervalWeek:
						if l.Hour() != 0 || l.Minute() != 0 || l.Second() != 0 {
							t.Fatalf("%s bucket %s is not local midnight", interval, l)
						}
						if interval == domain.StatisticsIntervalWeek && l.Weekday() != time.Monday {
							t.Fatalf("week bucket %s starts on %s", l, l.Weekday())
						}
						full := 24 * time.Hour
						if interval == domain.StatisticsIntervalWeek {
							full *= 7
						}
						switch length {
						case full:
						case full - time.Hour:
							short++
						case full + time.Hour:
							long++
						default:
							t.Fatalf("%s bucket %s lasts %s", interval, l, length)
						}
					}
					b = next
				}
				if interval == domain.StatisticsIntervalDay {
					wantDays, wantShift := 365, 1
					if zone == "UTC" || zone == "Asia/Kolkata" {
						wantShift = 0
					}
					if n != wantDays || short != wantShift || long != wantShift {
						t.Errorf("%d days, %d of 23 h, %d of 25 h; want %d, %d, %d", n, short, long, wantDays, wantShift, wantShift)
					}
				}
				if interval == domain.StatisticsIntervalHour {
					want := int(to.Sub(from) / time.Hour)
					if n != want {
						t.Errorf("%d hours in 2026, want %d", n, want)
					}
				}
			})
		}
	}
}
