#!/usr/bin/env python3
"""Writes initial seed inputs for the fuzz targets into corpora/<target>/, each file named
by the SHA-256 of its content, from the shipped HPACK stories. Existing files are kept;
tools/fuzz merges what the fuzzers find (only inputs that add coverage).

Inputs for the FuzzedDataProvider-based targets are laid out as that class reads them:
strings from the front (ConsumeRandomLengthString: a backslash followed by another ends a
string, two backslashes stand for one), parameters from the back (last byte first).

  fuzz/make_seeds.py [--max-per-target N]
"""
import glob
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STORIES = os.path.join(ROOT, "corpora", "stories")


def write(target, data):
    d = os.path.join(ROOT, "corpora", target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, hashlib.sha256(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        return 1
    return 0


def fdp_string(b):
    return b.replace(b"\\", b"\\\\") + b"\\\n"


def octets(s):
    return s.encode("utf-8", "surrogateescape")


def huffman_codes():
    text = open(os.path.join(ROOT, "hpack", "rfc", "rfc7541_appendix_b.txt")).read()
    codes = {}
    for m in re.finditer(r"\(\s*(\d+)\)\s+((?:\|[01]+)+)", text):
        codes[int(m[1])] = m[2].replace("|", "")
    return codes


def huffman(b, codes):
    bits = "".join(codes[c] for c in b)
    bits += "1" * (-len(bits) % 8)
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))


def main():
    limit = 200
    if "--max-per-target" in sys.argv:
        limit = int(sys.argv[sys.argv.index("--max-per-target") + 1])
    codes = huffman_codes()
    added = {}
    wire_stories = sorted(glob.glob(os.path.join(STORIES, "edge", "*.json")) +
                          glob.glob(os.path.join(STORIES, "negative", "*.json")) +
                          glob.glob(os.path.join(STORIES, "h2harness-huffman-4096-resize", "*.json")))
    raw_stories = sorted(glob.glob(os.path.join(STORIES, "raw-data", "*.json")))
    n = 0
    for path in wire_stories:
        story = json.load(open(path))
        blocks = [bytes.fromhex(c["wire"]) for c in story["cases"] if "wire" in c][:8]
        # Trailer, read back to front: table size from the array (bool 1, index 7 = 4096),
        # then "no SETTINGS change" for the first block.
        data = b"".join(fdp_string(b) for b in blocks) + bytes([1, 7, 1])
        if len(data) > 64 * 1024 or n >= limit:
            continue
        n += 1
        for t in ("hpack_inflate_fuzzer", "hpack_differential_fuzzer"):
            added[t] = added.get(t, 0) + write(t, data)
    n = 0
    for path in raw_stories:
        story = json.load(open(path))
        for case in story["cases"][:3]:
            fields = [(octets(k), octets(v)) for h in case["headers"] for k, v in h.items()]
            data = b"".join(fdp_string(k) + fdp_string(v[:512]) for k, v in fields[:12])
            added["hpack_roundtrip_fuzzer"] = added.get("hpack_roundtrip_fuzzer", 0) + write(
                "hpack_roundtrip_fuzzer", data + bytes([2, 0, 1, 7, 1]))
            for _, v in fields[:6]:
                if n < limit:
                    n += 1
                    added["huffman_fuzzer"] = added.get("huffman_fuzzer", 0) + write(
                        "huffman_fuzzer", huffman(v[:256], codes))
    for path in sorted(glob.glob(os.path.join(STORIES, "*", "*.json"))):
        if os.path.getsize(path) <= 8 * 1024:
            added["story_json_fuzzer"] = added.get("story_json_fuzzer", 0) + write(
                "story_json_fuzzer", open(path, "rb").read())
    for bad in (b"", b"{", b"[]", b'{"cases": [{"seqno": 0, "wire": "8"}]}',
                b'{"cases": [{"seqno": 0, "headers": [{"a": "\\udcff"}]}]}', b"[" * 5000):
        added["story_json_fuzzer"] = added.get("story_json_fuzzer", 0) + write("story_json_fuzzer", bad)
    for t in sorted(added):
        print(f"{t}: {added[t]} new seeds")


if __name__ == "__main__":
    main()
