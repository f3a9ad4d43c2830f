#!/usr/bin/env bash
# Every shipped story passes `h2harness stories verify`.
cd "$TEST_SRCDIR/$TEST_WORKSPACE" || exit 1
tools/h2harness stories verify --quiet corpora/stories
