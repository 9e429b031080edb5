package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"seatgraph/auth"
	"seatgraph/ent"
	"seatgraph/enums"
)

// command runs a subcommand (what follows the flags) and reports whether
// there was one.
func command(ctx context.Context, args []string, client *ent.Client, out io.Writer) (bool, error) {
	if len(args) == 0 {
		return false, nil
	}
	switch strings.Join(args[:min(2, len(args))], " ") {
	case "tenant create":
		if len(args) != 3 {
			return true, errors.New("usage: seatgraph tenant create <slug>")
		}
		t, key, err := auth.CreateTenant(ctx, client, args[2], "")
		if err != nil {
			return true, err
		}
		fmt.Fprintf(out, "tenant %s created\nadmin key (shown once): %s\n", t.Slug, key)
		return true, nil
	case "key create":
		fs := flag.NewFlagSet("key create", flag.ContinueOnError)
		fs.SetOutput(out)
		slug := fs.String("tenant", "default", "tenant slug")
		role := fs.String("role", string(enums.RoleAdmin), "ADMIN, STAFF or CHECKIN")
		if err := fs.Parse(args[2:]); err != nil {
			return true, err
		}
		t, err := auth.TenantBySlug(ctx, client, *slug)
		if err != nil {
			return true, err
		}
		key, err := auth.CreateKey(ctx, client, t.ID, enums.Role(strings.ToUpper(*role)))
		if err != nil {
			return true, err
		}
		fmt.Fprintf(out, "%s key for tenant %s (shown once): %s\n", strings.ToUpper(*role), t.Slug, key)
		return true, nil
	}
	return true, fmt.Errorf("unknown command %q; commands: tenant create <slug>, key create --tenant <slug> --role ADMIN|STAFF|CHECKIN", strings.Join(args, " "))
}
