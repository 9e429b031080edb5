#!/bin/sh
# Refreshes the vendored GraphiQL browser assets in assets/ from the exact
# versions pinned in package.json / package-lock.json.
#
#   cd server/graphiql && ./vendor.sh
#
# To upgrade: change a version in package.json, run
# `npm install --package-lock-only --ignore-scripts`, then this script, then
# `go test ./server/graphiql/`. Each package lands in assets/<name>@<version>/
# with its LICENSE; graphiql.go finds the directories by name, so the page
# picks up new versions without a code change. The version in the directory
# name is what lets the server send the assets with a year-long Cache-Control.
set -eu

cd "$(dirname "$0")"

npm ci --ignore-scripts --no-audit --no-fund

version() { node -p "require('./node_modules/$1/package.json').version"; }

# copy PACKAGE FILE... : copies files (paths relative to the package root)
# into assets/PACKAGE@VERSION/, flattened, plus the package's license file.
copy() {
	pkg=$1
	shift
	dir="assets/$pkg@$(version "$pkg")"
	mkdir -p "$dir"
	for f in "$@"; do
		cp "node_modules/$pkg/$f" "$dir/"
	done
	for l in LICENSE LICENSE.md LICENSE.txt; do
		if [ -f "node_modules/$pkg/$l" ]; then
			cp "node_modules/$pkg/$l" "$dir/"
		fi
	done
}

# Vendored directories are replaced wholesale; our own files (assets/seatgraph/)
# are left alone.
rm -rf assets/graphiql@* assets/react@* assets/react-dom@* assets/graphql-ws@*

# GraphiQL's UMD build bundles graphql-js and its editors; it expects React
# and ReactDOM as globals.
copy graphiql graphiql.min.js graphiql.min.css
copy react umd/react.production.min.js
copy react-dom umd/react-dom.production.min.js
# The graphql-ws client, for subscriptions over graphql-transport-ws.
copy graphql-ws umd/graphql-ws.min.js

ls -l assets/*@*/
