#!/usr/bin/env bash
# TLS 1.3 post-handshake messages through the server's record sink (RFC 8446 §4.6.3): a
# client (openssl s_client) asks for a KeyUpdate with update_requested, twice; the server
# must answer each with its own KeyUpdate and keep serving HTTP/2 on the new keys (a PING
# sent after each update is ACKed with its payload, RFC 9113 §6.7).
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require openssl openssl

start_server tls --tls-self-signed
port=${tls_url##*:}; port=${port%/}
ping() { printf '\x00\x00\x08\x06\x00\x00\x00\x00\x00%s' "$1"; }  # PING, 8 octets of data
# s_client takes a line "K" on its input as "send KeyUpdate(update_requested)" (not with
# -quiet, which turns command letters off); everything else is sent as application data.
{
  printf 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00'  # preface, SETTINGS
  sleep 0.5; printf 'K\n'
  sleep 0.5; ping 'h2keyup1'
  sleep 0.5; printf 'K\n'
  sleep 0.5; ping 'h2keyup2'
  sleep 0.5
} | timeout 20 openssl s_client -connect "127.0.0.1:$port" -alpn h2 -tls1_3 -msg \
      >"$TMP/s_client.out" 2>"$TMP/s_client.err"
sent=$(grep -ac '^>>> TLS 1.3, Handshake \[length 0005\], KeyUpdate' "$TMP/s_client.out")
answered=$(grep -ac '^<<< TLS 1.3, Handshake \[length 0005\], KeyUpdate' "$TMP/s_client.out")
check "the client sent two KeyUpdates ($sent)" test "$sent" -eq 2
check "the server answered both with its own KeyUpdate ($answered)" test "$answered" -eq 2
check "a PING after the first update is ACKed" grep -aq 'h2keyup1' "$TMP/s_client.out"
check "a PING after the second update is ACKed" grep -aq 'h2keyup2' "$TMP/s_client.out"
if ((fail)); then tail -n 20 "$TMP/s_client.err"; fi
finish
