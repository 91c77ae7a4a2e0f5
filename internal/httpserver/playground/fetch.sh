#!/bin/sh
# Fetches the playground's third-party browser code from the npm registry
# into static/vendor, so the binary serves GraphiQL without a CDN. Run it
# from anywhere when upgrading; commit what it writes. It needs npm and npx.
#
# The tarballs are checked against the sha256 sums below (taken from the
# registry when these versions were chosen): a changed package fails here.
# GraphiQL 3 is the last major with a standalone browser bundle (4 needs a
# bundler); its "graphiql.min.js" ships unminified (3.5 MB), so it is
# minified here with a pinned esbuild, keeping the licence comments.
set -eu

GRAPHIQL=3.8.3
REACT=18.3.1
ESBUILD=0.24.0

here=$(cd "$(dirname "$0")" && pwd)
out="$here/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null
sha256sum -c - <<SUMS
1cadb1c2ca0dc51ea71fb4bb2680e6185e83fe400c9a62ca5fb9dfb922472bbd  graphiql-$GRAPHIQL.tgz
8d9bed01a672e7eaf387942d781ad47c6a43089a30a0306060f9fd5ac7870347  react-$REACT.tgz
031d4427a99f2f3f6cac18bbbf308594a67e4f47d10f4896fdec446505b040e0  react-dom-$REACT.tgz
SUMS
for p in graphiql-$GRAPHIQL react-$REACT react-dom-$REACT; do
	mkdir "$p" && tar -xzf "$p.tgz" -C "$p"
done

rm -rf "$out" && mkdir -p "$out"
# Versions are in the file names: they are served as immutable.
cp "react-$REACT/package/umd/react.production.min.js" "$out/react-$REACT.production.min.js"
cp "react-dom-$REACT/package/umd/react-dom.production.min.js" "$out/react-dom-$REACT.production.min.js"
cp "graphiql-$GRAPHIQL/package/graphiql.min.css" "$out/graphiql-$GRAPHIQL.min.css"
npx --yes "esbuild@$ESBUILD" "graphiql-$GRAPHIQL/package/graphiql.min.js" \
	--minify --legal-comments=eof --log-level=error --outfile="$out/graphiql-$GRAPHIQL.min.js"
# All three are MIT licensed; their licences travel with the code.
cp "graphiql-$GRAPHIQL/package/LICENSE" "$out/LICENSE.graphiql"
cp "react-$REACT/package/LICENSE" "$out/LICENSE.react"
cp "react-dom-$REACT/package/LICENSE" "$out/LICENSE.react-dom"
