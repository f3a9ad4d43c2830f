#!/usr/bin/env bash
# h2load against the reference server: thousands of requests, h2c and TLS, zero failures.
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require h2load nghttp2-client

start_server h2c --access-log=
start_server tls --access-log= --tls-self-signed
for transport in h2c tls; do
  if [[ $transport == h2c ]]; then url=$h2c_url; else url=$tls_url; fi
  before=$fail
  timeout 60 h2load -n 20000 -c 16 -m 10 -t 1 "${url}style.css" > "$TMP/h2load.$transport" 2>&1
  check "$transport: h2load exits 0" test $? -eq 0
  line=$(grep '^requests:' "$TMP/h2load.$transport")
  echo "     $line"
  check "$transport: 20000 succeeded, 0 failed, 0 errored" \
    grep -q '20000 succeeded, 0 failed, 0 errored, 0 timeout' "$TMP/h2load.$transport"
  check "$transport: all 2xx" grep -q 'status codes: 20000 2xx' "$TMP/h2load.$transport"
  check "$transport: h2 negotiated" grep -q 'Application protocol: h2' "$TMP/h2load.$transport"
  if ((fail == before)); then matrix h2load "$transport" pass; else matrix h2load "$transport" FAIL; fi
done
# POST bodies, many streams at once.
head -c 100000 /dev/urandom > "$TMP/post.bin"
timeout 60 h2load -n 500 -c 4 -m 20 -d "$TMP/post.bin" "${h2c_url}upload" > "$TMP/h2load.post" 2>&1
check "500 POSTs of 100 KB: 0 failed" grep -q '500 succeeded, 0 failed, 0 errored' "$TMP/h2load.post"
finish
