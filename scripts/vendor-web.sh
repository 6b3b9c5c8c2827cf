#!/usr/bin/env bash
# Refresh the vendored map assets from the npm registry (development only: the package ships them).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent leaflet@1.9.4 topojson-client@3.1.0 world-atlas@2.0.2 >/dev/null)
for f in "$work"/*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
dest=src/eventwatch/web/vendor
cp "$work"/leaflet-1.9.4/package/dist/{leaflet.js,leaflet.css} "$work"/leaflet-1.9.4/package/LICENSE "$dest/leaflet/"
cp -r "$work"/leaflet-1.9.4/package/dist/images "$dest/leaflet/"
cp "$work"/topojson-client-3.1.0/package/dist/topojson-client.min.js "$work"/topojson-client-3.1.0/package/LICENSE \
   "$dest/topojson-client/"
cp "$work"/world-atlas-2.0.2/package/countries-50m.json "$work"/world-atlas-2.0.2/package/LICENSE "$dest/natural-earth/"
echo "vendored into $dest"
