package auth

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"seatgraph/ent"
	"seatgraph/ent/apikey"
	enttenant "seatgraph/ent/tenant"
	"seatgraph/internal/domain"
	"seatgraph/internal/gid"
)

// Authenticator turns the Authorization and X-Tenant-Id headers of a
// request into its Principal and tenant.
type Authenticator struct {
	client        *ent.Client
	defaultTenant int

	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	p       Principal
	ok      bool
	expires time.Time
}

// keyCacheTTL is how long a key lookup is reused; a revoked key stops
// working within it.
const keyCacheTTL = 10 * time.Second

// NewAuthenticator returns an Authenticator; anonymous callers without
// X-Tenant-Id act in defaultTenant.
func NewAuthenticator(client *ent.Client, defaultTenant int) *Authenticator {
	return &Authenticator{client: client, defaultTenant: defaultTenant, cache: map[string]cached{}}
}

// Middleware authenticates each request: a valid key acts for its tenant in
// its role; no key is anonymous; a bad key is refused (401), as is a key
// sent with another tenant's X-Tenant-Id (403).
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		named, err := a.namedTenant(ctx, r.Header)
		if err != nil {
			refuse(w, http.StatusNotFound, domain.CodeNotFound, "unknown tenant")
			return
		}
		p := Principal{TenantID: a.defaultTenant}
		if key, given := bearer(r.Header.Get("Authorization")); given {
			var ok bool
			var err error
			if p, ok, err = a.lookup(ctx, key); err != nil {
				refuse(w, http.StatusServiceUnavailable, domain.CodeInternal, "the API key could not be checked; try again")
				return
			}
			if !ok {
				refuse(w, http.StatusUnauthorized, domain.CodeUnauthenticated, "the API key is not valid")
				return
			}
			if named != 0 && named != p.TenantID {
				refuse(w, http.StatusForbidden, domain.CodeForbidden, "the API key does not belong to this tenant")
				return
			}
		} else if named != 0 {
			p.TenantID = named
		}
		ctx = WithPrincipal(WithTenant(ctx, p.TenantID), p)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// bearer reads "Bearer <key>"; given is true whenever the header is present.
func bearer(h string) (string, bool) {
	if h == "" {
		return "", false
	}
	scheme, key, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(key), true
}

// namedTenant resolves X-Tenant-Id (or X-Cobra-TenantId): a slug, a tenant
// ID or its number; 0 when neither header is sent.
func (a *Authenticator) namedTenant(ctx context.Context, h http.Header) (int, error) {
	v := strings.TrimSpace(h.Get("X-Tenant-Id"))
	if v == "" {
		v = strings.TrimSpace(h.Get("X-Cobra-TenantId"))
	}
	if v == "" {
		return 0, nil
	}
	q := a.client.Tenant.Query()
	if id, err := gid.DecodeAs(v, "Tenant"); err == nil {
		q.Where(enttenant.ID(id))
	} else if n, err := strconv.Atoi(v); err == nil {
		q.Where(enttenant.Or(enttenant.ID(n), enttenant.ID(1<<32|n)))
	} else {
		q.Where(enttenant.Slug(strings.ToLower(v)))
	}
	return q.OnlyID(ctx)
}

// lookup finds the principal of a key, reusing recent answers.
func (a *Authenticator) lookup(ctx context.Context, key string) (Principal, bool, error) {
	h := Hash(key)
	now := time.Now()
	a.mu.Lock()
	c, hit := a.cache[h]
	a.mu.Unlock()
	if hit && now.Before(c.expires) {
		return c.p, c.ok, nil
	}
	k, err := a.client.APIKey.Query().Where(apikey.KeyHash(h), apikey.RevokedAtIsNil()).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return Principal{}, false, err
	}
	c = cached{ok: err == nil, expires: now.Add(keyCacheTTL)}
	if c.ok {
		c.p = Principal{TenantID: k.TenantID, Role: k.Role, KeyID: k.ID}
	}
	a.mu.Lock()
	if len(a.cache) > 10000 {
		a.cache = map[string]cached{}
	}
	a.cache[h] = c
	a.mu.Unlock()
	return c.p, c.ok, nil
}

// refuse answers in the shape of a GraphQL response.
func refuse(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}
