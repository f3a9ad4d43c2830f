#!/usr/bin/env bash
# The README's handler example (examples/echo_push.cc, under 40 lines): built by Bazel,
# run here, answered by curl and nghttp (which sees its push).
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require curl curl
require nghttp nghttp2-client
example="$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/examples/echo_push"
src="$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/examples/echo_push.cc"
check "the example is under 40 lines" test "$(wc -l < "$src")" -lt 40
start_bg "$example" 127.0.0.1:0 > "$TMP/example.out" 2>&1
for _ in $(seq 100); do grep -q 'listening on' "$TMP/example.out" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$TMP/example.out")
check "the example prints its URL" test -n "$url"
got=$(timeout 20 curl -s --http2-prior-knowledge --data-binary 'hello body' -H 'x-a: b' "${url}echo")
check "curl POST: method and path echoed" grep -q '^POST /echo from 127.0.0.1' <<<"$got"
check "curl POST: header echoed" grep -q '^x-a: b$' <<<"$got"
check "curl POST: body echoed" grep -q '^hello body$' <<<"$got"
timeout 20 nghttp -v -t 10 "$url" > "$TMP/nghttp.out" 2>&1
check "nghttp: push of /style.css" grep -q ':path: /style.css' "$TMP/nghttp.out"
check "nghttp: page 200" grep -q ':status: 200' "$TMP/nghttp.out"
finish
