package auth_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"seatgraph/ent"
	"seatgraph/ent/event"
	"seatgraph/internal/auth"
	"seatgraph/internal/domain"
	"seatgraph/internal/gid"
	"seatgraph/internal/store/storetest"
)

// world is two tenants with a key of each role, on a fresh SQLite database
// whose client keeps to the tenant of each context (auth.Protect).
type world struct {
	client        *ent.Client
	def, other    *ent.Tenant
	keys          map[domain.Role]string // keys of tenant def
	otherAdminKey string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	client, defID := storetest.Open(t, storetest.SQLite(t))
	w := &world{client: client, keys: map[domain.Role]string{}}
	var err error
	if w.def, err = client.Tenant.Get(ctx, defID); err != nil {
		t.Fatal(err)
	}
	if w.other, w.otherAdminKey, err = auth.CreateTenant(ctx, client, "acme", "Acme"); err != nil {
		t.Fatal(err)
	}
	for _, r := range []domain.Role{domain.RoleAdmin, domain.RoleStaff, domain.RoleCheckIn} {
		if w.keys[r], err = auth.CreateKey(ctx, client, defID, r); err != nil {
			t.Fatal(err)
		}
	}
	auth.Protect(client)
	return w
}

// seen is what the middleware handed on: the principal and tenant of the
// request context.
type seen struct {
	called bool
	p      auth.Principal
	tenant int
}

func (w *world) serve(t *testing.T, header http.Header) (*httptest.ResponseRecorder, seen) {
	t.Helper()
	var s seen
	next := http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		s.called = true
		s.p, _ = auth.FromContext(r.Context())
		s.tenant, _ = auth.TenantID(r.Context())
	})
	h := auth.NewAuthenticator(w.client, w.def.ID).Middleware(next)
	r := httptest.NewRequest("POST", "/graphql", nil)
	for k, vs := range header {
		r.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec, s
}

func TestMiddleware(t *testing.T) {
	w := newWorld(t)
	bearer := func(k string) string { return "Bearer " + k }
	tests := []struct {
		name       string
		header     http.Header
		wantStatus int    // 0: handed on
		wantCode   string // extensions.code of a refusal
		wantRole   domain.Role
		wantTenant int
	}{
		{name: "no key is anonymous in the default tenant", header: http.Header{}, wantTenant: w.def.ID},
		{name: "anonymous names a tenant by slug", header: http.Header{"X-Tenant-Id": {"ACME"}}, wantTenant: w.other.ID},
		{name: "anonymous names a tenant by ID", header: http.Header{"X-Tenant-Id": {gid.Encode(w.other.ID)}}, wantTenant: w.other.ID},
		{name: "anonymous names a tenant by number", header: http.Header{"X-Tenant-Id": {strconv.Itoa(w.other.ID)}}, wantTenant: w.other.ID},
		{name: "cobra's tenant header", header: http.Header{"X-Cobra-Tenantid": {"acme"}}, wantTenant: w.other.ID},
		{name: "unknown tenant", header: http.Header{"X-Tenant-Id": {"nobody"}}, wantStatus: http.StatusNotFound, wantCode: domain.CodeNotFound},
		{name: "admin key", header: http.Header{"Authorization": {bearer(w.keys[domain.RoleAdmin])}}, wantRole: domain.RoleAdmin, wantTenant: w.def.ID},
		{name: "staff key", header: http.Header{"Authorization": {bearer(w.keys[domain.RoleStaff])}}, wantRole: domain.RoleStaff, wantTenant: w.def.ID},
		{name: "check-in key", header: http.Header{"Authorization": {bearer(w.keys[domain.RoleCheckIn])}}, wantRole: domain.RoleCheckIn, wantTenant: w.def.ID},
		{name: "scheme is case-insensitive", header: http.Header{"Authorization": {"bearer " + w.keys[domain.RoleStaff]}}, wantRole: domain.RoleStaff, wantTenant: w.def.ID},
		{name: "key with its own tenant named", header: http.Header{"Authorization": {bearer(w.otherAdminKey)}, "X-Tenant-Id": {"acme"}}, wantRole: domain.RoleAdmin, wantTenant: w.other.ID},
		{name: "key acts for its own tenant", header: http.Header{"Authorization": {bearer(w.otherAdminKey)}}, wantRole: domain.RoleAdmin, wantTenant: w.other.ID},
		{name: "key with another tenant named", header: http.Header{"Authorization": {bearer(w.keys[domain.RoleAdmin])}, "X-Tenant-Id": {"acme"}}, wantStatus: http.StatusForbidden, wantCode: domain.CodeForbidden},
		{name: "unknown key", header: http.Header{"Authorization": {bearer("sg_not-a-key-at-all-000000")}}, wantStatus: http.StatusUnauthorized, wantCode: domain.CodeUnauthenticated},
		{name: "another scheme", header: http.Header{"Authorization": {"Basic " + w.keys[domain.RoleAdmin]}}, wantStatus: http.StatusUnauthorized, wantCode: domain.CodeUnauthenticated},
		{name: "empty header value", header: http.Header{"Authorization": {"Bearer "}}, wantStatus: http.StatusUnauthorized, wantCode: domain.CodeUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, s := w.serve(t, tt.header)
			if tt.wantStatus != 0 {
				if s.called {
					t.Fatalf("refused request was handed on as %+v", s.p)
				}
				if rec.Code != tt.wantStatus {
					t.Fatalf("status %d, want %d", rec.Code, tt.wantStatus)
				}
				var body struct {
					Errors []struct {
						Message    string         `json:"message"`
						Extensions map[string]any `json:"extensions"`
					} `json:"errors"`
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors) != 1 {
					t.Fatalf("body %q is not one GraphQL error (%v)", rec.Body.String(), err)
				}
				if got := body.Errors[0].Extensions["code"]; got != tt.wantCode {
					t.Errorf("code %v, want %s", got, tt.wantCode)
				}
				return
			}
			if !s.called {
				t.Fatalf("not handed on: %d %s", rec.Code, rec.Body.String())
			}
			if s.p.Role != tt.wantRole || s.tenant != tt.wantTenant || s.p.TenantID != tt.wantTenant {
				t.Errorf("role %q tenant %d (principal %d), want %q %d", s.p.Role, s.tenant, s.p.TenantID, tt.wantRole, tt.wantTenant)
			}
			if s.p.Anonymous() != (tt.wantRole == "") {
				t.Errorf("Anonymous() = %v for role %q", s.p.Anonymous(), s.p.Role)
			}
		})
	}
}

// TestRevokedKeyRefused: a revoked key stops working once its cached
// answer runs out; a fresh authenticator sees it at once.
func TestRevokedKeyRefused(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	key := w.keys[domain.RoleStaff]
	if _, err := w.client.APIKey.Update().Where().SetRevokedAt(time.Now()).Save(ctx); err != nil {
		t.Fatal(err)
	}
	rec, s := w.serve(t, http.Header{"Authorization": {"Bearer " + key}})
	if s.called || rec.Code != http.StatusUnauthorized {
		t.Fatalf("revoked key: status %d, handed on %v", rec.Code, s.called)
	}
}

func TestIsolation(t *testing.T) {
	w := newWorld(t)
	as := func(tenant int, role domain.Role) context.Context {
		ctx := auth.WithTenant(context.Background(), tenant)
		return auth.WithPrincipal(ctx, auth.Principal{TenantID: tenant, Role: role})
	}
	admin, otherAdmin := as(w.def.ID, domain.RoleAdmin), as(w.other.ID, domain.RoleAdmin)
	mk := func(ctx context.Context, title string, status domain.EventStatus) *ent.Event {
		t.Helper()
		ev, err := w.client.Event.Create().SetTitle(title).SetStatus(status).SetCurrency("EUR").
			SetStartsAt(time.Now().Add(48 * time.Hour)).Save(ctx)
		if err != nil {
			t.Fatalf("creating %s: %v", title, err)
		}
		return ev
	}
	draft := mk(admin, "draft", domain.EventStatusDraft)
	mk(admin, "published", domain.EventStatusPublished)
	theirs := mk(otherAdmin, "theirs", domain.EventStatusPublished)
	if draft.TenantID != w.def.ID || theirs.TenantID != w.other.ID {
		t.Fatalf("new rows not stamped with their tenant: %d, %d", draft.TenantID, theirs.TenantID)
	}

	titles := func(ctx context.Context) []string {
		t.Helper()
		evs, err := w.client.Event.Query().Order(ent.Asc(event.FieldID)).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range evs {
			out = append(out, e.Title)
		}
		return out
	}
	tests := []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"a tenant sees its own events", admin, []string{"draft", "published"}},
		{"the other tenant sees only its own", otherAdmin, []string{"theirs"}},
		{"anonymous callers see published events only", as(w.def.ID, ""), []string{"published"}},
		{"the server's own work is not narrowed", context.Background(), []string{"draft", "published", "theirs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := titles(tt.ctx); !slices.Equal(got, tt.want) {
				t.Errorf("events %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("updates and deletes keep to the tenant", func(t *testing.T) {
		n, err := w.client.Event.Update().Where(event.ID(theirs.ID)).SetTitle("taken").Save(admin)
		if err != nil || n != 0 {
			t.Fatalf("update of another tenant's event: %d rows, %v", n, err)
		}
		n, err = w.client.Event.Delete().Where(event.ID(theirs.ID)).Exec(admin)
		if err != nil || n != 0 {
			t.Fatalf("delete of another tenant's event: %d rows, %v", n, err)
		}
		if got, _ := w.client.Event.Get(otherAdmin, theirs.ID); got == nil || got.Title != "theirs" {
			t.Fatalf("the other tenant's event changed: %+v", got)
		}
	})
	t.Run("a row written for another tenant is refused", func(t *testing.T) {
		_, err := w.client.Event.Create().SetTenantID(w.other.ID).SetTitle("smuggled").SetCurrency("EUR").
			SetStartsAt(time.Now().Add(time.Hour)).Save(admin)
		if err == nil {
			t.Fatal("an event for another tenant was created within a tenant's context")
		}
	})
}

func TestEnsureAdminKey(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		fromEnv   string
		wantShown bool
		wantErr   bool
	}{
		{name: "first start shows a new key", wantShown: true},
		{name: "a key from the environment is stored, not shown", fromEnv: "env-admin-key-0123456789"},
		{name: "a short key from the environment is refused", fromEnv: "short", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, tid := storetest.Open(t, storetest.SQLite(t))
			shown, err := auth.EnsureAdminKey(ctx, client, tid, tt.fromEnv)
			if (err != nil) != tt.wantErr || (shown != "") != tt.wantShown {
				t.Fatalf("EnsureAdminKey = %q, %v", shown, err)
			}
			if tt.wantErr {
				return
			}
			again, err := auth.EnsureAdminKey(ctx, client, tid, tt.fromEnv)
			if err != nil || again != "" {
				t.Fatalf("second start = %q, %v; want nothing shown", again, err)
			}
			key := shown
			if key == "" {
				key = tt.fromEnv
			}
			rec, s := (&world{client: client, def: &ent.Tenant{ID: tid}}).serve(t, http.Header{"Authorization": {"Bearer " + key}})
			if !s.called || s.p.Role != domain.RoleAdmin || s.tenant != tid {
				t.Fatalf("the admin key does not authenticate as ADMIN of the tenant: %d %+v", rec.Code, s.p)
			}
		})
	}
}
