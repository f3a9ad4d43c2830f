#!/usr/bin/env bash
# Node.js's http2 client against the reference server, h2c and TLS.
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require node nodejs
client="$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/node_client.js"
start_server h2c
start_server tls --tls-self-signed
for transport in h2c tls; do
  if [[ $transport == h2c ]]; then url=$h2c_url; else url=$tls_url; fi
  timeout 30 node "$client" "$url"
  if [[ $? -eq 0 ]]; then matrix node-http2 "$transport" pass; else fail=1; matrix node-http2 "$transport" FAIL; fi
done
finish
