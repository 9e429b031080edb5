package graph

import (
	"context"
	"log/slog"
	"reflect"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"seatgraph/graph/model"
	"seatgraph/internal/domain"
	"seatgraph/internal/observe"
)

// Observer is the gqlgen extension that makes each GraphQL operation
// visible to operators: it adds operation name and type, outcome and error
// codes to the request's one log line (observe.Annotate), or logs a line of
// its own for operations on a websocket; and it feeds the Prometheus
// metrics: requests, latency, errors by code, bookings created and
// check-ins (counted from successful createBooking and checkInTicket
// payloads).
//
// Requests that fail before they become an operation (a parse or
// validation error, a limit) are seen through InterceptResponse; executed
// operations through InterceptOperation, which sees every response even
// when execution failed early.
type Observer struct {
	Log     *slog.Logger
	Metrics *observe.Metrics // nil: logs only
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
	graphql.FieldInterceptor
} = Observer{}

// Outcomes of an operation, in logs and in the outcome label.
const (
	OutcomeOK    = "ok"
	OutcomeError = "error"
)

// ExtensionName implements graphql.HandlerExtension.
func (Observer) ExtensionName() string { return "Observer" }

// Validate implements graphql.HandlerExtension.
func (Observer) Validate(graphql.ExecutableSchema) error { return nil }

type opStateKey struct{}

// opState is what the field interceptor learns about an operation.
type opState struct {
	mu            sync.Mutex
	payloadErrors []string // typenames of domain errors in mutation payloads
}

func (s *opState) addPayloadErrors(names []string) {
	s.mu.Lock()
	s.payloadErrors = append(s.payloadErrors, names...)
	s.mu.Unlock()
}

func (s *opState) payloadErrorList() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.payloadErrors
}

// InterceptOperation records an executed operation when its first response
// is ready (a subscription's later events are not requests of their own).
func (o Observer) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	st := &opState{}
	ctx = context.WithValue(ctx, opStateKey{}, st)
	responses := next(ctx)
	var once sync.Once
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp != nil {
			once.Do(func() { o.record(ctx, resp.Errors, st) })
		}
		return resp
	}
}

// InterceptResponse records requests that never became an operation. The
// responses of executed operations carry the opState InterceptOperation put
// in their context and are recorded there.
func (o Observer) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp != nil && ctx.Value(opStateKey{}) == nil {
		o.record(ctx, resp.Errors, nil)
	}
	return resp
}

// InterceptField counts the business events of mutation payloads and notes
// their domain errors for the log line.
func (o Observer) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Object != "Mutation" {
		return next(ctx)
	}
	// The engine stamps rows with microsecond precision.
	started := time.Now().Truncate(time.Microsecond)
	res, err := next(ctx)
	if err != nil || res == nil {
		return res, err
	}
	if m := o.Metrics; m != nil {
		switch p := res.(type) {
		case *model.CreateBookingPayload:
			// A booking made before this request started is an idempotent
			// replay of an earlier createBooking, not a new one.
			if len(p.Errors) == 0 && p.Booking != nil && !p.Booking.CreatedAt.Before(started) {
				m.BookingsCreated.WithLabelValues(string(p.Booking.Status)).Inc()
			}
		case *model.CheckInTicketPayload:
			if len(p.Errors) == 0 && p.Ticket != nil {
				m.CheckIns.Inc()
			}
		}
	}
	if st, _ := ctx.Value(opStateKey{}).(*opState); st != nil {
		if names := payloadErrorNames(res); len(names) > 0 {
			st.addPayloadErrors(names)
		}
	}
	return res, err
}

// payloadErrorNames returns the GraphQL typenames of the domain errors in a
// mutation payload's errors list (the Go types have the same names).
func payloadErrorNames(payload any) []string {
	v := reflect.ValueOf(payload)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	errs := v.FieldByName("Errors")
	if !errs.IsValid() || errs.Kind() != reflect.Slice {
		return nil
	}
	var names []string
	for i := range errs.Len() {
		e := errs.Index(i)
		if e.Kind() == reflect.Interface {
			if e.IsNil() {
				continue
			}
			e = e.Elem()
		}
		t := e.Type()
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		names = append(names, t.Name())
	}
	return names
}

// record logs and counts one request.
func (o Observer) record(ctx context.Context, errs gqlerror.List, st *opState) {
	name, typ, start := operationOf(ctx)
	var d time.Duration
	if !start.IsZero() {
		d = time.Since(start)
	}
	outcome := OutcomeOK
	if len(errs) > 0 {
		outcome = OutcomeError
	}
	codes, level := errorCodes(errs)
	if m := o.Metrics; m != nil {
		op := m.Operation(name)
		m.Requests.WithLabelValues(op, typ, outcome).Inc()
		if !start.IsZero() {
			m.Duration.WithLabelValues(op, typ).Observe(d.Seconds())
		}
		for _, c := range codes {
			m.Errors.WithLabelValues(c).Inc()
		}
	}
	attrs := []slog.Attr{
		slog.String("operation", truncate(name, 200)),
		slog.String("operation_type", typ),
		slog.String("outcome", outcome),
	}
	if len(codes) > 0 {
		attrs = append(attrs, slog.Any("error_codes", distinct(codes)))
	}
	if pe := st.payloadErrorList(); len(pe) > 0 {
		attrs = append(attrs, slog.Any("payload_errors", distinct(pe)))
	}
	if observe.Annotate(ctx, level, attrs...) {
		return
	}
	o.logAlone(ctx, level, d, attrs)
}

// operationOf names the operation of ctx and when it started; the name is
// the client's operationName when it was refused before it became one.
func operationOf(ctx context.Context) (name, typ string, start time.Time) {
	typ = observe.Unknown
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation != nil {
			name, typ = oc.Operation.Name, string(oc.Operation.Operation)
		} else {
			name = oc.OperationName
		}
		start = oc.Stats.OperationStart
	}
	if start.IsZero() {
		start = traceStart(ctx)
	}
	return name, typ, start
}

// errorCodes lists the codes of errs and the level their line logs at:
// error when one is internal or has no code.
func errorCodes(errs gqlerror.List) ([]string, slog.Level) {
	codes := make([]string, 0, len(errs))
	level := slog.LevelInfo
	for _, e := range errs {
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = observe.Unknown
		}
		codes = append(codes, code)
		if code == domain.CodeInternal || code == observe.Unknown {
			level = slog.LevelError
		}
	}
	return codes, level
}

// logAlone writes the line of an operation with no request line to join:
// one on a websocket.
func (o Observer) logAlone(ctx context.Context, level slog.Level, d time.Duration, attrs []slog.Attr) {
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	attrs = append(attrs, slog.Duration("duration", d))
	if id := observe.RequestID(ctx); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	log.LogAttrs(ctx, level, "graphql operation", attrs...)
}

// traceStart is when gqlgen started reading the request, or zero.
func traceStart(ctx context.Context) (t time.Time) {
	defer func() {
		if recover() != nil { // gqlgen panics when no trace was started
			t = time.Time{}
		}
	}()
	return graphql.GetStartTime(ctx)
}

func distinct(list []string) []string {
	out := make([]string, 0, len(list))
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
