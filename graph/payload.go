package graph

import (
	"seatgraph/domain"
	"seatgraph/domainerr"
	"seatgraph/ent"
	"seatgraph/graph/model"
	"seatgraph/money"
)

// payloadErrors splits a mutation's error: a domain failure goes into the
// payload's errors list (and nothing was changed); anything else stays a
// top-level error.
func payloadErrors(err error) ([]domainerr.Error, error) {
	if err == nil {
		return nil, nil
	}
	if d, ok := domainerr.As(err); ok {
		return []domainerr.Error{d}, nil
	}
	return nil, err
}

// cancellationPolicy shows an event's policy with amounts in its currency.
func cancellationPolicy(ev *ent.Event) *model.CancellationPolicy {
	return policyOf(ev.CancellationPolicy, ev.Currency)
}

func policyOf(p domain.CancellationPolicy, currency string) *model.CancellationPolicy {
	out := &model.CancellationPolicy{Rules: make([]*model.CancellationRule, len(p.Rules))}
	for i, r := range p.Rules {
		rule := &model.CancellationRule{
			HoursBeforeStart: r.HoursBeforeStart,
			KeepPercent:      money.Decimal{Units: r.KeepPercent, Scale: 2}.Normalize(),
		}
		if r.FixedFee != nil {
			fee := money.New(*r.FixedFee, currency)
			rule.FixedFee = &fee
		}
		out.Rules[i] = rule
	}
	return out
}
