#!/usr/bin/env bash
# Headless Chromium loads the demo page over TLS (the ephemeral certificate, pinned by its
# SPKI hash) and the page's script reports the protocol the browser used: it must be "h2".
# Browsers do not speak h2c (cleartext HTTP/2), so there is no cleartext row.
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require chromium chromium
start_server tls --tls-self-signed
spki=$(grep -o 'SPKI (sha256, base64): .*' "$tls_out" | sed 's/.*: //')
check "the banner gives the certificate's SPKI hash" test -n "$spki"
# Flags from the machine notes: without the background-networking ones Chromium tries the
# network, which is closed here.
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-dev-shm-usage --user-data-dir="$TMP/chrome" \
  --ignore-certificate-errors-spki-list="$spki" \
  --virtual-time-budget=5000 --dump-dom "$tls_url" > "$TMP/dom.html" 2> "$TMP/chrome.err"
check "chromium exits 0" test $? -eq 0
check "the page loaded" grep -q 'h2harness reference server' "$TMP/dom.html"
check "the browser says protocol=h2" grep -q 'protocol=h2<' "$TMP/dom.html"
check "the server logged the browser's streams over h2" grep -q ' h2 #[0-9]* "GET /script.js" 200' "$tls_out"
if ((fail)); then
  echo "--- dom"; head -c 2000 "$TMP/dom.html"; echo "--- chromium stderr"; tail -20 "$TMP/chrome.err"
  matrix chromium tls FAIL
else
  matrix chromium tls pass
fi
matrix chromium h2c "n/a (browsers speak HTTP/2 only over TLS)"
finish
