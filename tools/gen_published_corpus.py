#!/usr/bin/env python3
"""Generates, in a scratch directory, a story corpus of the size and shape of the published
hpack-test-case repository (http2jp/hpack-test-case), to measure story loading on it:
13 per-implementation directories of 37 stories each plus raw-data/, about 66 MB of JSON.

  tools/gen_published_corpus.py OUT_DIR [--stories N] [--cases N]

Like the published corpus:
  - raw-data/: the raw stories (no wire), long sessions (--cases header lists each) built
    from the shipped raw stories (corpora/stories/raw-data) by replaying their requests and
    responses with changing paths, dates, ids and cookies, so values are long and varied;
  - 13 directories of the same stories encoded by real encoders, through their adapters
    (`h2harness stories check-encoder --out`): h2harness, python-hpack, libnghttp2, Go's
    x/net/http2/hpack and hpack.js, with and without Huffman coding, several table sizes and
    SETTINGS_HEADER_TABLE_SIZE changes; most are Huffman-coded;
  - written the way the published files are: two-space indentation with every header object
    over three lines, "header_table_size" in every case (null in the two swift-nio-style
    directories, which also write `"key" : value` and escape "/" as "\\/"), and top-level
    "draft" or "context" members.

Deterministic (no randomness, sorted inputs); needs the adapters built, which it does with
Bazel (tools/validate builds the same targets). Nothing it writes is committed.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RAW = os.path.join(ROOT, "corpora", "stories", "raw-data")

# name, adapter ("h2harness", "python", "nghttp2", "go", "hpackjs"), adapter flags,
# check-encoder flags, style ("published" or "swift")
VARIANTS = [
    ("h2harness-huffman", "h2harness", "--huffman auto", "", "published"),
    ("h2harness-plain", "h2harness", "--huffman never", "", "published"),
    ("h2harness-16384", "h2harness", "--huffman always --table-size 16384", "--table-size 16384",
     "published"),
    ("python-hpack", "python", "", "", "published"),
    ("python-hpack-256", "python", "--table-size 256", "--table-size 256", "published"),
    ("nghttp2", "nghttp2", "", "", "published"),
    ("nghttp2-16384-4096", "nghttp2", "--table-size 16384", "--table-size 16384", "published"),
    ("nghttp2-change-table-size", "nghttp2", "", "--change-table-size", "published"),
    ("go-hpack", "go", "", "", "published"),
    ("go-hpack-1024", "go", "--table-size 1024", "--table-size 1024", "published"),
    ("node-hpack-js", "hpackjs", "", "", "published"),
    ("swift-nio-hpack-huffman", "h2harness", "--huffman always", "", "swift"),
    ("swift-nio-hpack-plain-text", "h2harness", "--huffman never", "", "swift"),
]


def octets(s):
    return s.encode("utf-8", "surrogateescape")


def text(b):
    return b.decode("utf-8", "surrogateescape")


DATE = re.compile(rb"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d) GMT")


def vary(name, value, round_no, k):
    """The value of a replayed field: paths, dates, ids and counters change each round."""
    if round_no == 0:
        return value
    if name == b":path":
        sep = b"&" if b"?" in value else b"?"
        return value + sep + b"r=%d.%d" % (round_no, k)
    if DATE.search(value):
        return DATE.sub(lambda m: m.group(0)[:-12] + b"%02d:%02d:%02d GMT" % (
            (int(m.group(4)) + round_no) % 24, (int(m.group(5)) + k) % 60, round_no % 60), value)
    if name in (b"content-length", b"age", b"x-request-id", b"etag", b"x-trace-id",
                b"traceparent", b"x-amz-cf-id", b"cf-ray"):
        return value + b"-%d" % (round_no * 131 + k)
    if name in (b"cookie", b"set-cookie") and round_no % 3 == 0:
        return value + b"; _r=%d" % round_no
    return value


def raw_stories(count, cases_per_story):
    """`count` long raw stories from the shipped ones, `cases_per_story` header lists each."""
    files = sorted(f for f in os.listdir(RAW) if f.endswith(".json"))
    out = []
    for i in range(count):
        with open(os.path.join(RAW, files[i % len(files)])) as f:
            base = json.load(f)
        lists = [[(octets(n), octets(v)) for h in c["headers"] for n, v in h.items()]
                 for c in base["cases"]]
        cases = []
        for k in range(cases_per_story):
            round_no, pos = divmod(k + i, len(lists))
            cases.append([(n, vary(n, v, round_no, k)) for n, v in lists[pos]])
        out.append((base.get("description", ""), cases))
    return out


def write_raw(directory, stories):
    os.makedirs(directory, exist_ok=True)
    for i, (description, cases) in enumerate(stories):
        story = {"cases": [{"seqno": k, "headers": [{text(n): text(v)} for n, v in c]}
                           for k, c in enumerate(cases)],
                 "description": "replayed from shipped raw stories: " + description}
        with open(os.path.join(directory, "story_%02d.json" % i), "w") as f:
            json.dump(story, f)


def published_text(story, style, draft):
    """The story as the published files write it."""
    cases = []
    current = 4096  # the SETTINGS value in force, written into every case
    for c in story["cases"]:
        current = c.get("header_table_size", current)
        case = {"seqno": c["seqno"],
                "header_table_size": None if style == "swift" else current,
                "wire": c["wire"],
                "headers": c["headers"]}
        if style == "swift":
            case = {"wire": case["wire"], "seqno": case["seqno"], "headers": case["headers"],
                    "header_table_size": None}
        cases.append(case)
    if style == "swift":
        out = {"context": "request" if any(":method" in h for h in story["cases"][0]["headers"])
               else "response", "cases": cases}
        t = json.dumps(out, indent=2, separators=(",", " : "), ensure_ascii=True)
        return t.replace("/", "\\/")
    out = {"draft": draft, "description": story.get("description", ""), "cases": cases}
    return json.dumps(out, indent=2, ensure_ascii=True)


def build_targets():
    targets = ["//tools:h2harness", "//tools/adapters:nghttp2_adapter",
               "//tools/adapters:go_hpack_adapter"]
    subprocess.run([os.path.join(ROOT, "tools", "deps")], check=True)
    subprocess.run(["bazel", "build", "--noshow_progress", "--ui_event_filters=-info"] + targets,
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return subprocess.run(["bazel", "info", "--ui_event_filters=-info", "bazel-bin"], cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout.strip()


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--stories", type=int, default=37, help="stories per directory (37)")
    ap.add_argument("--cases", type=int, default=64, help="header lists per story (64)")
    args = ap.parse_args(argv[1:])
    bin_dir = build_targets()
    h2 = os.path.join(bin_dir, "tools", "h2harness")
    adapters = {
        "h2harness": h2 + " hpack",
        "python": os.path.join(ROOT, "tools", "adapters", "python_hpack.py"),
        "nghttp2": os.path.join(bin_dir, "tools", "adapters", "nghttp2_adapter"),
        "go": os.path.join(bin_dir, "tools", "adapters", "go_hpack_adapter"),
        "hpackjs": os.path.join(ROOT, "tools", "adapters", "hpackjs", "hpackjs_adapter.js"),
    }
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    raw_dir = os.path.join(args.out, "raw-data")
    write_raw(raw_dir, raw_stories(args.stories, args.cases))
    total = sum(os.path.getsize(os.path.join(raw_dir, f)) for f in os.listdir(raw_dir))
    with tempfile.TemporaryDirectory() as work:
        for draft, (name, adapter, flags, check_flags, style) in enumerate(VARIANTS):
            enc_dir = os.path.join(work, name)
            cmd = [h2, "stories", "check-encoder", "--quiet", "--keep-going", "--out", enc_dir,
                   "--cmd", "%s encode %s" % (adapters[adapter], flags)] + check_flags.split() + [raw_dir]
            r = subprocess.run(cmd, capture_output=True, text=True)
            print("%-28s %s" % (name, (r.stdout.strip().splitlines() or ["?"])[-1]))
            if not os.path.isdir(enc_dir):
                sys.exit("gen_published_corpus: %s wrote nothing:\n%s%s" % (name, r.stdout, r.stderr))
            target = os.path.join(args.out, name)
            os.makedirs(target)
            for f in sorted(os.listdir(enc_dir)):
                with open(os.path.join(enc_dir, f)) as fh:
                    story = json.load(fh)
                t = published_text(story, style, 9 + draft % 3)
                with open(os.path.join(target, f), "w") as fh:
                    fh.write(t)
                total += len(t)
    files = sum(len(fs) for _, _, fs in os.walk(args.out))
    print("%s: %d files, %.1f MB of JSON" % (args.out, files, total / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
