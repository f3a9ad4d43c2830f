#!/usr/bin/env python3
"""Writes initial seed inputs for the fuzz targets into corpora/<target>/, each file named
by the SHA-256 of its content, from the shipped HPACK stories (and, for
http2_field_validation_fuzzer, from the field blocks in FV_BLOCKS below). Existing files are kept;
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


# http2_field_validation_fuzzer: 5 config octets (kind, END_STREAM, option flips low/high,
# DATA), then "name value" lines; \n \r \0 in a value are LF, CR, NUL.
FV_REQUEST = [":method GET", ":scheme https", ":path /", ":authority example.com"]
FV_BLOCKS = {
    0: [  # requests
        FV_REQUEST,
        FV_REQUEST + ["host example.com", "te trailers", "cookie a=1; b=2", "cookie c=3"],
        [":method POST", ":scheme https", ":path /upload?x=%41", ":authority example.com:443",
         "content-length 42", "content-length 42, 42"],
        [":method OPTIONS", ":scheme http", ":path *", ":authority [::1]:8080", "host [::1]:8080"],
        [":method GET", ":scheme https", ":path /", ":authority user@example.com"],
        [":method GET", ":scheme https", ":path /a#frag", ":authority %65xample.com",
         "host EXAMPLE.com:443"],
        [":method GET", ":scheme https", ":path /", ":authority [::1", "host x"],
        [":method GET", ":scheme https", ":path /%zz", ":authority a%zz"],
        [":method GET", ":scheme https", ":path /", ":authority example.com:99999"],
        [":method GET", ":scheme https", ":path /", ":authority ", "host other.example"],
        [":method CONNECT", ":authority example.com:443"],
        [":method CONNECT", ":authority [2001:db8::1]:443"],
        [":method CONNECT", ":authority example.com"],
        [":method CONNECT", ":authority user@example.com:443"],
        [":method CONNECT", ":scheme https", ":authority example.com:443"],
        [":method CONNECT", ":path /", ":authority example.com:443"],
        [":method CONNECT"],
        [":method CONNECT", ":protocol websocket", ":scheme https", ":path /chat",
         ":authority example.com", "sec-websocket-version 13"],
        [":method GET", ":protocol websocket", ":scheme https", ":path /"],
        [":method CONNECT", ":protocol web socket", ":scheme https", ":path /"],
        [":method GET", ":scheme ws", ":path", ":authority example.com:80", "host example.com"],
        [":method GET", ":scheme wss", ":path x", ":authority example.com", "host example.com:443"],
        [":method GET", ":scheme 1http", ":path /"],
        [":method G T", ":scheme https", ":path /"],
        [":method GET", ":scheme https", ":path relative"],
        [":method GET", ":scheme https", ":path "],
        [":method GET", ":scheme https", ":path /a b"],
        [":method GET", ":scheme https", ":path /\x7f"],
        [":method GET", ":path /"],
        [":scheme https", ":path /"],
        [":method GET", ":scheme https"],
        [":method GET", ":method GET", ":scheme https", ":path /"],
        [":method GET", ":status 200"],
        [":method GET", ":foo bar"],
        ["accept */*", ":method GET"],
        [":method GET", ":scheme https", ":path /", "Accept x"],
        [":method GET", ":scheme https", ":path /", "acc\x01ept x"],
        [":method GET", ":scheme https", ":path /", "a(b x"],
        [":method GET", ":scheme https", ":path /", " x"],
        [":method GET", ":scheme https", ":path /", "x a\\0b"],
        [":method GET", ":scheme https", ":path /", "x a\\rb", "y a\\nb"],
        [":method GET", ":scheme https", ":path /", "x \x01", "y caf\xc3\xa9"],
        [":method GET", ":scheme https", ":path /", "x  lead", "y trail "],
        [":method GET", ":scheme https", ":path /", "connection close"],
        [":method GET", ":scheme https", ":path /", "keep-alive 1", "upgrade h2c"],
        [":method GET", ":scheme https", ":path /", "proxy-connection x"],
        [":method GET", ":scheme https", ":path /", "transfer-encoding chunked"],
        [":method GET", ":scheme https", ":path /", "te gzip"],
        [":method GET", ":scheme https", ":path /", "te TRAILERS"],
        [":method POST", ":scheme https", ":path /", "content-length 1x"],
        [":method POST", ":scheme https", ":path /", "content-length 1, 2"],
        [":method POST", ":scheme https", ":path /", "content-length 99999999999999999999"],
        [":method POST", ":scheme https", ":path /", "content-length  7 ", "content-length 8"],
        [":method POST", ":scheme https", ":path /", "content-length ,"],
        [":method GET", ":scheme https", ":path /", "host a.example", "host b.example"],
        [":method GET", ":scheme https", ":path /", ":authority x"],
        [":method GET", ":scheme https", ":path /", "cookie ", "cookie ; ;a=1;  b=2 ;"],
        [":method HEAD", ":scheme https", ":path /", ":authority example.com", "content-length 5"],
        ["", ":method GET"],
    ],
    1: [  # responses
        [":status 200", "content-length 5"],
        [":status 100"],
        [":status 103", "link </a>"],
        [":status 101"],
        [":status 204", "content-length 0"],
        [":status 204", "content-length 10"],
        [":status 100", "content-length 0"],
        [":status 304", "content-length 10"],
        [":status 20"],
        [":status 2x0"],
        [":status 200", ":status 200"],
        [":status 200", ":path /"],
        [":status 200", "host example.com", "set-cookie a=b"],
        ["server x"],
        [":status 999"],
    ],
    2: [  # trailers
        ["grpc-status 0", "content-length 3"],
        [":status 200"],
        ["x-checksum abc", "te trailers"],
        [],
    ],
    3: [  # push promises
        FV_REQUEST,
        [":method HEAD", ":scheme https", ":path /style.css", ":authority example.com"],
        [":method POST", ":scheme https", ":path /", ":authority example.com"],
        [":method GET", ":scheme https", ":path /", ":authority example.com", "content-length 10"],
        [":method GET", ":scheme https", ":path /", ":authority example.com", "content-length 0"],
    ],
}
# Option flips (bit i of octets 2-3 flips option i from its default; see the fuzzer).
FV_FLIPS = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 0x7ffe]


def fv_value(v):
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), v).encode("latin-1")


def field_validation_seeds():
    n = 0
    for kind, blocks in FV_BLOCKS.items():
        for i, block in enumerate(blocks):
            body = b"\n".join(fv_value(f) for f in block)
            configs = [(1, 0, 0), (2, 0, 1), (0, 0, 5)]
            configs += [(i % 3, FV_FLIPS[(i + j) % len(FV_FLIPS)], 9 + j * 16) for j in range(4)]
            for es, flips, data in configs:
                n += write("http2_field_validation_fuzzer",
                           bytes([kind, es, flips & 255, flips >> 8, data]) + body)
    return n


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
    added["http2_field_validation_fuzzer"] = field_validation_seeds()
    for t in sorted(added):
        print(f"{t}: {added[t]} new seeds")


if __name__ == "__main__":
    main()
