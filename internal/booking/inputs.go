package booking

import (
	"time"

	"seatgraph/internal/catalog"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// TicketInput is one ticket of a new booking.
type TicketInput struct {
	TicketCategoryID int
	// Holder defaults to the booker.
	Holder *catalog.ParticipantInput
}

// CustomFieldAnswerInput is one answer to a custom booking question.
type CustomFieldAnswerInput struct {
	Label  string
	Answer string
}

// CreateBookingInput books tickets for one booker.
type CreateBookingInput struct {
	Booker             catalog.ParticipantInput
	Tickets            []*TicketInput
	PaymentMethod      domain.PaymentMethod
	JoinWaitlist       *bool
	IdempotencyKey     *string
	InvoiceAddress     *string
	CustomFieldAnswers []*CustomFieldAnswerInput
	UtmSource          *string
	UtmMedium          *string
	UtmCampaign        *string
}

// CancelBookingInput cancels a whole booking or some of its tickets.
type CancelBookingInput struct {
	ID     int
	Reason *string
	// ApplyPolicy false refunds everything paid.
	ApplyPolicy *bool
	// TicketIDs cancels only these tickets.
	TicketIDs []int `json:"ticketIds"`
}

// SetBookerInput changes the booker of a booking.
type SetBookerInput struct {
	ID     int
	Booker catalog.ParticipantInput
}

// SetInvoiceNumberInput sets the organizer's invoice number.
type SetInvoiceNumberInput struct {
	ID            int
	InvoiceNumber string
}

// RecordPaymentInput records money received for a booking.
type RecordPaymentInput struct {
	BookingID         int
	Amount            money.Decimal
	Method            domain.PaymentMethod
	Status            *domain.PaymentRecordStatus
	ProviderReference *string
	Note              *string
}

// UpdatePaymentStatusInput moves a payment to another status.
type UpdatePaymentStatusInput struct {
	ID     int
	Status domain.PaymentRecordStatus
}

// RefundPaymentInput pays money back against a payment.
type RefundPaymentInput struct {
	ID     int
	Amount money.Decimal
	Reason *string
}

// CreateRegistrationInput registers a participant for an event.
type CreateRegistrationInput struct {
	EventID     int
	Participant catalog.ParticipantInput
	// Status is PENDING or ACCEPTED (default).
	Status   *domain.RegistrationStatus
	Metadata map[string]any
}

// UpdateRegistrationStatusInput moves a registration to another status.
type UpdateRegistrationStatusInput struct {
	ID     int
	Status domain.RegistrationStatus
}

// CheckInTicketInput admits the ticket with a code.
type CheckInTicketInput struct {
	Code string
	// EventID guards against admitting a ticket of another event.
	EventID *int
}

// UndoCheckInInput reverses a check-in.
type UndoCheckInInput struct {
	ID int
}

// Quote is what cancelling a booking would refund and keep.
type Quote struct {
	Cancellable      bool
	Paid             money.Money
	Kept             money.Money
	Refund           money.Money
	Rule             *PolicyRule
	HoursBeforeStart float64
}

// Policy is a cancellation policy with its amounts in a currency.
type Policy struct {
	Rules []*PolicyRule
}

// PolicyRule is one rule of a Policy.
type PolicyRule struct {
	HoursBeforeStart int
	KeepPercent      money.Decimal
	FixedFee         *money.Money
}

// Statistics are an event's figures over a window.
type Statistics struct {
	Capacity         *int
	RegisteredCount  int
	WaitlistCount    int
	CheckedInCount   int
	BookedTickets    int
	CancelledTickets int
	Revenue          money.Money
	Refunded         money.Money
	Series           []*Bucket
}

// Bucket is one interval of an event's statistics.
type Bucket struct {
	Start            time.Time
	BookedTickets    int
	CancelledTickets int
	Revenue          money.Money
	CheckIns         int
}
