package domain

import (
	"context"
	"testing"
)

func TestNegotiateLanguage(t *testing.T) {
	tests := []struct {
		header, want string
	}{
		{"", "en"},
		{"de", "de"},
		{"en", "en"},
		{"DE", "de"},
		{"de-CH,de;q=0.9", "de"},
		{"de-DE", "de"},
		{"fr, de;q=0.5", "de"},
		{"en;q=0.1, de;q=0.9", "de"},
		{"de;q=0.1, en;q=0.9", "en"},
		{"xx", "en"},
		{"fr-FR,fr;q=0.9", "en"},
		{"*", "en"},
		{"en-US,en;q=0.9,de;q=0.8", "en"},
		{"de-AT;q=0.8, en-GB;q=0.7", "de"},
		{" de ; q=0.7 , en ; q=0.6 ", "de"},
		{"de; q=0.7, en; q=0.6", "de"},
		{"de;q=0", "en"},             // q=0 means not acceptable
		{"de;q=0, en;q=0", "en"},     // nothing acceptable: the default
		{"de;Q=0.1, en;q=0.5", "en"}, // the weight's name is case-insensitive (RFC 9110)
		{"en, de", "en"},             // equal weights: the first wins
		{"de, en", "de"},
		{"de;q=0.5, en;q=0.5", "de"},
		{"deu", "en"}, // a different primary tag, not a prefix match
		{"d", "en"},
		{",,,", "en"},
		{"de;q=abc", "de"}, // an unreadable weight counts as 1
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := NegotiateLanguage(tt.header); got != tt.want {
				t.Fatalf("NegotiateLanguage(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestLanguage(t *testing.T) {
	if got := Language(context.Background()); got != "en" {
		t.Errorf("Language(no value) = %q, want en", got)
	}
	ctx := WithLanguage(context.Background(), "de")
	if got := Language(ctx); got != "de" {
		t.Errorf("Language(WithLanguage de) = %q", got)
	}
	if got := Language(WithLanguage(ctx, "en")); got != "en" {
		t.Errorf("an inner WithLanguage does not override: %q", got)
	}
	if Languages[0] != "en" {
		t.Errorf("the default language is %q, want en", Languages[0])
	}
}
