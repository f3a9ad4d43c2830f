#!/usr/bin/env bash
# Bad clients (garbage, stalls, disconnects mid-stream, a client that never reads) get a
# GOAWAY or a closed connection, and the server keeps serving others.
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require /usr/bin/python3 python3
mkdir -p "$TMP/root"
head -c 20000000 /dev/zero > "$TMP/root/big.bin"
echo 'p {}' > "$TMP/root/style.css"
start_server srv --docroot "$TMP/root" --idle-timeout 1s --handshake-timeout 1s
port=${srv_url##*:}; port=${port%/}
timeout 60 /usr/bin/python3 "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/bad_input.py" \
  127.0.0.1 "$port" "$srv_pid"
check "bad_input.py" test $? -eq 0
check "the server is still running" kill -0 "$srv_pid"
check "streams cut by a vanished client are logged with CANCEL" grep -q 'CANCEL' "$srv_out"
finish
