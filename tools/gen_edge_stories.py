#!/usr/bin/env python3
"""Generates the HPACK edge-case and negative story corpora.

  tools/gen_edge_stories.py           rewrite corpora/stories/edge/*.json and
                                      corpora/stories/negative/*.json (stale *.json deleted)
  tools/gen_edge_stories.py --check   exit 1, naming the stale files, if they are out of date

The stories are meant to make a wrong HPACK (RFC 7541) decoder show itself:

  edge/       valid header blocks ("wire") and the exact header lists they decode to
              ("headers"): integers at every prefix boundary, string lengths around 127,
              entries of exactly the table size, eviction, table size 0, size changes, every
              static index, every Huffman symbol and padding length, octets 0x00-0xff, a long
              session in which the dynamic table wraps many times.
  negative/   stories whose LAST case is a block a correct decoder must reject; that case has
              "error": "<rule>" in place of "headers". One rule is broken per story; the cases
              before it are valid and give the dynamic table some content.

Everything here is independent of the C++ code under hpack/: this file has its own HPACK
encoder primitives (integers with an N-bit prefix, raw and Huffman string literals, the
representations of RFC 7541 section 6, dynamic table size updates), its own model of the
decoding context (dynamic table, SETTINGS_HEADER_TABLE_SIZE limit, size update rules) that
computes the expected header lists, and its own wire parser used to double-check every
story it writes. The Huffman code and the static table are read from the RFC text under
hpack/rfc/.

Decoding context a story assumes (the h2harness story runner's semantics): each story starts
with a fresh decoder whose limit (SETTINGS_HEADER_TABLE_SIZE) and dynamic table maximum are
4096. A case's "header_table_size" sets the limit before its block; if that is below the
table maximum, the block must start with a size update no larger than it (section 4.2).
Decoder policy beyond the RFC: integers up to 2^32-1, at most 5 continuation octets
(non-minimal encodings with zero-payload continuation octets are valid), header lists up to
65536 octets (name + value + 32 per field) and 1024 fields per block.

Octet convention for JSON: octets that are not part of valid UTF-8 are written as lone
surrogates U+DC80..U+DCFF (Python's "surrogateescape"), every string with
json.dumps(..., ensure_ascii=True).

Deterministic (own xorshift PRNG, no hash-order or time dependence), standard library only.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EDGE_DIR = os.path.join(ROOT, "corpora", "stories", "edge")
NEGATIVE_DIR = os.path.join(ROOT, "corpora", "stories", "negative")
APPENDIX_A = os.path.join(ROOT, "hpack", "rfc", "rfc7541_appendix_a.txt")
APPENDIX_B = os.path.join(ROOT, "hpack", "rfc", "rfc7541_appendix_b.txt")

DEFAULT_TABLE_SIZE = 4096
ENTRY_OVERHEAD = 32           # section 4.1
MAX_INTEGER = 2 ** 32 - 1     # decoder policy
MAX_CONTINUATION_OCTETS = 5   # decoder policy
MAX_HEADER_LIST_SIZE = 65536  # decoder policy
MAX_HEADER_FIELDS = 1024      # decoder policy
EOS = 256

ERRORS = (
    "truncated", "integer_overflow", "integer_too_long", "index_zero", "index_out_of_range",
    "huffman_eos", "huffman_padding_too_long", "huffman_padding_not_ones",
    "table_size_update_too_large", "table_size_update_not_at_start",
    "table_size_update_missing", "header_list_too_large", "too_many_fields",
)


# ---------------------------------------------------------------------------------------
# The RFC tables

def read_static_table():
    """Appendix A: [(name, value)] for indices 1..61 (list index 0 unused)."""
    pattern = re.compile(r"^\s*\|\s*(\d+)\s*\|\s*([^|\s]+)\s*\|([^|]*)\|\s*$")
    found = {}
    with open(APPENDIX_A, encoding="ascii") as f:
        for line in f:
            m = pattern.match(line)
            if m:
                found[int(m.group(1))] = (m.group(2).encode("ascii"),
                                          m.group(3).strip().encode("ascii"))
    if sorted(found) != list(range(1, 62)):
        sys.exit("gen_edge_stories: %s: expected static indices 1..61" % APPENDIX_A)
    return [None] + [found[i] for i in range(1, 62)]


def read_huffman_code():
    """Appendix B: {symbol: bit string} for symbols 0..256, checked against hex and length."""
    pattern = re.compile(r"\(\s*(\d+)\)\s+\|([01|]+?)\s+([0-9a-f]+)\s+\[\s*(\d+)\]")
    code = {}
    with open(APPENDIX_B, encoding="ascii") as f:
        for line in f:
            m = pattern.search(line)
            if not m:
                continue
            sym = int(m.group(1))
            bits = m.group(2).replace("|", "")
            if len(bits) != int(m.group(4)) or int(bits, 2) != int(m.group(3), 16):
                sys.exit("gen_edge_stories: %s: row for symbol %d does not add up"
                         % (APPENDIX_B, sym))
            code[sym] = bits
    if sorted(code) != list(range(257)):
        sys.exit("gen_edge_stories: %s: expected symbols 0..256" % APPENDIX_B)
    if set(code[EOS]) != {"1"} or len(code[EOS]) != 30:
        sys.exit("gen_edge_stories: %s: EOS should be 30 ones" % APPENDIX_B)
    return code


STATIC = read_static_table()
HUFFMAN = read_huffman_code()
HUFFMAN_DECODE = {bits: sym for sym, bits in HUFFMAN.items()}


# ---------------------------------------------------------------------------------------
# Encoding primitives (RFC 7541 sections 5 and 6)

def encode_integer(value, prefix_bits, flags=0, continuation=None):
    """Section 5.1: `value` with an N-bit prefix; `flags` are the first octet's bits above the
    prefix. `continuation`, if given, is the number of continuation octets to use: beyond
    the minimal number they carry a zero payload (a valid, non-minimal encoding). Values and
    lengths outside the decoder policy are allowed on purpose (negative stories)."""
    top = (1 << prefix_bits) - 1
    if value < top:
        if continuation:
            raise ValueError("%d fits the %d-bit prefix: no continuation possible"
                             % (value, prefix_bits))
        return bytes([flags | value])
    rest = value - top
    groups = [rest & 0x7F]
    rest >>= 7
    while rest:
        groups.append(rest & 0x7F)
        rest >>= 7
    if continuation is not None:
        if continuation < len(groups):
            raise ValueError("%d needs %d continuation octets" % (value, len(groups)))
        groups += [0] * (continuation - len(groups))
    out = [flags | top]
    for i, g in enumerate(groups):
        out.append(g | (0x80 if i + 1 < len(groups) else 0))
    return bytes(out)


def huffman_bits(octets):
    return "".join(HUFFMAN[b] for b in octets)


def bits_to_octets(bits):
    if len(bits) % 8:
        raise ValueError("not a whole number of octets")
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))


def huffman_padding(octets):
    """Bits of padding (0..7) the Huffman code of `octets` ends with."""
    return -len(huffman_bits(octets)) % 8


def huffman_encode(octets):
    """Section 5.2: the Huffman code, padded to an octet boundary with the EOS prefix."""
    bits = huffman_bits(octets)
    return bits_to_octets(bits + "1" * (-len(bits) % 8))


def string_literal(data, huffman_flag=False, continuation=None):
    """Section 5.2: H flag, 7-bit prefix length, then `data` exactly as given."""
    return encode_integer(len(data), 7, 0x80 if huffman_flag else 0, continuation) + data


class Str:
    """A string literal: `octets`, raw or Huffman-coded; `continuation` as encode_integer's."""

    def __init__(self, octets, huffman=False, continuation=None):
        self.octets = octets
        self.huffman = huffman
        self.continuation = continuation

    def encode(self):
        data = huffman_encode(self.octets) if self.huffman else self.octets
        return string_literal(data, self.huffman, self.continuation)


def as_str(x):
    if isinstance(x, Str):
        return x
    if isinstance(x, str):
        x = x.encode("ascii")
    return Str(x)


def H(x):
    """A Huffman-coded string literal."""
    if isinstance(x, str):
        x = x.encode("ascii")
    return Str(x, huffman=True)


class Indexed:
    """Section 6.1: 1xxxxxxx, 7-bit prefix index."""

    def __init__(self, index, continuation=None):
        self.index = index
        self.continuation = continuation

    def encode(self):
        return encode_integer(self.index, 7, 0x80, self.continuation)


LITERAL_FORMS = {
    "incremental": (0x40, 6),  # section 6.2.1: 01xxxxxx
    "without": (0x00, 4),      # section 6.2.2: 0000xxxx
    "never": (0x10, 4),        # section 6.2.3: 0001xxxx
}


class Literal:
    """Section 6.2: `name` is an index (int, > 0) or a Str; `value` a Str."""

    def __init__(self, form, name, value, continuation=None):
        self.form = form
        self.name = name if isinstance(name, int) else as_str(name)
        self.value = as_str(value)
        self.continuation = continuation

    def encode(self):
        flags, prefix = LITERAL_FORMS[self.form]
        if isinstance(self.name, int):
            if self.name == 0:
                raise ValueError("name index 0 means a literal name")
            head = encode_integer(self.name, prefix, flags, self.continuation)
        else:
            head = bytes([flags]) + self.name.encode()
        return head + self.value.encode()


class SizeUpdate:
    """Section 6.3: 001xxxxx, 5-bit prefix maximum size."""

    def __init__(self, size, continuation=None):
        self.size = size
        self.continuation = continuation

    def encode(self):
        return encode_integer(self.size, 5, 0x20, self.continuation)


class Raw:
    """Octets written as they are (malformed input for negative stories)."""

    def __init__(self, octets):
        self.octets = octets

    def encode(self):
        return self.octets


def idx(index, continuation=None):
    return Indexed(index, continuation)


def inc(name, value, continuation=None):
    return Literal("incremental", name, value, continuation)


def noidx(name, value, continuation=None):
    return Literal("without", name, value, continuation)


def never(name, value, continuation=None):
    return Literal("never", name, value, continuation)


def upd(size, continuation=None):
    return SizeUpdate(size, continuation)


# ---------------------------------------------------------------------------------------
# The decoding context model (sections 2.3, 4 and 6)

class DecodeError(Exception):
    def __init__(self, rule):
        super().__init__(rule)
        self.rule = rule


def entry_size(name, value):
    return len(name) + len(value) + ENTRY_OVERHEAD


class DynamicTable:
    """Section 4: entries newest first; size counts name + value + 32 per entry."""

    def __init__(self, max_size=DEFAULT_TABLE_SIZE):
        self.entries = []
        self.size = 0
        self.max_size = max_size

    def count(self):
        return len(self.entries)

    def _evict_to(self, limit):
        while self.size > limit:
            name, value = self.entries.pop()
            self.size -= entry_size(name, value)

    def set_max_size(self, max_size):  # section 4.3
        self.max_size = max_size
        self._evict_to(max_size)

    def add(self, name, value):  # section 4.4
        need = entry_size(name, value)
        if need > self.max_size:
            self.entries = []
            self.size = 0
            return
        self._evict_to(self.max_size - need)
        self.entries.insert(0, (name, value))
        self.size += need

    def get(self, index):  # section 2.3.3
        if index == 0:
            raise DecodeError("index_zero")
        if index < len(STATIC):
            return STATIC[index]
        if index - len(STATIC) < len(self.entries):
            return self.entries[index - len(STATIC)]
        raise DecodeError("index_out_of_range")


class Context:
    """A decoder's state across blocks: the table, the limit and the smallest limit set since
    the last block (which the next block must signal if it is below the table maximum)."""

    def __init__(self):
        self.table = DynamicTable()
        self.limit = DEFAULT_TABLE_SIZE
        self.smallest_limit = DEFAULT_TABLE_SIZE

    def set_limit(self, limit):
        self.limit = limit
        self.smallest_limit = min(self.smallest_limit, limit)

    def open_block(self):
        return Block(self)


class Block:
    """One header block being decoded; `add` applies one representation."""

    def __init__(self, context):
        self.context = context
        self.update_required = context.smallest_limit < context.table.max_size
        self.fields_started = False
        self.headers = []
        self.list_size = 0

    def add(self, op):
        ctx = self.context
        if isinstance(op, SizeUpdate):
            if self.fields_started:
                raise DecodeError("table_size_update_not_at_start")
            if op.size > ctx.limit:
                raise DecodeError("table_size_update_too_large")
            if op.size <= ctx.smallest_limit:
                self.update_required = False
            ctx.table.set_max_size(op.size)
            return None
        if not self.fields_started:
            if self.update_required:
                raise DecodeError("table_size_update_missing")
            self.fields_started = True
        if isinstance(op, Indexed):
            name, value = ctx.table.get(op.index)
        elif isinstance(op, Literal):
            name = ctx.table.get(op.name)[0] if isinstance(op.name, int) else op.name.octets
            value = op.value.octets
        else:
            raise TypeError("the model cannot apply %r" % (op,))
        self.headers.append((name, value))
        if len(self.headers) > MAX_HEADER_FIELDS:
            raise DecodeError("too_many_fields")
        self.list_size += entry_size(name, value)
        if self.list_size > MAX_HEADER_LIST_SIZE:
            raise DecodeError("header_list_too_large")
        if isinstance(op, Literal) and op.form == "incremental":
            ctx.table.add(name, value)
        return (name, value)

    def close(self):
        if not self.fields_started and self.update_required:
            raise DecodeError("table_size_update_missing")
        self.context.smallest_limit = self.context.limit
        return self.headers


# ---------------------------------------------------------------------------------------
# A wire parser, to double-check every story against its own wire octets

def huffman_decode(data):
    out = bytearray()
    pending = ""
    for octet in data:
        for bit in format(octet, "08b"):
            pending += bit
            sym = HUFFMAN_DECODE.get(pending)
            if sym is None:
                continue
            if sym == EOS:
                raise DecodeError("huffman_eos")
            out.append(sym)
            pending = ""
    if "0" in pending:
        raise DecodeError("huffman_padding_not_ones")
    if len(pending) > 7:
        raise DecodeError("huffman_padding_too_long")
    return bytes(out)


class Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def more(self):
        return self.pos < len(self.data)

    def octet(self):
        if self.pos >= len(self.data):
            raise DecodeError("truncated")
        self.pos += 1
        return self.data[self.pos - 1]

    def integer(self, prefix_bits):
        top = (1 << prefix_bits) - 1
        value = self.octet() & top
        if value < top:
            return value
        shift = 0
        for count in range(1, MAX_CONTINUATION_OCTETS + 2):
            octet = self.octet()
            if count > MAX_CONTINUATION_OCTETS:
                raise DecodeError("integer_too_long")
            value += (octet & 0x7F) << shift
            shift += 7
            if value > MAX_INTEGER:
                raise DecodeError("integer_overflow")
            if not octet & 0x80:
                return value
        raise AssertionError("unreachable")

    def string(self):
        if not self.more():
            raise DecodeError("truncated")
        huffman = bool(self.data[self.pos] & 0x80)
        length = self.integer(7)
        if len(self.data) - self.pos < length:
            raise DecodeError("truncated")
        data = self.data[self.pos:self.pos + length]
        self.pos += length
        return Str(huffman_decode(data) if huffman else data, huffman)


def parse_block(wire):
    """Yields the representations in `wire`, lazily, so errors come in stream order."""
    r = Reader(wire)
    while r.more():
        first = wire[r.pos]
        if first & 0x80:
            yield Indexed(r.integer(7))
            continue
        if first & 0xE0 == 0x20:
            yield SizeUpdate(r.integer(5))
            continue
        form = "incremental" if first & 0x40 else "never" if first & 0x10 else "without"
        index = r.integer(LITERAL_FORMS[form][1])
        name = index if index else r.string()
        yield Literal(form, name, r.string())


def decode_block(context, wire):
    block = context.open_block()
    for op in parse_block(wire):
        block.add(op)
    return block.close()


# ---------------------------------------------------------------------------------------
# Stories

class Story:
    def __init__(self, directory, name, description):
        self.directory = directory
        self.name = name
        self.description = description
        self.model = Context()
        self.cases = []
        self.block = None

    @property
    def table(self):
        return self.model.table

    def open(self, header_table_size=None):
        """Starts a case to be built op by op with add(); the model follows along."""
        assert self.block is None
        if header_table_size is not None:
            self.model.set_limit(header_table_size)
        self.block = self.model.open_block()
        self.ops = []
        self.pending_hts = header_table_size

    def add(self, *ops):
        for op in ops:
            self.ops.append(op)
            self.block.add(op)

    def close(self):
        headers = self.block.close()
        self.cases.append({"header_table_size": self.pending_hts,
                           "wire": b"".join(op.encode() for op in self.ops),
                           "headers": list(headers)})
        self.block = None
        return headers

    def case(self, ops, header_table_size=None):
        self.open(header_table_size)
        self.add(*ops)
        return self.close()

    def bad(self, ops, error, header_table_size=None):
        """The last case: a block that must be rejected for `error`."""
        assert error in ERRORS and self.block is None
        self.cases.append({"header_table_size": header_table_size,
                           "wire": b"".join(op.encode() for op in ops),
                           "error": error})

    def verify(self):
        """Decodes the wire octets with the parser and a fresh context: every valid case must
        give its headers, the negative case (last, only in negative stories) its error."""
        context = Context()
        for i, case in enumerate(self.cases):
            if case["header_table_size"] is not None:
                context.set_limit(case["header_table_size"])
            expected = case.get("error")
            try:
                got = decode_block(context, case["wire"])
            except DecodeError as e:
                if e.rule != expected:
                    raise AssertionError("%s case %d: %s, expected %s"
                                         % (self.name, i, e.rule, expected or "headers"))
                continue
            if expected:
                raise AssertionError("%s case %d: decodes, expected %s" % (self.name, i, expected))
            if got != case["headers"]:
                raise AssertionError("%s case %d: headers differ" % (self.name, i))
        errors = [i for i, c in enumerate(self.cases) if "error" in c]
        if self.directory == "negative":
            assert errors == [len(self.cases) - 1], self.name
        else:
            assert not errors, self.name
            for c in self.cases:
                size = sum(entry_size(n, v) for n, v in c["headers"])
                assert size < MAX_HEADER_LIST_SIZE, (self.name, size)
        assert self.description and "\n" not in self.description

    def render(self):
        def s(octets):
            if isinstance(octets, bytes):
                octets = octets.decode("utf-8", "surrogateescape")
            return json.dumps(octets, ensure_ascii=True)

        out = ['{', '  "cases": [']
        for seqno, case in enumerate(self.cases):
            lines = ['    {', '      "seqno": %d,' % seqno]
            if case["header_table_size"] is not None:
                lines.append('      "header_table_size": %d,' % case["header_table_size"])
            lines.append('      "wire": "%s",' % case["wire"].hex())
            if "error" in case:
                lines.append('      "error": %s' % s(case["error"]))
            elif not case["headers"]:
                lines.append('      "headers": []')
            else:
                lines.append('      "headers": [')
                fields = ['        {%s: %s}' % (s(n), s(v)) for n, v in case["headers"]]
                lines.append(",\n".join(fields))
                lines.append('      ]')
            lines.append('    }' + (',' if seqno + 1 < len(self.cases) else ''))
            out.extend(lines)
        out.append('  ],')
        out.append('  "description": %s' % s(self.description))
        out.append('}')
        return "\n".join(out) + "\n"


class Rng:
    """xorshift32: small, fixed, independent of the Python version."""

    def __init__(self, seed):
        self.state = (seed & 0xFFFFFFFF) or 1

    def next(self):
        x = self.state
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.state = x
        return x

    def below(self, n):
        return self.next() % n

    def between(self, lo, hi):  # inclusive
        return lo + self.below(hi - lo + 1)

    def choice(self, seq):
        return seq[self.below(len(seq))]

    def text(self, n, alphabet=b"abcdefghijklmnopqrstuvwxyz0123456789-_.~/=;, "):
        return bytes(self.choice(alphabet) for _ in range(n))


def pattern(n, seed=0):
    """`n` readable octets, a different run for each seed."""
    alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return bytes(alphabet[(seed * 7 + i) % len(alphabet)] for i in range(n))


def value_for_size(name, size, seed=0):
    """A value that makes the entry (name, value) exactly `size` octets (section 4.1)."""
    n = size - ENTRY_OVERHEAD - len(name)
    assert n >= 0, (name, size)
    return pattern(n, seed)


FIVE_BIT_SYMBOLS = bytes(s for s in range(256) if len(HUFFMAN[s]) == 5)


def huffman_text_of_length(n, start=b"", alphabet=b"example.com/path?q=1"):
    """Octets whose Huffman code is exactly `n` octets long, padding included."""
    out = bytearray(start)
    bits = len(huffman_bits(out))
    i = 0
    while bits + len(HUFFMAN[alphabet[i % len(alphabet)]]) <= 8 * n:
        out.append(alphabet[i % len(alphabet)])
        bits += len(HUFFMAN[out[-1]])
        i += 1
    while bits + 5 <= 8 * n:
        out.append(FIVE_BIT_SYMBOLS[i % len(FIVE_BIT_SYMBOLS)])
        bits += 5
        i += 1
    assert len(huffman_encode(bytes(out))) == n
    return bytes(out)


def huffman_text_with_padding(padding, start=b""):
    """`start` plus 5-bit symbols so that the Huffman code ends with `padding` bits of EOS."""
    out = bytearray(start)
    i = 0
    while huffman_padding(out) != padding:
        out.append(FIVE_BIT_SYMBOLS[i % len(FIVE_BIT_SYMBOLS)])
        i += 1
    return bytes(out)


def fill_distinct(n):
    """n insertions with distinct names "n000".."nNNN" and values "000"..: 39 octets each."""
    return [inc(H(b"n%03d" % i) if i % 3 == 0 else as_str(b"n%03d" % i),
                H(b"%03d" % i) if i % 2 else as_str(b"%03d" % i)) for i in range(n)]


def request_prelude():
    """A first block with static references and three insertions (dynamic table: 3 entries)."""
    return [idx(2), idx(7), idx(4), inc(1, "www.example.com"),
            inc(H("x-request-id"), H("0f3c9a7e")), inc(58, "h2harness-edge/1.0"), idx(16)]


# -- edge: integers ----------------------------------------------------------------------

def edge_integer_7bit_index():
    st = Story("edge", "integer_prefix_7bit_index",
               "7-bit prefix integers in indexed fields (RFC 7541 5.1, 6.1): indices 1, 61, "
               "62, 126, 127, 128, 189, 190, 254, 255, 256 and the oldest of 200 dynamic "
               "entries, then non-minimal encodings with up to 5 zero-payload continuation "
               "octets")
    st.case([upd(8192)] + fill_distinct(200), header_table_size=8192)
    oldest = 61 + st.table.count()
    st.case([idx(i) for i in (1, 2, 61, 62, 63, 125, 126, 127, 128, 129, 188, 189, 190, 191,
                               253, 254, 255, 256, 257, oldest)])
    st.case([idx(127, 2), idx(127, 5), idx(128, 3), idx(200, 4), idx(254, 5),
             idx(255, 2), idx(oldest, 5), idx(127, 1)])
    return st


def edge_integer_6bit_name_index():
    st = Story("edge", "integer_prefix_6bit_name_index",
               "6-bit prefix integers as the name index of literals with incremental indexing "
               "(RFC 7541 5.1, 6.2.1): name indices 1, 61, 62, 63, 64, 190, 191, 192 while "
               "each insertion shifts the dynamic indices, then non-minimal encodings")
    st.case([upd(8192)] + fill_distinct(200), header_table_size=8192)
    st.case([inc(i, b"v-%d" % i) for i in (1, 61, 62, 63, 64, 190, 191, 192, 126, 127, 128)]
            + [idx(62), idx(63), idx(72)])
    st.case([inc(63, "nm-1", 2), inc(63, "nm-5", 5), inc(64, "nm-3", 3), inc(190, "nm-4", 4),
             inc(62, H("nm-h")), inc(61 + st.table.count(), "oldest")]
            + [idx(i) for i in range(62, 68)])
    return st


def edge_integer_4bit_name_index():
    st = Story("edge", "integer_prefix_4bit_name_index",
               "4-bit prefix integers as the name index of literals without indexing and never "
               "indexed (RFC 7541 5.1, 6.2.2, 6.2.3): name indices 1, 14, 15, 16, 17, 142, 143, "
               "144, the oldest of 200 dynamic entries, and non-minimal encodings")
    st.case([upd(8192)] + fill_distinct(200), header_table_size=8192)
    names = (1, 13, 14, 15, 16, 17, 61, 62, 141, 142, 143, 144, 61 + st.table.count())
    st.case([noidx(i, b"w-%d" % i) for i in names])
    st.case([never(i, b"n-%d" % i) for i in names])
    st.case([noidx(15, "nm-1", 2), noidx(15, "nm-5", 5), never(16, "nm-4", 4),
             never(142, H("nm-3"), 3), noidx(143, "nm-2", 2), noidx(261, "oldest", 5)])
    return st


def edge_integer_5bit_size_update():
    st = Story("edge", "integer_prefix_5bit_size_update",
               "5-bit prefix integers in dynamic table size updates (RFC 7541 5.1, 6.3) with "
               "SETTINGS_HEADER_TABLE_SIZE 2^32-1: 30, 31, 32, 158, 159, 16414, 16415, "
               "2097182, 2097183, 2^28+30, 2^28+31 and 2^32-1 (1 to 5 continuation octets), "
               "non-minimal forms, several updates per block, a table larger than 4096")
    limit = MAX_INTEGER
    st.case([upd(30), upd(31), upd(32), upd(158), upd(159), upd(160), upd(16414), upd(16415),
             upd(2097182), upd(2097183), upd(2 ** 28 + 30), upd(2 ** 28 + 31), upd(MAX_INTEGER),
             upd(4096), inc("x-after-updates", "1"), idx(62)], header_table_size=limit)
    st.case([upd(31, 2), upd(31, 5), upd(4096, 5), upd(159, 4), upd(4096, 2),
             inc("x-non-minimal", "2"), idx(62)])
    # A table far above 4096: three 2000-octet entries all stay.
    st.case([upd(MAX_INTEGER)] + [inc(b"big%d" % i, value_for_size(b"big0", 2000, i))
                                  for i in range(3)] + [idx(62), idx(63), idx(64)])
    st.case([idx(64), idx(62)])
    # Back to a 4096 limit, below the table maximum: an update is required; 2 entries fit.
    st.case([upd(4096), idx(62), idx(63)], header_table_size=4096)
    st.case([upd(30), inc("x-too-big-for-30", ""), idx(2)])
    return st


def edge_string_lengths():
    st = Story("edge", "string_length_boundaries",
               "string literal lengths on the 7-bit prefix (RFC 7541 5.1, 5.2): 0, 1, 126, 127, "
               "128, 129, 254, 255, 256 raw and Huffman-coded, names of 126..128 octets, "
               "non-minimal lengths, and long strings of 16383, 16384, 16510, 16511 octets "
               "(2 and 3 continuation octets)")
    lengths = (0, 1, 126, 127, 128, 129, 254, 255, 256)
    st.case([noidx("x-len", pattern(n, n)) for n in lengths]
            + [noidx(pattern(n, n + 1).lower(), "n") for n in (126, 127, 128)])
    st.case([noidx("x-huff-len", H(huffman_text_of_length(n))) for n in (1, 126, 127, 128, 254,
                                                                           255, 256)]
            + [noidx(H(huffman_text_of_length(127, alphabet=b"x-name-")), "huffman name")])
    st.case([noidx("x-nm", Str(pattern(127, 1), continuation=2)),
             noidx("x-nm", Str(pattern(127, 2), continuation=5)),
             noidx("x-nm", Str(pattern(200, 3), continuation=4)),
             noidx(Str(pattern(127, 4).lower(), continuation=3), "n"),
             inc("x-nm", Str(huffman_text_of_length(127), True, 5)),
             idx(62)])
    st.case([noidx("x-long", pattern(16383, 5)), noidx("x-long", pattern(16384, 6))])
    st.case([never("x-long", pattern(16510, 7)), noidx("x-long", pattern(16511, 8))])
    st.case([noidx("x-long-huffman", H(huffman_text_of_length(16384))),
             noidx("x-long-huffman", H(huffman_text_of_length(16511, alphabet=b"0123456789")))])
    # Too big for the table: the insertion empties it (section 4.4), then a reference.
    st.case([inc("x-long", pattern(16384, 9)), inc("x-small", "s"), idx(62)])
    return st


# -- edge: the dynamic table ---------------------------------------------------------------

def edge_entry_size_limits():
    st = Story("edge", "entry_size_at_table_maximum",
               "entries of exactly the table's maximum size (name + value + 32 == max) are "
               "added, one octet larger empties the table and is not added, not an error "
               "(RFC 7541 4.1, 4.4); references after each; maxima 4096 and 300")
    st.case([inc("x-exact", value_for_size(b"x-exact", 4096)), idx(62)])
    st.case([idx(62), inc(62, value_for_size(b"x-exact", 4097, 1)), inc("a", "b"), idx(62)])
    st.case([upd(300), inc("x-a", value_for_size(b"x-a", 100, 2)),
             inc("x-b", value_for_size(b"x-b", 100, 3)), idx(62), idx(63),
             inc("x-c", value_for_size(b"x-c", 300, 4)), idx(62)])
    st.case([inc(62, value_for_size(b"x-c", 301, 5)), inc("x-e", value_for_size(b"x-e", 100, 6)),
             idx(62), inc("x-f", value_for_size(b"x-f", 200, 7)), idx(62), idx(63)])
    st.case([idx(63), inc(H("x-g"), H(value_for_size(b"x-g", 300, 8))), idx(62)])
    st.case([upd(4096), inc(H("x-exact-huffman"), H(value_for_size(b"x-exact-huffman", 4096, 9))),
             idx(62), inc(62, H(value_for_size(b"x-exact-huffman", 4097, 10))),
             inc("x-after", "ok"), idx(62)])
    return st


def edge_eviction():
    st = Story("edge", "eviction",
               "eviction (RFC 7541 4.4): of the oldest entry, of several, of all entries by one "
               "insertion of exactly the maximum, and one by one as small entries stream in; "
               "table maximum 256")
    e = [value_for_size(b"e%d" % i, 64, i) for i in range(12)]
    st.case([upd(256)] + [inc(b"e%d" % i, e[i]) for i in range(4)] + [idx(62), idx(63), idx(64),
                                                                      idx(65)])
    st.case([inc("e4", e[4]), idx(62), idx(63), idx(64), idx(65)])
    st.case([inc("e5", value_for_size(b"e5", 128, 5)), idx(62), idx(63), idx(64)])
    st.case([inc("e6", value_for_size(b"e6", 256, 6)), idx(62)])
    st.case([inc("e7", value_for_size(b"e7", 100, 7)), inc("e8", value_for_size(b"e8", 100, 8)),
             inc("e9", value_for_size(b"e9", 56, 9)), idx(64), idx(63), idx(62),
             inc("e10", value_for_size(b"e10", 57, 10)), idx(64), idx(63), idx(62)])
    st.open()
    for i in range(20):  # each small insertion evicts the oldest once the table is full
        st.add(inc(b"s%02d" % i, b"%d" % (i * 7)), idx(62), idx(61 + st.table.count()))
    st.close()
    st.case([idx(62), idx(61 + st.table.count()),
             inc(H("x-huffman-evicts"), H(value_for_size(b"x-huffman-evicts", 200, 11))),
             idx(62), idx(63)])
    return st


def edge_eviction_name_reference():
    st = Story("edge", "eviction_of_referenced_name",
               "a literal with incremental indexing whose name references the dynamic entry "
               "that its own insertion evicts (RFC 7541 4.4): the newest and only entry, the "
               "oldest of three, one of two, and an insertion larger than the table")
    st.case([upd(256), inc("x-referenced-name", value_for_size(b"x-referenced-name", 200)),
             idx(62)])
    st.case([inc(62, value_for_size(b"x-referenced-name", 100, 1)), idx(62)])
    st.case([inc("x-a", value_for_size(b"x-a", 64, 2)), inc("x-b", value_for_size(b"x-b", 64, 3)),
             idx(64), inc(64, value_for_size(b"x-referenced-name", 200, 4)), idx(62)])
    st.case([inc(62, value_for_size(b"x-referenced-name", 257, 5)), inc("x-c", "c"), idx(62)])
    st.case([inc("x-q", value_for_size(b"x-q", 100, 6)), inc("x-p", value_for_size(b"x-p", 100, 7)),
             inc(64, value_for_size(b"x-c", 100, 8)), idx(62), idx(63)])
    st.case([inc(63, H(value_for_size(b"x-p", 156, 9))), idx(62), idx(63)])
    st.case([noidx(62, "not-added"), never(63, "not-added"), idx(62), idx(63)])
    return st


def edge_table_size_zero():
    st = Story("edge", "table_size_zero",
               "SETTINGS_HEADER_TABLE_SIZE 0 with the required update to 0, then literals with "
               "incremental indexing that add nothing, the limit back to 4096 while the table "
               "maximum stays 0 until an update, then back up (RFC 7541 4.2, 4.4, 6.3)")
    st.case(request_prelude())
    st.case([upd(0), inc(1, "www.example.com"), inc("x-zero", "nothing added"), idx(2),
             inc("x-empty", ""), noidx("x-no", "index")], header_table_size=0)
    st.case([inc(H("x-zero"), H("still nothing")), idx(3), inc("", "")])
    st.case([inc("x-limit-up", "table max still 0"), idx(4)], header_table_size=4096)
    st.case([upd(4096), inc("x-back", "up"), idx(62), inc(62, "again"), idx(62), idx(63)])
    st.case([upd(0), inc("x-voluntary", "zero"), idx(5)])
    st.case([upd(4096), inc("x-fresh", "entry"), idx(62)])
    return st


def edge_table_size_changes():
    st = Story("edge", "table_size_changes",
               "dynamic table size changes (RFC 7541 4.2, 4.3, 6.3): the limit re-sent "
               "unchanged (no update), lowered with the required update, raised (no update "
               "needed), lowered but still above the table maximum, raised to 8192; two and "
               "more updates starting one block (0 then 4096, 1024 then 2048); references "
               "right after each change")
    # The limit re-sent unchanged (4096, not below the maximum): no update is required.
    st.case([inc(b"x-t%d" % i, value_for_size(b"x-t0", 100, i)) for i in range(5)]
            + [idx(62), idx(66)], header_table_size=4096)
    st.case([upd(250), idx(62), idx(63), idx(2)], header_table_size=250)
    st.case([idx(62), idx(63), inc("x-t5", value_for_size(b"x-t5", 100, 5)), idx(62), idx(63)],
            header_table_size=4096)
    st.case([upd(4096)] + [inc(b"x-u%d" % i, value_for_size(b"x-u0", 300, i)) for i in range(8)]
            + [idx(62), idx(71)])
    st.case([upd(0), upd(4096), idx(2), inc("x-after-flush", "1"), idx(62)])
    st.case([upd(1024), upd(2048), idx(62)]
            + [inc(b"x-v%d" % i, value_for_size(b"x-v0", 500, i)) for i in range(5)]
            + [idx(62), idx(65)], header_table_size=2048)
    st.case([idx(62), idx(65), inc("x-w", value_for_size(b"x-w", 500)), idx(62), idx(65)],
            header_table_size=3000)
    st.case([upd(8192)] + [inc(b"x-big%d" % i, value_for_size(b"x-big0", 2000, i))
                           for i in range(4)] + [idx(62), idx(65)], header_table_size=8192)
    st.case([upd(4096), idx(62), idx(63)], header_table_size=4096)
    st.case([upd(4000), upd(4000), idx(62), idx(63)])
    st.case([upd(100), upd(4096), inc("x-last", "1"), idx(62)])
    return st


def edge_static_table():
    st = Story("edge", "static_table_every_index",
               "every static table index 1..61 (RFC 7541 2.3.1, Appendix A): indexed in order "
               "and in reverse, as the name of literals without indexing, never indexed and "
               "with incremental indexing, then every resulting dynamic index 62..122")
    st.case([idx(i) for i in range(1, 62)])
    st.case([idx(i) for i in range(61, 0, -1)])
    st.case([noidx(i, b"v%d" % i) for i in range(1, 62)])
    st.case([never(i, H(b"h%d" % i)) for i in range(1, 62)])
    st.case([inc(i, b"%d" % i) for i in range(1, 62)])
    st.case([idx(i) for i in range(62, 123)] + [idx(i) for i in range(1, 62, 5)])
    return st


def edge_newest_oldest():
    st = Story("edge", "dynamic_table_newest_oldest",
               "references to the newest (62) and the oldest (61 + count) dynamic entry as the "
               "table grows from 1 to 5 entries and then slides, maximum 512 (RFC 7541 2.3.3)")
    st.case([upd(512), idx(2)])
    for i in range(14):
        st.open()
        st.add(inc(b"x-slot-%d" % i, value_for_size(b"x-slot-0", 100 + i % 3, i)))
        st.add(idx(62), idx(61 + st.table.count()))
        st.add(inc(61 + st.table.count(), b"%d" % i))  # the oldest entry's name
        st.add(idx(62), idx(61 + st.table.count()))
        st.close()
    return st


# -- edge: Huffman ---------------------------------------------------------------------------

def edge_huffman_symbols():
    st = Story("edge", "huffman_every_symbol",
               "Huffman-coded strings (RFC 7541 5.2, Appendix B) using every symbol 0..255: "
               "eight values of 32 consecutive octets, one value per code length 5..30, names "
               "of octets 0x00..0x7f and 0x80..0xff, all 256 in shuffled order")
    st.case([noidx(H(b"x-huff-%d" % k), H(bytes(range(32 * k, 32 * k + 32)))) for k in range(8)])
    by_length = {}
    for sym in range(256):
        by_length.setdefault(len(HUFFMAN[sym]), bytearray()).append(sym)
    st.case([noidx(H(b"x-code-length-%d" % n), H(bytes(by_length[n])))
             for n in sorted(by_length)])
    st.case([inc(H(bytes(range(0, 128))), H(bytes(range(128, 256)))), idx(62),
             never(H(bytes(range(128, 256))), H(bytes(range(0, 128))))])
    rng = Rng(0x48554646)
    octets = list(range(256))
    for i in range(255, 0, -1):
        j = rng.below(i + 1)
        octets[i], octets[j] = octets[j], octets[i]
    st.case([noidx(H("x-shuffled"), H(bytes(octets))), noidx("x-raw-copy", bytes(octets)),
             inc(H("x-longest"), H(bytes(by_length[30]) * 3 + bytes(by_length[28]))), idx(62)])
    return st


def edge_huffman_padding():
    st = Story("edge", "huffman_padding_lengths",
               "Huffman codes ending with every padding length 0..7 bits of the EOS prefix "
               "(RFC 7541 5.2), after 5-bit symbols, after 26..30-bit codes, in names and "
               "values, and empty Huffman strings")
    st.case([noidx(b"x-pad-%d" % p, H(huffman_text_with_padding(p, b"p"))) for p in range(8)])
    st.case([noidx(b"x-pad-long-%d" % p, H(huffman_text_with_padding(p, bytes([0x0A, 0xFE, 0x16]))))
             for p in range(8)])
    st.case([noidx(H(huffman_text_with_padding(p, b"x-name-")), b"%d" % p) for p in range(8)])
    st.case([noidx(H(b""), "empty huffman name"), noidx("x-empty-huffman", H(b"")),
             inc(H(b""), H(b"")), idx(62)]
            + [noidx("x-pad-one-symbol", H(bytes([s]))) for s in (0x30, 0x20, 0x26, 0x00, 0x0A)])
    return st


# -- edge: literals and octets -------------------------------------------------------------

def edge_literal_forms():
    st = Story("edge", "literal_forms",
               "literal header fields without indexing and never indexed (RFC 7541 6.2.2, "
               "6.2.3) with static, dynamic and literal names are not added to the table; "
               "empty names and values in every literal form")
    st.case([noidx(2, "PATCH"), noidx("x-literal", "no index"), never(23, "secret"),
             never("x-secret", "never"), inc("x-indexed", "yes"), idx(62)])
    st.case([noidx(62, "dynamic name"), never(62, H("dynamic name, huffman")), idx(62),
             noidx(H("x-literal-huffman"), H("no index")), never(H("x-secret"), H("never")),
             idx(62)])
    st.case([noidx("", ""), noidx("", "v"), noidx("x-empty", ""), never("", ""), never(1, ""),
             noidx(1, ""), inc("", ""), idx(62), inc(1, ""), idx(62), idx(63), idx(64)])
    st.case([inc(62, "x"), inc(64, ""), idx(62), idx(63), idx(64), idx(65), idx(66)])
    return st


def edge_octets():
    special = [
        bytes(range(0, 32)) + b"\x7f",
        b"caf\xc3\xa9",             # valid UTF-8
        b"caf\xe9",                 # Latin-1 octet alone
        b"\xed\xa0\x80",            # an encoded surrogate is not valid UTF-8
        b"\xc0\xaf",                # overlong
        b"\xe2\x82",                # truncated sequence
        b"\xef\xb7\x90",            # U+FDD0, a noncharacter (valid UTF-8)
        b"\xf0\x9f\x98\x80",        # 4-octet sequence
        b"\x80\xbf\xfe\xff",        # stray continuation octets, never-valid octets
        b"a\x00b",                  # NUL inside
        b"\\udce9 \\u0000 \"q\"",   # text that looks like JSON escapes
    ]
    st = Story("edge", "octets_non_utf8",
               "names and values are octet strings (RFC 7541 5.2): every octet 0x00..0xff raw "
               "and Huffman-coded, control octets, invalid and valid UTF-8 sequences, "
               "escape-like text; inserted and referenced too")
    st.case([noidx(bytes(range(0, 128)), bytes(range(128, 256))),
             noidx(bytes(range(128, 256)), bytes(range(0, 128))),
             never(bytes(range(255, -1, -1)), bytes(range(256)))])
    st.case([inc(bytes(range(256)), bytes(range(255, -1, -1))), idx(62),
             inc(62, bytes(range(0, 256, 3))), idx(62), idx(63)])
    st.case([noidx(b"x-octets-%d" % i, v) for i, v in enumerate(special)]
            + [noidx(v, b"n%d" % i) for i, v in enumerate(special)])
    st.case([inc(H(v), H(v[::-1])) for v in special]
            + [idx(62 + i) for i in range(len(special))])
    return st


# -- edge: a long session ----------------------------------------------------------------

def edge_long_session():
    st = Story("edge", "long_session_table_wraps",
               "a long session (RFC 7541 2.3, 4): 100 blocks, over 300 insertions of 33 to "
               "~1550 octets with static, dynamic and literal names, raw and Huffman, "
               "references to random, newest and oldest entries, occasional size updates; the "
               "4096-octet table wraps many times")
    rng = Rng(0x10C5E55)
    insertions = 0
    for c in range(100):
        st.open()
        if c % 17 == 16:
            st.add(upd(rng.choice([1024, 2000, 3000, 4096])))
        if c % 17 == 0 and c:
            st.add(upd(4096))
        for _ in range(rng.between(1, 6)):
            kind = rng.below(4)
            count = st.table.count()
            if kind == 0:
                name = rng.between(1, 61)
            elif kind == 1 and count:
                name = 62 + rng.below(count)
            else:
                name = b"x-" + rng.text(rng.between(1, 20), b"abcdefghijklmnopqrstuvwxyz-")
                name = H(name) if rng.below(2) else as_str(name)
            size_class = rng.below(20)
            n = (rng.between(0, 16) if size_class < 10 else rng.between(17, 120)
                 if size_class < 16 else rng.between(121, 600) if size_class < 19
                 else rng.between(601, 1500))
            value = rng.text(n)
            if rng.below(8) == 0:
                value = bytes(rng.below(256) for _ in range(n))
            st.add(inc(name, H(value) if rng.below(2) else as_str(value)))
            insertions += 1
            if rng.below(3) == 0:
                st.add(idx(62))
        count = st.table.count()
        refs = [62 + rng.below(count) for _ in range(rng.between(0, 4))] if count else []
        if count:
            refs.append(61 + count)
        for r in refs:
            st.add(idx(r))
        if rng.below(4) == 0:
            st.add(idx(rng.between(1, 61)))
        if rng.below(5) == 0 and st.table.count():
            st.add(noidx(62 + rng.below(st.table.count()), rng.text(rng.between(0, 30))))
        if rng.below(7) == 0:
            st.add(never(rng.between(1, 61), H(rng.text(rng.between(1, 30)))))
        st.close()
    assert insertions >= 200, insertions
    return st


EDGE_STORIES = [
    edge_integer_7bit_index, edge_integer_6bit_name_index, edge_integer_4bit_name_index,
    edge_integer_5bit_size_update, edge_string_lengths, edge_entry_size_limits, edge_eviction,
    edge_eviction_name_reference, edge_table_size_zero, edge_table_size_changes,
    edge_static_table, edge_newest_oldest, edge_huffman_symbols, edge_huffman_padding,
    edge_literal_forms, edge_octets, edge_long_session,
]


# -- negative ------------------------------------------------------------------------------

def negative(name, description, error, bad_ops, before=None, header_table_size=None):
    """A story: `before` (lists of ops, default: the request prelude), then `bad_ops`."""
    def build():
        st = Story("negative", name, description)
        for ops in (before if before is not None else [request_prelude()]):
            if isinstance(ops, tuple):  # (header_table_size, ops)
                st.case(ops[1], header_table_size=ops[0])
            else:
                st.case(ops)
        st.bad(bad_ops, error, header_table_size)
        return st
    build.__name__ = name
    return build


def lit_new(name, value, flags=0x40):
    """A literal with a literal name, assembled by hand."""
    return Raw(bytes([flags]) + name + value)


def huff_raw(bits):
    """A Huffman-flagged string literal holding exactly `bits` (a multiple of 8)."""
    return string_literal(bits_to_octets(bits), True)


def huff_raw_padded(bits):
    """As huff_raw, padded with ones (valid padding) to an octet boundary."""
    return huff_raw(bits + "1" * (-len(bits) % 8))


A5 = huffman_bits(b"aaaaa")  # 25 bits

NEGATIVE_STORIES = [
    # -- indices
    negative("index_zero", "indexed field with index 0 (RFC 7541 6.1)", "index_zero",
             [idx(2), idx(0)]),
    negative("index_zero_first", "indexed field with index 0 as a block's first octet, empty "
             "table (RFC 7541 6.1)", "index_zero", [Raw(b"\x80")], before=[]),
    negative("index_out_of_range_empty_table", "index 62 with an empty dynamic table "
             "(RFC 7541 2.3.3)", "index_out_of_range", [idx(2), idx(62)],
             before=[[idx(2), noidx("x-not-added", "1")]]),
    negative("index_out_of_range_past_dynamic", "index 62 + N with N dynamic entries "
             "(RFC 7541 2.3.3)", "index_out_of_range", [idx(64), idx(65)]),
    negative("index_out_of_range_max_integer", "index 2^32-1 (a valid integer) is past the "
             "table (RFC 7541 2.3.3)", "index_out_of_range", [idx(MAX_INTEGER)]),
    negative("name_index_out_of_range_incremental", "literal with incremental indexing whose "
             "name index 65 is past 3 dynamic entries (RFC 7541 2.3.3, 6.2.1)",
             "index_out_of_range", [inc(65, "v")]),
    negative("name_index_out_of_range_without_indexing", "literal without indexing whose name "
             "index 62 is past an empty dynamic table (RFC 7541 2.3.3, 6.2.2)",
             "index_out_of_range", [noidx(62, "v")], before=[[idx(2), idx(5)]]),
    negative("name_index_out_of_range_never_indexed", "never-indexed literal whose name index "
             "is past the table (RFC 7541 2.3.3, 6.2.3)", "index_out_of_range",
             [never(1, "ok"), never(65, "v")]),
    negative("evicted_by_insertion", "reference to the entry that the previous insertion "
             "evicted (RFC 7541 4.4)", "index_out_of_range",
             [inc("x-3", value_for_size(b"x-3", 100, 3)), idx(63), idx(64)],
             before=[[upd(300), inc("x-1", value_for_size(b"x-1", 100, 1)),
                      inc("x-2", value_for_size(b"x-2", 200, 2)), idx(63)]]),
    negative("evicted_by_one_octet", "the table (maximum 300) holds 100 + 100 octets; a "
             "101-octet insertion needs 301, so the oldest entry goes and referencing it fails "
             "(RFC 7541 4.1, 4.4)", "index_out_of_range",
             [inc("x-c", value_for_size(b"x-c", 101, 3)), idx(63), idx(64)],
             before=[[upd(300), inc("x-a", value_for_size(b"x-a", 100, 1)),
                      inc("x-b", value_for_size(b"x-b", 100, 2)), idx(63)]]),
    negative("evicted_by_size_update_one_octet", "a size update to 199 below the 200 octets "
             "held evicts the oldest entry (RFC 7541 4.1, 4.3)", "index_out_of_range",
             [upd(199), idx(62), idx(63)],
             before=[[inc("x-a", value_for_size(b"x-a", 100, 1)),
                      inc("x-b", value_for_size(b"x-b", 100, 2)), idx(63)]]),
    negative("evicted_by_size_update", "reference to an entry evicted by a dynamic table size "
             "update (RFC 7541 4.3)", "index_out_of_range", [upd(100), idx(62), idx(63)]),
    negative("evicted_by_lowered_limit", "reference to an entry evicted by the update that a "
             "lowered SETTINGS_HEADER_TABLE_SIZE required (RFC 7541 4.2, 4.3)",
             "index_out_of_range", [upd(60), idx(62), idx(63)], header_table_size=60),
    negative("evicted_by_oversized_entry", "reference after an entry larger than the table "
             "emptied it (RFC 7541 4.4)", "index_out_of_range",
             [inc("x-too-big", value_for_size(b"x-too-big", 4097)), idx(62)]),
    negative("evicted_by_own_name_reference", "after a literal whose name referenced the entry "
             "its insertion evicted, that entry is gone (RFC 7541 4.4)", "index_out_of_range",
             [inc(62, value_for_size(b"x-old", 100, 1)), idx(62), idx(63)],
             before=[[upd(200), inc("x-old", value_for_size(b"x-old", 150))]]),
    negative("index_out_of_range_table_size_zero", "reference after an insertion into a table "
             "of maximum size 0 (RFC 7541 4.4)", "index_out_of_range",
             [upd(0), inc("x-nothing", "added"), idx(62)], header_table_size=0),
    # -- table size updates
    negative("size_update_above_default_limit", "dynamic table size update to 4097, above the "
             "default SETTINGS_HEADER_TABLE_SIZE 4096 (RFC 7541 6.3)",
             "table_size_update_too_large", [upd(4097), idx(2)]),
    negative("size_update_above_limit_max_integer", "dynamic table size update to 2^32-1 with "
             "the limit 4096 (RFC 7541 6.3)", "table_size_update_too_large",
             [upd(MAX_INTEGER)], before=[]),
    negative("size_update_above_lowered_limit", "after SETTINGS_HEADER_TABLE_SIZE 1000 and the "
             "update to 1000, an update to 1001 (RFC 7541 6.3)", "table_size_update_too_large",
             [upd(1001), idx(2)],
             before=[[idx(2)], (1000, [upd(1000), inc("x-a", "b"), idx(62)])]),
    negative("size_update_above_limit_when_required", "the limit dropped to 1000; the block "
             "starts with an update to 2000, above it (RFC 7541 4.2, 6.3)",
             "table_size_update_too_large", [upd(2000), idx(2)], header_table_size=1000),
    negative("size_update_second_above_limit", "two updates start a block, the second above "
             "the limit (RFC 7541 6.3)", "table_size_update_too_large", [upd(0), upd(4097)]),
    negative("size_update_not_at_start", "dynamic table size update after a field "
             "representation (RFC 7541 4.2, 6.3)", "table_size_update_not_at_start",
             [idx(2), upd(4096), idx(62)]),
    negative("size_update_not_at_start_end_of_block", "dynamic table size update to 0 as the "
             "last representation of a block (RFC 7541 4.2)", "table_size_update_not_at_start",
             [idx(2), inc("x-a", "b"), upd(0)]),
    negative("size_update_not_at_start_after_required", "the required update starts the block, "
             "a second update follows a field (RFC 7541 4.2)", "table_size_update_not_at_start",
             [upd(100), idx(2), upd(100)], header_table_size=100),
    negative("size_update_missing", "SETTINGS_HEADER_TABLE_SIZE dropped to 100, below the "
             "table maximum 4096, and the next block starts with a field (RFC 7541 4.2)",
             "table_size_update_missing", [idx(2)], header_table_size=100),
    negative("size_update_missing_table_empty", "the limit dropped to 2048 with an empty "
             "table of maximum 4096: the update is still required (RFC 7541 4.2)",
             "table_size_update_missing", [inc("x-a", "b")], before=[[idx(2)]],
             header_table_size=2048),
    negative("size_update_missing_empty_block", "the limit dropped to 0 and the next block "
             "is empty, so it does not signal the change (RFC 7541 4.2)",
             "table_size_update_missing", [], header_table_size=0),
    negative("size_update_missing_after_earlier_update", "the table maximum was raised to "
             "8192; the limit then drops to 4096 and the next block has no update "
             "(RFC 7541 4.2)", "table_size_update_missing", [idx(62)],
             before=[(8192, [upd(8192), inc("x-a", "b")])], header_table_size=4096),
    # -- Huffman
    negative("huffman_padding_8_bits", "Huffman value whose code ends on an octet boundary "
             "followed by a whole octet of ones: 8 bits of padding (RFC 7541 5.2)",
             "huffman_padding_too_long",
             [lit_new(string_literal(b"x-pad"), huff_raw(huffman_bits(b"aaaaaaaa") + "1" * 8))]),
    negative("huffman_padding_15_bits", "Huffman value with 15 bits of padding (RFC 7541 5.2)",
             "huffman_padding_too_long",
             [lit_new(string_literal(b"x-pad"), huff_raw(A5 + "1" * 15), 0x00)]),
    negative("huffman_padding_too_long_name", "Huffman name with 8 bits of padding "
             "(RFC 7541 5.2)", "huffman_padding_too_long",
             [lit_new(huff_raw(huffman_bits(b"x-name") + "1" * (-len(huffman_bits(b"x-name"))
                                                                   % 8) + "1" * 8),
                      string_literal(b"v"), 0x10)]),
    negative("huffman_padding_only_ones_octet", "a one-octet Huffman string of 8 ones: no "
             "symbol, 8 bits of padding (RFC 7541 5.2)", "huffman_padding_too_long",
             [Raw(b"\x04" + huff_raw("1" * 8))]),
    negative("huffman_padding_zeros", "Huffman value padded with zero bits (RFC 7541 5.2)",
             "huffman_padding_not_ones",
             [Raw(b"\x04" + huff_raw(huffman_bits(b"a") + "000"))]),
    negative("huffman_padding_one_zero_bit", "Huffman value whose single padding bit is 0 "
             "(RFC 7541 5.2)", "huffman_padding_not_ones",
             [Raw(b"\x04" + huff_raw(huffman_bits(b"aaa") + "0"))]),
    negative("huffman_padding_prefix_of_other_code", "Huffman name ending with 1111110, a "
             "prefix of a real code but not of EOS (RFC 7541 5.2)", "huffman_padding_not_ones",
             [lit_new(huff_raw(A5 + "1111110"), string_literal(b"v"))]),
    negative("huffman_eos_in_name", "Huffman name containing the EOS symbol between two "
             "symbols (RFC 7541 5.2)", "huffman_eos",
             [lit_new(huff_raw(huffman_bits(b"a") + HUFFMAN[EOS] + huffman_bits(b"a")),
                      string_literal(b"v"))]),
    negative("huffman_eos_in_value", "Huffman value containing the EOS symbol between two "
             "symbols (RFC 7541 5.2)", "huffman_eos",
             [Raw(b"\x04" + huff_raw_padded(huffman_bits(b"/a") + HUFFMAN[EOS]
                                            + huffman_bits(b"a")))]),
    negative("huffman_eos_first", "Huffman value starting with the EOS symbol (RFC 7541 5.2)",
             "huffman_eos",
             [Raw(b"\x0f\x10" + huff_raw_padded(HUFFMAN[EOS] + huffman_bits(b"1")))]),
    # -- truncation
    negative("truncated_index", "the block ends inside an index: 7-bit prefix all ones, no "
             "continuation octet (RFC 7541 5.1)", "truncated", [idx(2), Raw(b"\xff")]),
    negative("truncated_index_continuation", "the block ends after a continuation octet with "
             "its continuation bit set (RFC 7541 5.1)", "truncated", [idx(2), Raw(b"\xff\x80")]),
    negative("truncated_name_index", "the block ends inside a 6-bit name index "
             "(RFC 7541 5.1, 6.2.1)", "truncated", [idx(2), Raw(b"\x7f\x81")]),
    negative("truncated_name_length", "the block ends inside a name length (RFC 7541 5.2)",
             "truncated", [Raw(b"\x40\x7f")]),
    negative("truncated_value_length", "the block ends inside a value length (RFC 7541 5.2)",
             "truncated", [Raw(b"\x04\xff\x80")]),
    negative("truncated_size_update", "the block ends inside a dynamic table size update "
             "(RFC 7541 6.3)", "truncated", [Raw(b"\x3f")]),
    negative("truncated_size_update_continuation", "the block ends inside a size update after "
             "a continuation octet with its continuation bit set (RFC 7541 6.3)", "truncated",
             [Raw(b"\x3f\xe1")]),
    negative("truncated_name_string", "name length 5 with 2 octets left (RFC 7541 5.2)",
             "truncated", [idx(2), Raw(b"\x40\x05ab")]),
    negative("truncated_value_string", "value length 5 with 1 octet left (RFC 7541 5.2)",
             "truncated", [idx(2), Raw(b"\x40\x01a\x05a")]),
    negative("truncated_huffman_value", "Huffman value length 4 with 2 octets left "
             "(RFC 7541 5.2)", "truncated", [Raw(b"\x04\x84" + huffman_encode(b"abc")[:2])]),
    negative("truncated_after_literal_first_octet", "the block ends right after the first "
             "octet of a literal with a literal name (RFC 7541 6.2.1)", "truncated",
             [idx(2), Raw(b"\x40")]),
    negative("truncated_after_indexed_name", "the block ends right after a literal's indexed "
             "name, before its value (RFC 7541 6.2.2)", "truncated", [idx(2), Raw(b"\x04")]),
    negative("truncated_after_never_indexed_first_octet", "the block ends right after the "
             "first octet of a never-indexed literal (RFC 7541 6.2.3)", "truncated",
             [Raw(b"\x10")]),
    negative("truncated_before_value", "the block ends after a complete literal name "
             "(RFC 7541 6.2.1)", "truncated", [Raw(b"\x40\x01a")]),
    # -- integers beyond the decoder policy
    negative("integer_overflow_index", "index 2^32, one past the largest integer the decoder "
             "accepts (RFC 7541 5.1; decoder policy 2^32-1)", "integer_overflow",
             [Raw(encode_integer(2 ** 32, 7, 0x80))]),
    negative("integer_overflow_max_payload", "index with 5 continuation octets of full payload "
             "(RFC 7541 5.1; decoder policy 2^32-1)", "integer_overflow",
             [Raw(b"\xff\xff\xff\xff\xff\x7f")]),
    negative("integer_overflow_name_length", "name length 2^32 + 126 (RFC 7541 5.1, 5.2; "
             "decoder policy 2^32-1)", "integer_overflow",
             [Raw(b"\x40" + encode_integer(2 ** 32 + 126, 7))]),
    negative("integer_overflow_value_length", "Huffman value length 2^32 (RFC 7541 5.1, 5.2; "
             "decoder policy 2^32-1)", "integer_overflow",
             [Raw(b"\x04" + encode_integer(2 ** 32, 7, 0x80))]),
    negative("integer_overflow_size_update", "size update to 2^32 (RFC 7541 5.1, 6.3; decoder "
             "policy 2^32-1)", "integer_overflow", [Raw(encode_integer(2 ** 32, 5, 0x20))]),
    negative("integer_overflow_name_index", "name index 2^32 in a never-indexed literal "
             "(RFC 7541 5.1; decoder policy 2^32-1)", "integer_overflow",
             [Raw(encode_integer(2 ** 32, 4, 0x10))]),
    negative("integer_too_long_index", "index 127 with 6 continuation octets, zero payload "
             "(RFC 7541 5.1; decoder policy: at most 5)", "integer_too_long",
             [Raw(encode_integer(127, 7, 0x80, 6))]),
    negative("integer_too_long_size_update", "size update 31 with 6 continuation octets "
             "(RFC 7541 5.1; decoder policy: at most 5)", "integer_too_long",
             [Raw(encode_integer(31, 5, 0x20, 6))]),
    negative("integer_too_long_value_length", "value length 127 with 6 continuation octets "
             "(RFC 7541 5.1; decoder policy: at most 5)", "integer_too_long",
             [Raw(b"\x04" + encode_integer(127, 7, 0, 6) + pattern(127))]),
    negative("integer_too_long_name_index", "name index 15 with 7 continuation octets "
             "(RFC 7541 5.1; decoder policy: at most 5)", "integer_too_long",
             [Raw(encode_integer(15, 4, 0, 7) + b"\x01v")]),
    # -- decoder limits
    negative("header_list_too_large", "17 references to a 4000-octet entry: 68000 octets, "
             "over the decoder's 65536 (name + value + 32 per field; RFC 7541 4.1 sizes); 16 "
             "(64000) pass", "header_list_too_large", [idx(62)] * 17,
             before=[[inc("x", value_for_size(b"x", 4000))], [idx(62)] * 16]),
    negative("too_many_fields", "1025 fields in one block, over the decoder's 1024; 1024 "
             "pass", "too_many_fields", [idx(2)] * 1025, before=[[idx(2)] * 1024]),
]


# ---------------------------------------------------------------------------------------

def build_all():
    files = {}
    for make in EDGE_STORIES + NEGATIVE_STORIES:
        st = make()
        st.verify()
        directory = EDGE_DIR if st.directory == "edge" else NEGATIVE_DIR
        path = os.path.join(directory, st.name + ".json")
        assert path not in files, path
        files[path] = st.render()
    return files


def existing_files():
    found = set()
    for directory in (EDGE_DIR, NEGATIVE_DIR):
        if os.path.isdir(directory):
            found.update(os.path.join(directory, f) for f in os.listdir(directory)
                         if f.endswith(".json"))
    return found


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1] != "--check"):
        sys.stderr.write("usage: %s [--check]\n" % argv[0])
        return 2
    files = build_all()
    extra = sorted(existing_files() - set(files))
    stale = []
    for path in sorted(files):
        try:
            with open(path, encoding="ascii", newline="") as f:
                current = f.read()
        except (OSError, UnicodeDecodeError):
            current = None
        if current != files[path]:
            stale.append(path)
    if len(argv) == 2:
        for path in stale + extra:
            print("stale: %s" % os.path.relpath(path, ROOT))
        if stale or extra:
            print("run tools/gen_edge_stories.py to regenerate")
            return 1
        return 0
    for path in stale:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="ascii", newline="") as f:
            f.write(files[path])
    for path in extra:
        os.remove(path)
    print("gen_edge_stories: %d stories (%d rewritten, %d removed)"
          % (len(files), len(stale), len(extra)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
