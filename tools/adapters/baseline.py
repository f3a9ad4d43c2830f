#!/usr/bin/env python3
"""Compares a `stories check-decoder|check-encoder --json` report with a baseline of known
verdicts, so that any change in an implementation's verdicts shows (a new failure, a fixed
one, a story now skipped).

  baseline.py REPORT.json BASELINE.txt           exit 1 and list the differences
  baseline.py REPORT.json BASELINE.txt --write   write the baseline from the report

A baseline lists every story that did not pass, one per line: "<status> <path>", the path
relative to corpora/stories, sorted; stories skipped only because they are not an input for
the role (no wire for a decoder, no headers for an encoder) are left out.
"""
import json
import os
import sys

NOT_APPLICABLE = ("no wire", "not an encoder input")


def entries(report):
    out = {}
    for s in report["stories"]:
        status = s["status"]
        if status == "passed":
            continue
        reason = s.get("failure") or s.get("reason") or ""
        if status == "skipped" and reason.startswith(NOT_APPLICABLE):
            continue
        path = s["path"].replace(os.sep, "/")
        key = path.split("corpora/stories/", 1)[-1]
        out["%s %s" % (status, key)] = reason
    return out


def main(argv):
    if len(argv) not in (3, 4) or (len(argv) == 4 and argv[3] != "--write"):
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1]) as f:
        got = entries(json.load(f))
    if len(argv) == 4:
        with open(argv[2], "w") as f:
            f.write("# Known verdicts other than passed (tools/adapters/baseline.py; "
                    "tools/validate --update-baselines rewrites this file)\n")
            for line in sorted(got):
                f.write(line + "\n")
        return 0
    with open(argv[2]) as f:
        want = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    new = sorted(set(got) - want)
    gone = sorted(want - set(got))
    for line in new:
        print("new:  %s: %s" % (line, got[line][:300]))
    for line in gone:
        print("gone: %s (now passes, or its verdict changed)" % line)
    if new or gone:
        print("%s: %d new, %d gone (if intended: tools/validate --update-baselines, and update "
              "the findings in tools/adapters/README.md)" % (argv[2], len(new), len(gone)))
        return 1
    print("%s: %d known verdicts, unchanged" % (os.path.basename(argv[2]), len(want)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
