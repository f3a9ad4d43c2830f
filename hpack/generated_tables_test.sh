#!/bin/sh
# The generated tables match hpack/rfc/ (re-run tools/gen_hpack_tables.py if this fails).
cd "${TEST_SRCDIR}/${TEST_WORKSPACE}" || exit 1
exec python3 tools/gen_hpack_tables.py --check
