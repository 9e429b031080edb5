package domain

// The response language is chosen by Accept-Language.

import (
	"context"
	"strconv"
	"strings"
)

type languageKey struct{}

// Languages are the response languages seatgraph speaks; the first is the default.
var Languages = []string{"en", "de"}

// WithLanguage stores the response language in ctx.
func WithLanguage(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, languageKey{}, lang)
}

// Language returns the response language of ctx ("en" when none was chosen).
func Language(ctx context.Context) string {
	if l, ok := ctx.Value(languageKey{}).(string); ok {
		return l
	}
	return Languages[0]
}

// NegotiateLanguage picks the best supported language from an
// Accept-Language header, honouring q-values; "en" when nothing matches.
func NegotiateLanguage(header string) string {
	best, bestQ := Languages[0], 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		// The weight's name is case-insensitive (RFC 9110, 12.4.2).
		if p := strings.TrimSpace(params); strings.HasPrefix(p, "q=") || strings.HasPrefix(p, "Q=") {
			if f, err := strconv.ParseFloat(p[2:], 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		for _, l := range Languages {
			if primary == l && q > bestQ {
				best, bestQ = l, q
			}
		}
	}
	return best
}
