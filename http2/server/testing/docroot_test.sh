#!/usr/bin/env bash
# `serve --docroot`: content types, HEAD, 404, 405, no path traversal, no symlink escape.
source "$TEST_SRCDIR/$TEST_WORKSPACE/http2/server/testing/interop_lib.sh"
require curl curl
root="$TMP/root"
mkdir -p "$root/sub" "$TMP/outside"
echo '<p>index</p>' > "$root/index.html"
echo 'body{}' > "$root/sub/a.css"
printf '\x89PNG' > "$root/i.png"
echo 'the-hidden-content-42' > "$TMP/outside/secret.txt"
ln -s "$TMP/outside/secret.txt" "$root/escape.txt"
ln -s ../index.html "$root/sub/inside.html"
ln -s "$TMP/outside" "$root/outdir"
start_server s --docroot "$root"
c() { timeout 20 curl -s --http2-prior-knowledge --max-time 15 "$@"; }
u=$s_url
check "/ -> index.html 200" test "$(c -o "$TMP/o" -w '%{response_code} %{content_type}' "$u")" = "200 text/html; charset=utf-8"
check "/sub/a.css -> text/css" test "$(c -o /dev/null -w '%{content_type}' "${u}sub/a.css")" = "text/css; charset=utf-8"
check "/i.png -> image/png" test "$(c -o /dev/null -w '%{content_type}' "${u}i.png")" = "image/png"
check "query string ignored" test "$(c -o /dev/null -w '%{response_code}' "${u}sub/a.css?v=1")" = 200
check "percent-encoded path" test "$(c -o /dev/null -w '%{response_code}' "${u}sub/%61.css")" = 200
check "HEAD: 200, content-length, no body" test "$(c -I -o "$TMP/h" -w '%{response_code} %{size_download}' "${u}sub/a.css")" = "200 0"
check "HEAD: content-length 7" grep -qi '^content-length: 7' "$TMP/h"
check "missing -> 404" test "$(c -o /dev/null -w '%{response_code}' "${u}nope.html")" = 404
check "POST -> 405" test "$(c -o /dev/null -w '%{response_code}' -d x "${u}index.html")" = 405
check "405 has allow: GET, HEAD" bash -c "curl -s --http2-prior-knowledge -d x -D - -o /dev/null '${u}index.html' | grep -qi '^allow: GET, HEAD'"
check "/../ traversal -> 400" test "$(c --path-as-is -o /dev/null -w '%{response_code}' "${u}../outside/secret.txt")" = 400
check "%2e%2e traversal -> 400" test "$(c --path-as-is -o /dev/null -w '%{response_code}' "${u}sub/%2e%2e/%2e%2e/outside/secret.txt")" = 400
check "symlink to a file outside -> 404" test "$(c -o /dev/null -w '%{response_code}' "${u}escape.txt")" = 404
check "symlink to a directory outside -> 404" test "$(c -o /dev/null -w '%{response_code}' "${u}outdir/secret.txt")" = 404
check "symlink inside the root -> 200" test "$(c -o /dev/null -w '%{response_code}' "${u}sub/inside.html")" = 200
for p in ../outside/secret.txt sub/%2e%2e/%2e%2e/outside/secret.txt escape.txt outdir/secret.txt; do
  c --path-as-is "${u}$p" >> "$TMP/escapes"
done
check "the secret never leaked" bash -c "! grep -q the-hidden-content-42 '$TMP/escapes'"
finish
