#!/usr/bin/env bash
# nghttp -v against the reference server, h2c and TLS: the demo site pushes /style.css with
# "/" (PUSH_PROMISE, then the pushed response), and --push rules do the same for a docroot.
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require nghttp nghttp2-client

mkdir -p "$TMP/root/css"
echo '<html>hi</html>' > "$TMP/root/index.html"
echo 'p { color: red }' > "$TMP/root/css/a.css"
start_server h2c
start_server tls --tls-self-signed
start_server rules --docroot "$TMP/root" --push '/index.html=/css/a.css'

for transport in h2c tls; do
  if [[ $transport == h2c ]]; then url=$h2c_url; else url=$tls_url; fi
  before=$fail
  timeout 20 nghttp -v -t 10 "$url" > "$TMP/nghttp.$transport" 2>&1
  check "$transport: nghttp exits 0" test $? -eq 0
  check "$transport: PUSH_PROMISE received" grep -q 'recv PUSH_PROMISE frame' "$TMP/nghttp.$transport"
  check "$transport: promised :path /style.css" grep -q ':path: /style.css' "$TMP/nghttp.$transport"
  check "$transport: pushed stream answered 200" \
    grep -A3 'recv HEADERS frame <length=[0-9]*, flags=0x04, stream_id=2>' "$TMP/nghttp.$transport"
  check "$transport: the page itself 200" grep -q ':status: 200' "$TMP/nghttp.$transport"
  if ((fail == before)); then matrix "nghttp -v" "$transport" pass; else matrix "nghttp -v" "$transport" FAIL; fi
done
timeout 20 nghttp -v -t 10 "${rules_url}index.html" > "$TMP/nghttp.rules" 2>&1
check "--push rule: PUSH_PROMISE for /css/a.css" grep -q ':path: /css/a.css' "$TMP/nghttp.rules"
timeout 20 nghttp -v -t 10 --no-push "$h2c_url" > "$TMP/nghttp.nopush" 2>&1
check "client without push (ENABLE_PUSH=0): no PUSH_PROMISE, page served" \
  bash -c "! grep -q 'PUSH_PROMISE' '$TMP/nghttp.nopush' && grep -q ':status: 200' '$TMP/nghttp.nopush'"
finish
