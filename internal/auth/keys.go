package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"seatgraph/ent"
	"seatgraph/ent/apikey"
	"seatgraph/ent/tenant"
	"seatgraph/internal/domain"
)

// keyPrefix marks seatgraph keys, so a leaked one is recognisable.
const keyPrefix = "sgk_"

// NewKey returns a fresh key: 160 random bits in base32.
func NewKey() string {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return keyPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// Hash is what is stored of a key.
func Hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// CreateKey stores a new key for a tenant and returns it; it is not kept.
func CreateKey(ctx context.Context, client *ent.Client, tenantID int, role domain.Role) (string, error) {
	key := NewKey()
	return key, storeKey(ctx, client, tenantID, role, key)
}

func storeKey(ctx context.Context, client *ent.Client, tenantID int, role domain.Role, key string) error {
	if err := domain.ValidRole(role); err != nil {
		return err
	}
	return client.APIKey.Create().SetTenantID(tenantID).SetRole(role).SetKeyHash(Hash(key)).
		SetPrefix(key[:min(len(key), 10)]).Exec(ctx)
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// CreateTenant creates a tenant and an ADMIN key for it.
func CreateTenant(ctx context.Context, client *ent.Client, slug, name string) (*ent.Tenant, string, error) {
	slug = strings.ToLower(strings.TrimSpace(slug))
	if !slugPattern.MatchString(slug) {
		return nil, "", fmt.Errorf("a tenant slug is 2 to 63 lower-case letters, digits and dashes")
	}
	if name == "" {
		name = slug
	}
	t, err := client.Tenant.Create().SetSlug(slug).SetName(name).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, "", fmt.Errorf("tenant %q exists already", slug)
	}
	if err != nil {
		return nil, "", err
	}
	key, err := CreateKey(ctx, client, t.ID, domain.RoleAdmin)
	return t, key, err
}

// TenantBySlug finds a tenant by slug.
func TenantBySlug(ctx context.Context, client *ent.Client, slug string) (*ent.Tenant, error) {
	t, err := client.Tenant.Query().Where(tenant.Slug(strings.ToLower(slug))).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fmt.Errorf("no tenant %q", slug)
	}
	return t, err
}

// EnsureAdminKey makes sure the tenant can be administered. With a key from
// the environment, that key becomes an ADMIN key of the tenant. Without
// one, a tenant that has no key gets a new ADMIN key, returned to be shown
// once; otherwise nothing happens and "" is returned.
func EnsureAdminKey(ctx context.Context, client *ent.Client, tenantID int, fromEnv string) (string, error) {
	if fromEnv != "" {
		if len(fromEnv) < 20 {
			return "", errors.New("SEATGRAPH_ADMIN_KEY must be at least 20 characters")
		}
		exists, err := client.APIKey.Query().Where(apikey.KeyHash(Hash(fromEnv))).Exist(ctx)
		if err != nil || exists {
			return "", err
		}
		err = storeKey(ctx, client, tenantID, domain.RoleAdmin, fromEnv)
		if ent.IsConstraintError(err) {
			// Another process starting at the same time stored it first.
			if exists, qerr := client.APIKey.Query().Where(apikey.KeyHash(Hash(fromEnv))).Exist(ctx); qerr == nil && exists {
				return "", nil
			}
		}
		return "", err
	}
	has, err := client.APIKey.Query().Where(apikey.TenantID(tenantID)).Exist(ctx)
	if err != nil || has {
		return "", err
	}
	return CreateKey(ctx, client, tenantID, domain.RoleAdmin)
}
