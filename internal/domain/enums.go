package domain

// The enumerations of the booking model. Each type is one GraphQL enum: Ent
// stores it (Values lists the members in contract order, which is also
// their sort order), gqlgen marshals it, and Localized names it in the
// caller's language.

import (
	"context"
	"fmt"

	"io"
	"slices"
	"strconv"
)

// EventStatus is the publication state of an event.
type EventStatus string

const (
	EventStatusDraft     EventStatus = "DRAFT"
	EventStatusPublished EventStatus = "PUBLISHED"
	EventStatusCancelled EventStatus = "CANCELLED"
)

// BookingStatus is the lifecycle state of a booking.
type BookingStatus string

const (
	BookingStatusWaitlisted BookingStatus = "WAITLISTED"
	BookingStatusPending    BookingStatus = "PENDING"
	BookingStatusConfirmed  BookingStatus = "CONFIRMED"
	BookingStatusCancelled  BookingStatus = "CANCELLED"
	BookingStatusExpired    BookingStatus = "EXPIRED"
)

// PaymentStatus summarises what has been paid and refunded on a booking.
type PaymentStatus string

const (
	PaymentStatusUnpaid            PaymentStatus = "UNPAID"
	PaymentStatusPartiallyPaid     PaymentStatus = "PARTIALLY_PAID"
	PaymentStatusPaid              PaymentStatus = "PAID"
	PaymentStatusPartiallyRefunded PaymentStatus = "PARTIALLY_REFUNDED"
	PaymentStatusRefunded          PaymentStatus = "REFUNDED"
)

// PaymentMethod is how a booking or a payment is paid.
type PaymentMethod string

const (
	PaymentMethodCard         PaymentMethod = "CARD"
	PaymentMethodInvoice      PaymentMethod = "INVOICE"
	PaymentMethodBankTransfer PaymentMethod = "BANK_TRANSFER"
	PaymentMethodCash         PaymentMethod = "CASH"
	PaymentMethodExternal     PaymentMethod = "EXTERNAL"
	PaymentMethodFree         PaymentMethod = "FREE"
)

// TicketStatus is the state of one admission.
type TicketStatus string

const (
	TicketStatusActive     TicketStatus = "ACTIVE"
	TicketStatusWaitlisted TicketStatus = "WAITLISTED"
	TicketStatusCancelled  TicketStatus = "CANCELLED"
)

// RegistrationStatus is the state of a seat, or a place on the waitlist.
type RegistrationStatus string

const (
	RegistrationStatusPending    RegistrationStatus = "PENDING"
	RegistrationStatusAccepted   RegistrationStatus = "ACCEPTED"
	RegistrationStatusWaitlisted RegistrationStatus = "WAITLISTED"
	RegistrationStatusDeclined   RegistrationStatus = "DECLINED"
	RegistrationStatusRemoved    RegistrationStatus = "REMOVED"
	RegistrationStatusCancelled  RegistrationStatus = "CANCELLED"
)

// PaymentKind tells money in from money out.
type PaymentKind string

const (
	PaymentKindPayment PaymentKind = "PAYMENT"
	PaymentKindRefund  PaymentKind = "REFUND"
)

// PaymentRecordStatus is the state of one payment or refund.
type PaymentRecordStatus string

const (
	PaymentRecordStatusPending   PaymentRecordStatus = "PENDING"
	PaymentRecordStatusSucceeded PaymentRecordStatus = "SUCCEEDED"
	PaymentRecordStatusFailed    PaymentRecordStatus = "FAILED"
	PaymentRecordStatusCancelled PaymentRecordStatus = "CANCELLED"
)

// HistoryKind is what a history row records (docs/domain-rules.md, rule 12).
type HistoryKind string

const (
	HistoryTicketBooked     HistoryKind = "TICKET_BOOKED"
	HistoryTicketCancelled  HistoryKind = "TICKET_CANCELLED"
	HistoryCheckedIn        HistoryKind = "CHECKED_IN"
	HistoryCheckInUndone    HistoryKind = "CHECK_IN_UNDONE"
	HistoryPaymentSucceeded HistoryKind = "PAYMENT_SUCCEEDED"
	HistoryRefundSucceeded  HistoryKind = "REFUND_SUCCEEDED"
	HistoryBookingStatus    HistoryKind = "BOOKING_STATUS_CHANGED"
)

// StatisticsInterval is the bucket width of eventStatistics.
type StatisticsInterval string

const (
	StatisticsIntervalHour StatisticsInterval = "HOUR"
	StatisticsIntervalDay  StatisticsInterval = "DAY"
	StatisticsIntervalWeek StatisticsInterval = "WEEK"
)

// Role is what an API key may do.
type Role string

const (
	RoleAdmin   Role = "ADMIN"
	RoleStaff   Role = "STAFF"
	RoleCheckIn Role = "CHECKIN"
)

// SortEnumType is the direction of one sort key.
type SortEnumType string

const (
	SortASC  SortEnumType = "ASC"
	SortDESC SortEnumType = "DESC"
)

var members = map[string][]string{
	"EventStatus":         {"DRAFT", "PUBLISHED", "CANCELLED"},
	"BookingStatus":       {"WAITLISTED", "PENDING", "CONFIRMED", "CANCELLED", "EXPIRED"},
	"PaymentStatus":       {"UNPAID", "PARTIALLY_PAID", "PAID", "PARTIALLY_REFUNDED", "REFUNDED"},
	"PaymentMethod":       {"CARD", "INVOICE", "BANK_TRANSFER", "CASH", "EXTERNAL", "FREE"},
	"TicketStatus":        {"ACTIVE", "WAITLISTED", "CANCELLED"},
	"RegistrationStatus":  {"PENDING", "ACCEPTED", "WAITLISTED", "DECLINED", "REMOVED", "CANCELLED"},
	"PaymentKind":         {"PAYMENT", "REFUND"},
	"PaymentRecordStatus": {"PENDING", "SUCCEEDED", "FAILED", "CANCELLED"},
	"HistoryKind":         {"TICKET_BOOKED", "TICKET_CANCELLED", "CHECKED_IN", "CHECK_IN_UNDONE", "PAYMENT_SUCCEEDED", "REFUND_SUCCEEDED", "BOOKING_STATUS_CHANGED"},
	"StatisticsInterval":  {"HOUR", "DAY", "WEEK"},
	"SortEnumType":        {"ASC", "DESC"},
	"Role":                {"ADMIN", "STAFF", "CHECKIN"},
}

func (EventStatus) Values() []string         { return members["EventStatus"] }
func (BookingStatus) Values() []string       { return members["BookingStatus"] }
func (PaymentStatus) Values() []string       { return members["PaymentStatus"] }
func (PaymentMethod) Values() []string       { return members["PaymentMethod"] }
func (TicketStatus) Values() []string        { return members["TicketStatus"] }
func (RegistrationStatus) Values() []string  { return members["RegistrationStatus"] }
func (PaymentKind) Values() []string         { return members["PaymentKind"] }
func (PaymentRecordStatus) Values() []string { return members["PaymentRecordStatus"] }
func (HistoryKind) Values() []string         { return members["HistoryKind"] }
func (StatisticsInterval) Values() []string  { return members["StatisticsInterval"] }
func (SortEnumType) Values() []string        { return members["SortEnumType"] }
func (Role) Values() []string                { return members["Role"] }

// unmarshal checks that v is a member of the enum named typ.
func unmarshal(typ string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", BadInput("%s must be a string", typ)
	}
	if !slices.Contains(members[typ], s) {
		return "", BadInput("%q is not a valid %s", s, typ)
	}
	return s, nil
}

func marshal(w io.Writer, s string) { _, _ = io.WriteString(w, strconv.Quote(s)) }

func (e EventStatus) MarshalGQL(w io.Writer)         { marshal(w, string(e)) }
func (e BookingStatus) MarshalGQL(w io.Writer)       { marshal(w, string(e)) }
func (e PaymentStatus) MarshalGQL(w io.Writer)       { marshal(w, string(e)) }
func (e PaymentMethod) MarshalGQL(w io.Writer)       { marshal(w, string(e)) }
func (e TicketStatus) MarshalGQL(w io.Writer)        { marshal(w, string(e)) }
func (e RegistrationStatus) MarshalGQL(w io.Writer)  { marshal(w, string(e)) }
func (e PaymentKind) MarshalGQL(w io.Writer)         { marshal(w, string(e)) }
func (e PaymentRecordStatus) MarshalGQL(w io.Writer) { marshal(w, string(e)) }
func (e StatisticsInterval) MarshalGQL(w io.Writer)  { marshal(w, string(e)) }
func (e SortEnumType) MarshalGQL(w io.Writer)        { marshal(w, string(e)) }

func (e *EventStatus) UnmarshalGQL(v any) (err error) {
	s, err := unmarshal("EventStatus", v)
	*e = EventStatus(s)
	return err
}
func (e *BookingStatus) UnmarshalGQL(v any) (err error) {
	s, err := unmarshal("BookingStatus", v)
	*e = BookingStatus(s)
	return err
}
func (e *PaymentStatus) UnmarshalGQL(v any) (err error) {
	s, err := unmarshal("PaymentStatus", v)
	*e = PaymentStatus(s)
	return err
}
func (e *PaymentMethod) UnmarshalGQL(v any) (err error) {
	s, err := unmarshal("PaymentMethod", v)
	*e = PaymentMethod(s)
	return err
}
func (e *TicketStatus) UnmarshalGQL(v any) (err error) {
	s, err := unmarshal("TicketStatus", v)
	*e = TicketStatus(s)
	return err
}
func (e *RegistrationStatus) UnmarshalGQL(v any) (err error) {
	s, err := unmarshal("RegistrationStatus", v)
	*e = RegistrationStatus(s)
	return err
}
func (e *PaymentKind) UnmarshalGQL(v any) (err error) {
	s, err := unmarshal("PaymentKind", v)
	*e = PaymentKind(s)
	return err
}
func (e *PaymentRecordStatus) UnmarshalGQL(v any) (err error) {
	s, err := unmarshal("PaymentRecordStatus", v)
	*e = PaymentRecordStatus(s)
	return err
}
func (e *StatisticsInterval) UnmarshalGQL(v any) (err error) {
	s, err := unmarshal("StatisticsInterval", v)
	*e = StatisticsInterval(s)
	return err
}
func (e *SortEnumType) UnmarshalGQL(v any) (err error) {
	s, err := unmarshal("SortEnumType", v)
	*e = SortEnumType(s)
	return err
}

// Localized returns the label of an enum member in the language of ctx
// (see WithLanguage); unknown members fall back to their name.
func Localized[E ~string](ctx context.Context, typ string, v E) string {
	lang := Language(ctx)
	if byLang, ok := labels[typ][string(v)]; ok {
		if s, ok := byLang[lang]; ok {
			return s
		}
		return byLang["en"]
	}
	return string(v)
}

// ValidRole checks a role named on the command line.
func ValidRole(r Role) error {
	if !slices.Contains(members["Role"], string(r)) {
		return fmt.Errorf("role must be one of %v", members["Role"])
	}
	return nil
}
