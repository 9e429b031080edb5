package catalog

import (
	"context"
	"fmt"

	"seatgraph/ent"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// A currency change of an event (allowed while it has no tickets) keeps
// every amount as written: "20.00" EUR becomes "20" JPY. Prices and fees are
// stored in minor units, whose size differs between currencies, so each one
// is rescaled; an amount the new currency cannot write ("19.90" in JPY)
// makes the change a ValidationError on the currency field.

// categoryPrice is a category's price in the new currency.
type categoryPrice struct {
	id    int
	price int64
}

// rescale converts units of currency from into units of currency to.
func (ck *checker) rescale(field, what string, units int64, from, to string) int64 {
	d := money.Decimal{Units: units, Scale: money.Digits(from)}
	u, err := money.ParseAmount(d, to)
	if err != nil {
		ck.fail(field, "%s %s cannot be written in %s; change it first", what, d, to)
	}
	return u
}

// rescaleCategories returns the prices of an event's categories in to.
func (ck *checker) rescaleCategories(ctx context.Context, tx *ent.Tx, eventID int, field, from, to string) ([]categoryPrice, error) {
	cats, err := tx.TicketCategory.Query().Where(ticketcategory.EventID(eventID)).
		Order(ent.Asc(ticketcategory.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]categoryPrice, len(cats))
	for i, tc := range cats {
		out[i] = categoryPrice{id: tc.ID, price: ck.rescale(field, fmt.Sprintf("the price of %q,", tc.Name), tc.Price, from, to)}
	}
	return out, nil
}

// rescalePolicy returns a policy with its fixed fees in to.
func (ck *checker) rescalePolicy(field string, p domain.CancellationPolicy, from, to string) domain.CancellationPolicy {
	out := domain.CancellationPolicy{Rules: make([]domain.CancellationRule, len(p.Rules))}
	for i, r := range p.Rules {
		out.Rules[i] = r
		if r.FixedFee != nil {
			fee := ck.rescale(field, fmt.Sprintf("the cancellation fee of rule %d,", i), *r.FixedFee, from, to)
			out.Rules[i].FixedFee = &fee
		}
	}
	return out
}
