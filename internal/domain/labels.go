package domain

// labels translates every enum member: type -> member -> language -> label.
var labels = map[string]map[string]map[string]string{
	"EventStatus": {
		"DRAFT":     {"en": "Draft", "de": "Entwurf"},
		"PUBLISHED": {"en": "Published", "de": "Veröffentlicht"},
		"CANCELLED": {"en": "Cancelled", "de": "Abgesagt"},
	},
	"BookingStatus": {
		"WAITLISTED": {"en": "Waitlisted", "de": "Auf der Warteliste"},
		"PENDING":    {"en": "Pending", "de": "Ausstehend"},
		"CONFIRMED":  {"en": "Confirmed", "de": "Bestätigt"},
		"CANCELLED":  {"en": "Cancelled", "de": "Storniert"},
		"EXPIRED":    {"en": "Expired", "de": "Abgelaufen"},
	},
	"PaymentStatus": {
		"UNPAID":             {"en": "Unpaid", "de": "Unbezahlt"},
		"PARTIALLY_PAID":     {"en": "Partially paid", "de": "Teilweise bezahlt"},
		"PAID":               {"en": "Paid", "de": "Bezahlt"},
		"PARTIALLY_REFUNDED": {"en": "Partially refunded", "de": "Teilweise erstattet"},
		"REFUNDED":           {"en": "Refunded", "de": "Erstattet"},
	},
	"PaymentMethod": {
		"CARD":          {"en": "Card", "de": "Karte"},
		"INVOICE":       {"en": "Invoice", "de": "Rechnung"},
		"BANK_TRANSFER": {"en": "Bank transfer", "de": "Überweisung"},
		"CASH":          {"en": "Cash", "de": "Bar"},
		"EXTERNAL":      {"en": "External", "de": "Extern"},
		"FREE":          {"en": "Free", "de": "Kostenlos"},
	},
	"TicketStatus": {
		"ACTIVE":     {"en": "Active", "de": "Gültig"},
		"WAITLISTED": {"en": "Waitlisted", "de": "Auf der Warteliste"},
		"CANCELLED":  {"en": "Cancelled", "de": "Storniert"},
	},
	"RegistrationStatus": {
		"PENDING":    {"en": "Pending", "de": "Ausstehend"},
		"ACCEPTED":   {"en": "Accepted", "de": "Angenommen"},
		"WAITLISTED": {"en": "Waitlisted", "de": "Auf der Warteliste"},
		"DECLINED":   {"en": "Declined", "de": "Abgelehnt"},
		"REMOVED":    {"en": "Removed", "de": "Entfernt"},
		"CANCELLED":  {"en": "Cancelled", "de": "Storniert"},
	},
	"PaymentKind": {
		"PAYMENT": {"en": "Payment", "de": "Zahlung"},
		"REFUND":  {"en": "Refund", "de": "Erstattung"},
	},
	"PaymentRecordStatus": {
		"PENDING":   {"en": "Pending", "de": "Ausstehend"},
		"SUCCEEDED": {"en": "Succeeded", "de": "Erfolgreich"},
		"FAILED":    {"en": "Failed", "de": "Fehlgeschlagen"},
		"CANCELLED": {"en": "Cancelled", "de": "Abgebrochen"},
	},
}
