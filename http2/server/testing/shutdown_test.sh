#!/usr/bin/env bash
# SIGTERM = graceful shutdown: GOAWAY, the in-flight download finishes, new connections are
# refused, the server exits 0.
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require curl curl
mkdir -p "$TMP/root"
head -c 3000000 /dev/urandom > "$TMP/root/big.bin"
start_server s --docroot "$TMP/root" --shutdown-timeout 20s
start_bg timeout 30 curl -s --http2-prior-knowledge --limit-rate 1500K -o "$TMP/got.bin" "${s_url}big.bin"
curl_pid=$BG_PID
sleep 0.5
kill -TERM "$s_pid"
sleep 0.3
got=$(timeout 5 curl -s --http2-prior-knowledge -o /dev/null -w '%{response_code}' "${s_url}big.bin")
check "a new connection after SIGTERM is refused ($got)" test "$got" = 000
wait "$curl_pid"
check "the in-flight download finished" test $? -eq 0
check "it is complete" cmp -s "$TMP/got.bin" "$TMP/root/big.bin"
for _ in $(seq 100); do kill -0 "$s_pid" 2>/dev/null || break; sleep 0.1; done
wait "$s_pid"
check "the server exited 0" test $? -eq 0
check "it said so" grep -q 'stopped' "$s_err"
finish
