package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"

	"seatgraph/internal/money"
)

// rawHandler answers the booking list (query a) with hand-written SQL, one
// statement per level, and encodes the same JSON as the GraphQL response:
// the baseline seatgraph's throughput is compared with. It does what the
// server must do for the same answer and nothing more: check the key, stay
// in the tenant, page, load each level in one statement, encode.
type rawHandler struct {
	db       *sql.DB
	postgres bool
	tenantID int
	auth     string // the Authorization header expected
}

type rawAmount struct {
	Amount string `json:"amount"`
}

type rawEmail struct {
	Email string `json:"email"`
}

type rawTicket struct {
	Code   string   `json:"code"`
	Holder rawEmail `json:"holder"`

	holderID int
}

type rawTitle struct {
	Title string `json:"title"`
}

type rawPayment struct {
	Amount rawAmount `json:"amount"`
}

type rawBooking struct {
	OrderNumber string     `json:"orderNumber"`
	Total       rawAmount  `json:"total"`
	Booker      rawEmail   `json:"booker"`
	Events      []rawTitle `json:"events"`
	Tickets     struct {
		Nodes []rawTicket `json:"nodes"`
	} `json:"tickets"`
	Payments struct {
		Nodes []rawPayment `json:"nodes"`
	} `json:"payments"`

	id, bookerID int
}

type rawResponse struct {
	Data struct {
		Bookings struct {
			Nodes []*rawBooking `json:"nodes"`
		} `json:"bookings"`
	} `json:"data"`
}

// ph is the n-th (1-based) placeholder.
func (h *rawHandler) ph(n int) string {
	if h.postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// in writes "tenant_id = <p1> AND col IN (<p2>, ...)" and its arguments.
func (h *rawHandler) in(tenantCol, col string, ids []int) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, len(ids)+1)
	b.WriteString(tenantCol + " = " + h.ph(1) + " AND " + col + " IN (")
	args = append(args, h.tenantID)
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(h.ph(i + 2))
		args = append(args, id)
	}
	b.WriteString(")")
	return b.String(), args
}

func (h *rawHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != h.auth {
		http.Error(w, `{"errors":[{"message":"the API key is not valid"}]}`, http.StatusUnauthorized)
		return
	}
	first := 50
	if s := r.URL.Query().Get("first"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= 100 {
			first = n
		}
	}
	out, err := h.page(r.Context(), first)
	if err != nil {
		http.Error(w, `{"errors":[{"message":`+strconv.Quote(err.Error())+`}]}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// rawPage is a page of the booking list while page fills it in.
type rawPage struct {
	out       *rawResponse
	byID      map[int]*rawBooking
	ids       []int // the bookings, in order
	bookerIDs []int // their bookers, each once
}

// page answers the booking list with one statement per kind of row, as a
// hand-written handler would: the bookings, then what each part of the
// query asks for, for all of them at once.
func (h *rawHandler) page(ctx context.Context, first int) (*rawResponse, error) {
	p, err := h.bookings(ctx, first)
	if err != nil || len(p.ids) == 0 {
		return p.out, err
	}
	if err := h.addBookers(ctx, p); err != nil {
		return nil, err
	}
	if err := h.addEvents(ctx, p); err != nil {
		return nil, err
	}
	holderIDs, err := h.addTickets(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := h.addHolders(ctx, p, holderIDs); err != nil {
		return nil, err
	}
	if err := h.addPayments(ctx, p); err != nil {
		return nil, err
	}
	return p.out, nil
}

// bookings is step 1: the page of bookings (default order: createdAt DESC,
// ties by id).
func (h *rawHandler) bookings(ctx context.Context, first int) (*rawPage, error) {
	p := &rawPage{out: &rawResponse{}, byID: map[int]*rawBooking{}}
	p.out.Data.Bookings.Nodes = []*rawBooking{}
	rows, err := h.db.QueryContext(ctx, "SELECT id, order_number, total, currency, booker_id FROM bookings WHERE tenant_id = "+
		h.ph(1)+" ORDER BY created_at DESC, id ASC LIMIT "+strconv.Itoa(first), h.tenantID)
	if err != nil {
		return p, err
	}
	seenBooker := map[int]bool{}
	for rows.Next() {
		b := &rawBooking{Events: []rawTitle{}}
		b.Tickets.Nodes = []rawTicket{}
		b.Payments.Nodes = []rawPayment{}
		var total int64
		var cur string
		if err := rows.Scan(&b.id, &b.OrderNumber, &total, &cur, &b.bookerID); err != nil {
			rows.Close()
			return p, err
		}
		b.Total.Amount = money.FormatUnits(total, money.Digits(cur))
		p.out.Data.Bookings.Nodes = append(p.out.Data.Bookings.Nodes, b)
		p.byID[b.id] = b
		p.ids = append(p.ids, b.id)
		if !seenBooker[b.bookerID] {
			seenBooker[b.bookerID] = true
			p.bookerIDs = append(p.bookerIDs, b.bookerID)
		}
	}
	return p, rows.Close()
}

// addBookers is step 2: the bookers' emails.
func (h *rawHandler) addBookers(ctx context.Context, p *rawPage) error {
	emails, err := h.emails(ctx, p.bookerIDs)
	if err != nil {
		return err
	}
	for _, b := range p.out.Data.Bookings.Nodes {
		b.Booker.Email = emails[b.bookerID]
	}
	return nil
}

// addEvents is step 3: the events, through the join table.
func (h *rawHandler) addEvents(ctx context.Context, p *rawPage) error {
	cond, args := h.in("e.tenant_id", "eb.booking_id", p.ids)
	rows, err := h.db.QueryContext(ctx, "SELECT eb.booking_id, e.title FROM event_bookings eb JOIN events e ON e.id = eb.event_id WHERE "+
		cond+" ORDER BY e.starts_at, e.id", args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var bid int
		var t rawTitle
		if err := rows.Scan(&bid, &t.Title); err != nil {
			rows.Close()
			return err
		}
		b := p.byID[bid]
		b.Events = append(b.Events, t)
	}
	return rows.Close()
}

// addTickets is step 4: the first 10 tickets of each booking (default
// order: createdAt DESC). It returns their holders, each once.
func (h *rawHandler) addTickets(ctx context.Context, p *rawPage) ([]int, error) {
	cond, args := h.in("tenant_id", "booking_id", p.ids)
	rows, err := h.db.QueryContext(ctx, "SELECT booking_id, code, holder_id FROM (SELECT booking_id, code, holder_id, "+
		"ROW_NUMBER() OVER (PARTITION BY booking_id ORDER BY created_at DESC, id ASC) AS rn FROM tickets WHERE "+
		cond+") t WHERE rn <= 10 ORDER BY booking_id, rn", args...)
	if err != nil {
		return nil, err
	}
	var holderIDs []int
	seen := map[int]bool{}
	for rows.Next() {
		var bid int
		var t rawTicket
		if err := rows.Scan(&bid, &t.Code, &t.holderID); err != nil {
			rows.Close()
			return nil, err
		}
		b := p.byID[bid]
		b.Tickets.Nodes = append(b.Tickets.Nodes, t)
		if !seen[t.holderID] {
			seen[t.holderID] = true
			holderIDs = append(holderIDs, t.holderID)
		}
	}
	return holderIDs, rows.Close()
}

// addHolders is step 5: the ticket holders' emails.
func (h *rawHandler) addHolders(ctx context.Context, p *rawPage, holderIDs []int) error {
	if len(holderIDs) == 0 {
		return nil
	}
	emails, err := h.emails(ctx, holderIDs)
	if err != nil {
		return err
	}
	for _, b := range p.out.Data.Bookings.Nodes {
		for i := range b.Tickets.Nodes {
			b.Tickets.Nodes[i].Holder.Email = emails[b.Tickets.Nodes[i].holderID]
		}
	}
	return nil
}

// addPayments is step 6: the payments (default order: createdAt DESC).
func (h *rawHandler) addPayments(ctx context.Context, p *rawPage) error {
	cond, args := h.in("tenant_id", "booking_id", p.ids)
	rows, err := h.db.QueryContext(ctx, "SELECT booking_id, amount, currency FROM payments WHERE "+cond+
		" ORDER BY booking_id, created_at DESC, id ASC", args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var bid int
		var amount int64
		var cur string
		if err := rows.Scan(&bid, &amount, &cur); err != nil {
			rows.Close()
			return err
		}
		b := p.byID[bid]
		b.Payments.Nodes = append(b.Payments.Nodes, rawPayment{Amount: rawAmount{money.FormatUnits(amount, money.Digits(cur))}})
	}
	return rows.Close()
}

func (h *rawHandler) emails(ctx context.Context, ids []int) (map[int]string, error) {
	cond, args := h.in("tenant_id", "id", ids)
	rows, err := h.db.QueryContext(ctx, "SELECT id, email FROM participants WHERE "+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int]string, len(ids))
	for rows.Next() {
		var id int
		var e string
		if err := rows.Scan(&id, &e); err != nil {
			return nil, err
		}
		out[id] = e
	}
	return out, rows.Err()
}

// serveRaw starts the raw handler on a free port and returns its URL and a
// stop function.
func serveRaw(h http.Handler) (string, func(), error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(l) }()
	return "http://" + l.Addr().String(), func() { _ = srv.Close() }, nil
}
