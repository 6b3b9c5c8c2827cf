#!/usr/bin/env bash
# Refresh the vendored map assets from the npm registry (development only: the package ships them).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent leaflet@1.9.4 topojson-client@3.1.0 world-atlas@2.0.2 swagger-ui-dist@5.35.0 \
  leaflet.markercluster@1.5.3 >/dev/null)
for f in "$work"/*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
dest=src/eventwatch/web/vendor
cp "$work"/leaflet-1.9.4/package/dist/{leaflet.js,leaflet.css} "$work"/leaflet-1.9.4/package/LICENSE "$dest/leaflet/"
cp -r "$work"/leaflet-1.9.4/package/dist/images "$dest/leaflet/"
cp "$work"/topojson-client-3.1.0/package/dist/topojson-client.min.js "$work"/topojson-client-3.1.0/package/LICENSE \
   "$dest/topojson-client/"
cp "$work"/world-atlas-2.0.2/package/countries-50m.json "$work"/world-atlas-2.0.2/package/LICENSE "$dest/natural-earth/"
mkdir -p "$dest/swagger-ui" "$dest/markercluster"
s="$work"/swagger-ui-dist-5.35.0/package
cp "$s"/{swagger-ui-bundle.js,swagger-ui-bundle.js.LICENSE.txt,swagger-ui.css,LICENSE,NOTICE,favicon-32x32.png} "$dest/swagger-ui/"
m="$work"/leaflet.markercluster-1.5.3/package
cp "$m"/dist/{leaflet.markercluster.js,MarkerCluster.css,MarkerCluster.Default.css} "$m"/MIT-LICENCE.txt "$dest/markercluster/"
echo "vendored into $dest"
