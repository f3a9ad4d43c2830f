#!/usr/bin/env bash
# The checked-in corpus equals what tools/gen_stories generates (raw, edge, negative and
# every h2harness-encoded variant).
cd "$TEST_SRCDIR/$TEST_WORKSPACE" || exit 1
exec tools/gen_stories --check --h2harness "$PWD/tools/h2harness"
