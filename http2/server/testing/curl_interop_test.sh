#!/usr/bin/env bash
# curl against the reference server: h2c with prior knowledge, TLS with ALPN h2, request
# bodies, and the plain HTTP/1.1 answer to HTTP/1.1 clients (cleartext and TLS).
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require curl curl

start_server h2c
start_server tls --tls-self-signed
head -c 300000 /dev/urandom > "$TMP/body.bin"

c() { timeout 20 curl -s --max-time 15 "$@"; }

for transport in h2c tls; do
  if [[ $transport == h2c ]]; then url=$h2c_url; opts=(--http2-prior-knowledge)
  else url=$tls_url; opts=(-k --http2); fi
  before=$fail
  got=$(c "${opts[@]}" -o "$TMP/index.$transport" -w '%{http_version} %{response_code}' "$url")
  check "$transport: GET / over HTTP/2 gives 200 ($got)" test "$got" = "2 200"
  check "$transport: the demo page" grep -q 'h2harness reference server' "$TMP/index.$transport"
  got=$(c "${opts[@]}" -o "$TMP/echo.$transport" -w '%{http_version} %{response_code}' \
        -H 'x-test: yes' --data-binary @"$TMP/body.bin" "${url}echo?q=1")
  check "$transport: POST /echo gives 200 ($got)" test "$got" = "2 200"
  check "$transport: /echo sends the request header fields back" \
    grep -q '^x-test: yes$' "$TMP/echo.$transport"
  check "$transport: /echo sends :path back" grep -q '^:path: /echo?q=1$' "$TMP/echo.$transport"
  # The body comes back after the header fields and an empty line.
  check "$transport: /echo sends the 300000-octet body back" \
    cmp -s <(tail -c 300000 "$TMP/echo.$transport") "$TMP/body.bin"
  # Request bodies of any size are read (and counted) on any path.
  got=$(head -c 30000000 /dev/zero | c "${opts[@]}" --data-binary @- "${url}upload")
  check "$transport: a 30 MB request body is read ($got)" \
    grep -q '^h2harness: POST /upload (30000000 request body octets)$' <<<"$got"
  got=$(c "${opts[@]}" -o /dev/null -w '%{response_code}' -X DELETE "${url}any/path")
  check "$transport: any method and path is answered ($got)" test "$got" = 200
  got=$(c "${opts[@]}" -I -o "$TMP/head.$transport" -w '%{response_code} %{size_download}' "$url")
  check "$transport: HEAD gives headers and no body ($got)" test "$got" = "200 0"
  check "$transport: HEAD has content-length" grep -qi '^content-length: [1-9]' "$TMP/head.$transport"
  if ((fail == before)); then matrix curl "$transport" pass; else matrix curl "$transport" FAIL; fi
done

# HTTP/1.1 clients get a readable HTTP/1.1 error (RFC 9113 §3: h2 is negotiated, never assumed).
got=$(c --http1.1 -o "$TMP/h1" -w '%{http_version} %{response_code}' "$h2c_url")
check "cleartext HTTP/1.1 gets HTTP/1.1 505 ($got)" test "$got" = "1.1 505"
check "the 505 says how to speak HTTP/2" grep -q 'http2-prior-knowledge' "$TMP/h1"
got=$(c -k --http1.1 -o "$TMP/h1tls" -w '%{http_version} %{response_code}' "$tls_url")
check "TLS with ALPN http/1.1 only gets HTTP/1.1 505 ($got)" test "$got" = "1.1 505"
# The server still serves HTTP/2 after all that.
got=$(c --http2-prior-knowledge -o /dev/null -w '%{response_code}' "$h2c_url")
check "still serving after HTTP/1.1 clients ($got)" test "$got" = 200
check "the access log has a line per stream" grep -q 'h2c #1 "GET /" 200' "$h2c_out"
finish
