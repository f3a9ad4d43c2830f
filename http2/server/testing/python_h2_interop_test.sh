#!/usr/bin/env bash
# A python3-h2 client (Debian's, under /usr/bin/python3) against the reference server:
# GET, POST with a body larger than the window, server push; h2c and TLS; and GOAWAY
# INADEQUATE_SECURITY when a TLS 1.2 suite of RFC 9113 Appendix A's block list is negotiated.
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require /usr/bin/python3 python3
require_python_module h2 python3-h2
client="$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/h2_client.py"

start_server h2c
start_server tls --tls-self-signed
for transport in h2c tls; do
  if [[ $transport == h2c ]]; then url=$h2c_url; else url=$tls_url; fi
  timeout 30 /usr/bin/python3 "$client" "$url"
  if [[ $? -eq 0 ]]; then matrix python3-h2 "$transport" pass; else fail=1; matrix python3-h2 "$transport" FAIL; fi
done
# A client that reads late and slowly: 16 MiB is more than the kernel's socket buffers
# (tcp_wmem at most 4 MiB by default), so the server's writes come back short and it keeps
# the rest (over TLS: encrypted records) for when the socket drains. The 16 MiB file is
# read from disk; 40 x 200 KiB come from the file cache, lent to sendmsg() on h2c
# (DataSource::Lend), whose unwritten rest must be copied before the handler goes.
mkdir -p "$TMP/big"
head -c 16777216 /dev/urandom > "$TMP/big/big.bin"
head -c 204800 /dev/urandom > "$TMP/big/cached.bin"
sum=$(sha256sum "$TMP/big/big.bin" | cut -d' ' -f1)
cached_sum=$(sha256sum "$TMP/big/cached.bin" | cut -d' ' -f1)
start_server bigc --docroot "$TMP/big"
start_server bigtls --tls-self-signed --docroot "$TMP/big"
for transport in bigc bigtls; do
  url_var="${transport}_url"
  timeout 60 /usr/bin/python3 "$client" "${!url_var}" --slow-get /big.bin "$sum"
  check "$transport: a slow reader gets the 16 MiB file intact" test $? -eq 0
  timeout 60 /usr/bin/python3 "$client" "${!url_var}" --slow-get /cached.bin "$cached_sum" 40 \
    | grep -v '^ok'
  check "$transport: a slow reader gets 40 x 200 KiB from the cache intact" test "${PIPESTATUS[0]}" -eq 0
done
# ECDHE with CBC (not AEAD) is prohibited for HTTP/2 over TLS 1.2 (§9.2.2, Appendix A).
start_server weak --tls-self-signed --tls-ciphers ECDHE-ECDSA-AES128-SHA256
timeout 30 /usr/bin/python3 "$client" "$weak_url" --tls12-cipher ECDHE-ECDSA-AES128-SHA256
check "prohibited TLS 1.2 suite -> INADEQUATE_SECURITY" test $? -eq 0
finish
