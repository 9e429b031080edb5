package main

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

// Without node on PATH the peer is skipped, not an error of the bench.
func TestPeerWithoutNode(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, _, err := installPeer(context.Background()); !errors.Is(err, errNoNode) {
		t.Fatalf("installPeer without node: %v, want errNoNode", err)
	}
}

// PostGraphile's answer, in minor units and its own field names, comes out
// in seatgraph's shape: decimal amounts, events by start.
func TestPeerAnswerAsRaw(t *testing.T) {
	const in = `{"data":{"allBookings":{"nodes":[{"orderNumber":"BK-000007","total":"4900","currency":"EUR",
	  "participantByBookerId":{"email":"a@x.example"},
	  "eventBookingsByBookingId":{"nodes":[
	    {"eventByEventId":{"title":"Later","startsAt":"2027-02-01T10:00:00+00:00","rowId":"8589934593"}},
	    {"eventByEventId":{"title":"Sooner","startsAt":"2027-01-01T10:00:00+00:00","rowId":"8589934594"}}]},
	  "ticketsByBookingId":{"nodes":[{"code":"ABC","participantByHolderId":{"email":"b@x.example"}}]},
	  "paymentsByBookingId":{"nodes":[{"amount":"4900","currency":"EUR"}]}}]}}}`
	var a peerAnswer
	if err := json.Unmarshal([]byte(in), &a); err != nil {
		t.Fatal(err)
	}
	r, err := a.asRaw()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(r)
	const want = `{"data":{"bookings":{"nodes":[{"orderNumber":"BK-000007","total":{"amount":"49.00"},"booker":{"email":"a@x.example"},` +
		`"events":[{"title":"Sooner"},{"title":"Later"}],"tickets":{"nodes":[{"code":"ABC","holder":{"email":"b@x.example"}}]},` +
		`"payments":{"nodes":[{"amount":{"amount":"49.00"}}]}}]}}}`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
