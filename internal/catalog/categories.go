package catalog

import (
	"context"

	"seatgraph/ent"
	"seatgraph/ent/ticketcategory"
	"seatgraph/internal/domain"
	"seatgraph/internal/money"
)

// categoryFields are the validated fields of a new category.
type categoryFields struct {
	name        string
	description *string
	price       int64
	currency    string
	taxRate     int64
	in          TicketCategoryInput
}

func categoryInput(in TicketCategoryInput) TicketCategoryInput { return in }

// category validates a category in currency; prefix is the input path.
func (ck *checker) category(prefix string, in TicketCategoryInput, currency string) categoryFields {
	f := categoryFields{
		name:        ck.text(prefix+"name", in.Name, true, 200),
		description: ck.optText(prefix+"description", in.Description, 5000),
		price:       ck.amount(prefix+"price", in.Price, currency),
		currency:    currency,
		taxRate:     ck.percent(prefix+"taxRatePercent", in.TaxRatePercent),
		in:          in,
	}
	ck.nonNegative(prefix+"capacity", in.Capacity)
	ck.order(prefix+"salesEndAt", in.SalesStartAt, in.SalesEndAt, "salesStartAt")
	return f
}

func (f categoryFields) create(tx *ent.Tx, tid int, ev *ent.Event) *ent.TicketCategoryCreate {
	return tx.TicketCategory.Create().SetTenantID(tid).SetEvent(ev).SetName(f.name).
		SetNillableDescription(f.description).SetPrice(f.price).SetCurrency(f.currency).
		SetTaxRatePercent(f.taxRate).SetNillableCapacity(f.in.Capacity).
		SetNillableSalesStartAt(f.in.SalesStartAt).SetNillableSalesEndAt(f.in.SalesEndAt)
}

// CreateTicketCategory adds a price tier to an event.
func (c *Catalog) CreateTicketCategory(ctx context.Context, in CreateTicketCategoryInput) (*ent.TicketCategory, error) {
	var out *ent.TicketCategory
	err := c.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		ev, err := loadEvent(ctx, tx, tid, in.EventID)
		if err != nil {
			return err
		}
		var ck checker
		f := ck.category("", TicketCategoryInput{
			Name: in.Name, Price: in.Price, TaxRatePercent: in.TaxRatePercent, Capacity: in.Capacity,
			Description: in.Description, SalesStartAt: in.SalesStartAt, SalesEndAt: in.SalesEndAt,
		}, ev.Currency)
		if !ck.ok() {
			return ck.result()
		}
		out, err = f.create(tx, tid, ev).Save(ctx)
		return err
	})
	return unwrap(out, err)
}

// UpdateTicketCategory changes a category. Prices of tickets already booked
// stay as they were (docs/domain-rules.md, rule 4).
func (c *Catalog) UpdateTicketCategory(ctx context.Context, in TicketCategoryChanges) (*ent.TicketCategory, error) {
	var out *ent.TicketCategory
	err := c.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		tc, err := tx.TicketCategory.Query().Where(ticketcategory.ID(in.ID), ticketcategory.TenantID(tid)).Only(ctx)
		if ent.IsNotFound(err) {
			return domain.NotFound("TicketCategory", in.ID)
		}
		if err != nil {
			return err
		}
		var ck checker
		u := tx.TicketCategory.UpdateOne(tc)
		if in.Name != nil {
			u.SetName(ck.text("name", *in.Name, true, 200))
		}
		if in.Price != nil {
			u.SetPrice(ck.amount("price", *in.Price, tc.Currency))
		}
		if in.TaxRatePercent != nil {
			u.SetTaxRatePercent(ck.percent("taxRatePercent", in.TaxRatePercent))
		}
		if in.Capacity.IsSet() {
			v := in.Capacity.Value()
			ck.nonNegative("capacity", v)
			if v != nil && *v < tc.SoldCount {
				ck.fail("capacity", "%d tickets are sold; the capacity cannot be lower", tc.SoldCount)
			}
			if v == nil {
				u.ClearCapacity()
			} else {
				u.SetCapacity(*v)
			}
		}
		setOptText(&ck, in.Description, "description", 5000, u.SetDescription, u.ClearDescription)
		start, end := tc.SalesStartAt, tc.SalesEndAt
		if in.SalesStartAt.IsSet() {
			start = in.SalesStartAt.Value()
			u.SetNillableSalesStartAt(start)
			if start == nil {
				u.ClearSalesStartAt()
			}
		}
		if in.SalesEndAt.IsSet() {
			end = in.SalesEndAt.Value()
			u.SetNillableSalesEndAt(end)
			if end == nil {
				u.ClearSalesEndAt()
			}
		}
		ck.order("salesEndAt", start, end, "salesStartAt")
		if !ck.ok() {
			return ck.result()
		}
		out, err = u.Save(ctx)
		return err
	})
	return unwrap(out, err)
}

// TaxRate returns a category's tax rate as a Decimal percentage.
func TaxRate(tc *ent.TicketCategory) money.Decimal {
	return money.Decimal{Units: tc.TaxRatePercent, Scale: 2}.Normalize()
}

// AvailableSeats returns the seats an event has left; nil means unlimited.
func AvailableSeats(ev *ent.Event) *int {
	if ev.Capacity == nil {
		return nil
	}
	left := max(0, *ev.Capacity-ev.RegisteredCount)
	return &left
}

// CategoryAvailableSeats returns the smaller of a category's and its event's
// remaining seats; nil when both are unlimited.
func CategoryAvailableSeats(tc *ent.TicketCategory, ev *ent.Event) *int {
	left := AvailableSeats(ev)
	if tc.Capacity == nil {
		return left
	}
	own := max(0, *tc.Capacity-tc.SoldCount)
	if left == nil || own < *left {
		return &own
	}
	return left
}
