#!/usr/bin/python3
"""h2harness adapter for python-hpack (Debian's python3-hpack), plus deliberately broken
decoders ("mutants") that prove the conformance corpus catches real bugs.

    python_hpack.py decode [--mutant NAME] < story.json > story-with-headers.json
    python_hpack.py encode [--table-size N] < story.json > story-with-wire.json
    python_hpack.py --list-mutants

The adapter protocol is described in tools/adapters/README.md. In short: one story JSON on
stdin, the same story on stdout with `headers` (decode) or `wire` (encode) filled in; one
Decoder / Encoder for the whole story; a case's `header_table_size` is the
SETTINGS_HEADER_TABLE_SIZE from that case on. A rejected block: exit 1 and
{"error": MESSAGE, "seqno": N} on stdout. Bad usage or input: exit 2, message on stderr.
Batch mode: when the first line of stdin is {"h2harness_batch": 1}, answer it, then read
one story per line and answer each with one line (the story, or {"error": ...}).
Never-indexed literals (RFC 7541 §6.2.3) are reported and honoured through each case's
"never_indexed" list of header indices.

Runs under /usr/bin/python3 on purpose: that is the interpreter python3-hpack is installed
for (the pyenv python3 on PATH has no `hpack`).
"""
import json
import sys

try:
    import hpack
    import hpack.hpack
    import hpack.huffman_table
    import hpack.table
except ImportError as e:  # pragma: no cover
    sys.stderr.write("python_hpack.py: cannot import hpack (apt-get install python3-hpack, "
                     "and run with /usr/bin/python3): %s\n" % e)
    sys.exit(2)

USAGE = """usage: python_hpack.py [--mutant NAME] decode < story.json
       python_hpack.py encode [--table-size N] < story.json
       python_hpack.py --list-mutants
"""

DEFAULT_TABLE_SIZE = 4096
# The decoder refuses header lists bigger than this (python-hpack's own default is 64 KiB,
# smaller than some stories; None is not accepted: decode() compares it with an int).
MAX_HEADER_LIST_SIZE = 1 << 32


class UsageError(Exception):
    pass


class InputError(Exception):
    pass


class BlockError(Exception):
    def __init__(self, message, seqno):
        super().__init__(message)
        self.seqno = seqno


# ---------------------------------------------------------------------------------------
# Mutants. Each one monkeypatches one piece of python-hpack 4.0.0
# (/usr/lib/python3/dist-packages/hpack/) to break exactly one thing, and is applied before
# the Decoder is created. Only the decoder role takes --mutant.
# ---------------------------------------------------------------------------------------

def mutant_eviction():
    """Evicts the NEWEST dynamic table entry instead of the oldest (RFC 7541 §4.4).

    HeaderTable keeps entries newest first in a deque (add() does appendleft); _shrink()
    should pop() from the right (the oldest). The mutant pops from the left. Since add()
    inserts before shrinking, a field that does not fit evicts itself (and then others).
    """
    log = hpack.table.log
    table_entry_size = hpack.table.table_entry_size

    def _shrink(self):
        cursize = self._current_size
        while cursize > self._maxsize:
            name, value = self.dynamic_entries.popleft()  # MUTANT: was pop()
            cursize -= table_entry_size(name, value)
            log.debug("Evicting %s: %s from the header table", name, value)
        self._current_size = cursize

    hpack.table.HeaderTable._shrink = _shrink


def mutant_entry_size():
    """Counts an entry's size with 31 octets of overhead instead of 32 (RFC 7541 §4.1).

    table.table_entry_size is looked up at call time by HeaderTable.add() and _shrink(),
    so tables hold slightly more and evict later than they should. (hpack.hpack has its own
    reference, used only for the header list size limit; left alone.)
    """
    def table_entry_size(name, value):
        return 31 + len(name) + len(value)  # MUTANT: was 32

    hpack.table.table_entry_size = table_entry_size


def mutant_indexing():
    """Dynamic table indices are off by one (RFC 7541 §2.3.3): index 62 reads the
    second-newest entry, 63 the third, ...; the oldest entry cannot be reached (its index
    is rejected as out of range). The static table (1..61) is unaffected.
    """
    HeaderTable = hpack.table.HeaderTable
    InvalidTableIndex = hpack.InvalidTableIndex

    def get_by_index(self, index):
        original_index = index
        index -= 1
        if 0 <= index:
            if index < HeaderTable.STATIC_TABLE_LENGTH:
                return HeaderTable.STATIC_TABLE[index]
            index -= HeaderTable.STATIC_TABLE_LENGTH
            index += 1  # MUTANT: the dynamic part is counted from 0 twice over
            if index < len(self.dynamic_entries):
                return self.dynamic_entries[index]
        raise InvalidTableIndex("Invalid table index %d" % original_index)

    HeaderTable.get_by_index = get_by_index


def mutant_integer():
    """Multi-octet integers (RFC 7541 §5.1) shift by 8 instead of 7 from the second
    continuation octet on. Integers up to 2^N-1+127 (one continuation octet) still decode
    right; bigger ones (string lengths >= 255, size update 4096, large indices) do not.
    decode_integer is a module-level function that Decoder methods look up at call time.
    """
    HPACKDecodingError = hpack.HPACKDecodingError
    prefix_max = hpack.hpack._PREFIX_BIT_MAX_NUMBERS

    def decode_integer(data, prefix_bits):
        if prefix_bits < 1 or prefix_bits > 8:
            raise ValueError("Prefix bits must be between 1 and 8, got %s" % prefix_bits)
        max_number = prefix_max[prefix_bits]
        index = 1
        shift = 0
        mask = (0xFF >> (8 - prefix_bits))
        try:
            number = data[0] & mask
            if number == max_number:
                while True:
                    next_byte = data[index]
                    index += 1
                    if next_byte >= 128:
                        number += (next_byte - 128) << shift
                    else:
                        number += next_byte << shift
                        break
                    shift += 8  # MUTANT: was 7
        except IndexError:
            raise HPACKDecodingError(
                "Unable to decode HPACK integer representation from %r" % data)
        return number, index

    hpack.hpack.decode_integer = decode_integer


def mutant_huffman():
    """The Huffman decoder swaps two 5-bit codes (RFC 7541 Appendix B): 'a' (00011) decodes
    as 'c' and 'c' (00100) as 'a'. Patched in the decoding state machine itself
    (huffman_table.HUFFMAN_TABLE, entries of (next state, flags, emitted octet)).
    """
    table = hpack.huffman_table.HUFFMAN_TABLE
    emit = hpack.huffman_table.HUFFMAN_EMIT_SYMBOL
    swap = {ord("a"): ord("c"), ord("c"): ord("a")}
    for i, (state, flags, octet) in enumerate(table):
        if flags & emit and octet in swap:
            table[i] = (state, flags, swap[octet])  # MUTANT


def mutant_size_update():
    """Dynamic table size updates (RFC 7541 §6.3) are parsed and checked against the limit
    but never applied: the table keeps its old maximum size, so nothing is evicted and the
    table may keep growing past the size the encoder set.
    """
    decode_integer = hpack.hpack.decode_integer
    InvalidTableSizeError = hpack.InvalidTableSizeError

    def _update_encoding_context(self, data):
        new_size, consumed = decode_integer(data, 5)
        if new_size > self.max_allowed_table_size:
            raise InvalidTableSizeError("Encoder exceeded max allowable table size")
        # MUTANT: was `self.header_table_size = new_size`
        return consumed

    hpack.hpack.Decoder._update_encoding_context = _update_encoding_context


def mutant_no_index_zero_check():
    """An indexed header field with index 0 (RFC 7541 §6.1: a decoding error) is skipped
    silently: its octet is consumed and no header is emitted.
    """
    decode_integer = hpack.hpack.decode_integer
    original = hpack.hpack.Decoder._decode_indexed

    def _decode_indexed(self, data):
        index, consumed = decode_integer(data, 7)
        if index == 0:
            return None, consumed  # MUTANT: was InvalidTableIndex from get_by_index(0)
        return original(self, data)

    hpack.hpack.Decoder._decode_indexed = _decode_indexed


def mutant_no_size_limit_check():
    """A dynamic table size update above SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §6.3: a
    decoding error) is accepted, and the decoder adopts it as its new limit (otherwise
    python-hpack's end-of-block check, which also catches a missing size update after the
    SETTINGS value dropped, would still reject it). The next SETTINGS change resets the
    limit, so missing size updates are still caught.
    """
    decode_integer = hpack.hpack.decode_integer

    def _update_encoding_context(self, data):
        new_size, consumed = decode_integer(data, 5)
        if new_size > self.max_allowed_table_size:
            # MUTANT: was `raise InvalidTableSizeError(...)`
            self.max_allowed_table_size = new_size
        self.header_table_size = new_size
        return consumed

    hpack.hpack.Decoder._update_encoding_context = _update_encoding_context


def mutant_no_padding_check():
    """Invalid Huffman padding (RFC 7541 §5.2: more than 7 bits, or bits that are not the
    most significant bits of EOS, i.e. not all ones) is accepted: the bits left over after
    the last complete symbol are dropped whatever they are. An EOS symbol inside the string
    is still rejected (the state machine fails on it).
    """
    ht = hpack.huffman_table
    HPACKDecodingError = hpack.HPACKDecodingError

    def decode_huffman(huffman_string):
        if not huffman_string:
            return b''
        state = 0
        decoded = bytearray()
        for input_byte in bytearray(huffman_string):
            for nibble in (input_byte >> 4, input_byte & 0x0F):
                state, flags, output_byte = ht.HUFFMAN_TABLE[state * 16 + nibble]
                if flags & ht.HUFFMAN_FAIL:
                    raise HPACKDecodingError("Invalid Huffman String")
                if flags & ht.HUFFMAN_EMIT_SYMBOL:
                    decoded.append(output_byte)
        # MUTANT: the original raises "Incomplete Huffman string" here unless the final
        # state has HUFFMAN_COMPLETE (at most 7 bits of padding, all ones).
        return bytes(decoded)

    # hpack.hpack did `from .huffman_table import decode_huffman`: patch both names.
    hpack.hpack.decode_huffman = decode_huffman
    ht.decode_huffman = decode_huffman


MUTANTS = {
    "eviction": mutant_eviction,
    "entry_size": mutant_entry_size,
    "indexing": mutant_indexing,
    "integer": mutant_integer,
    "huffman": mutant_huffman,
    "size_update": mutant_size_update,
    "no_index_zero_check": mutant_no_index_zero_check,
    "no_size_limit_check": mutant_no_size_limit_check,
    "no_padding_check": mutant_no_padding_check,
}


# ---------------------------------------------------------------------------------------
# Octet strings in JSON: valid UTF-8 as characters, other octets as lone surrogates \udcXX
# (PEP 383 surrogateescape). json.dumps(ensure_ascii=True) writes those as \udcXX escapes.
# ---------------------------------------------------------------------------------------

def octets_from_json(s, where):
    try:
        return s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as e:
        raise InputError("%s: not an octet string (a lone surrogate outside "
                         "\\udc80..\\udcff?): %s" % (where, e))


def octets_to_json(b):
    return bytes(b).decode("utf-8", "surrogateescape")


def read_story(text):
    try:
        story = json.loads(text)
    except ValueError as e:
        raise InputError("<stdin>: invalid JSON: %s" % e)
    if not isinstance(story, dict) or not isinstance(story.get("cases"), list):
        raise InputError('<stdin>: expected a JSON object with a "cases" array')
    for i, case in enumerate(story["cases"]):
        if not isinstance(case, dict):
            raise InputError("<stdin>: case %d: expected an object" % i)
    return story


def where(i, case):
    return "case %d (seqno %s)" % (i, case.get("seqno", i))


def table_size_of(i, case):
    size = case.get("header_table_size")  # null means absent
    if size is None:
        return None
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= 0xFFFFFFFF:
        raise InputError('%s: field "header_table_size": expected an integer in '
                         '0..4294967295' % where(i, case))
    return size


def wire_of(i, case):
    wire = case.get("wire")
    if not isinstance(wire, str):
        raise InputError('%s: field "wire": expected a hex string' % where(i, case))
    try:
        return bytes.fromhex("".join(wire.split()))
    except ValueError as e:
        raise InputError('%s: field "wire": %s' % (where(i, case), e))


def headers_of(i, case):
    headers = case.get("headers")
    if not isinstance(headers, list):
        raise InputError('%s: field "headers": expected an array' % where(i, case))
    out = []
    for k, h in enumerate(headers):
        if not isinstance(h, dict) or len(h) != 1:
            raise InputError('%s: header %d: expected {"name": "value"}' % (where(i, case), k))
        (name, value), = h.items()
        if not isinstance(value, str):
            raise InputError('%s: header %d: value must be a string' % (where(i, case), k))
        w = "%s: header %d" % (where(i, case), k)
        out.append((octets_from_json(name, w), octets_from_json(value, w)))
    return out


def decode_story(story):
    decoder = hpack.Decoder(max_header_list_size=MAX_HEADER_LIST_SIZE)
    for i, case in enumerate(story["cases"]):
        size = table_size_of(i, case)
        wire = wire_of(i, case)
        if size is not None:
            # Our SETTINGS_HEADER_TABLE_SIZE. python-hpack checks size updates against it,
            # and at the end of each block that the table's maximum fits in it (so a drop
            # below the current maximum needs a size update in the next block).
            decoder.max_allowed_table_size = size
        try:
            headers = decoder.decode(wire, raw=True)
        except hpack.HPACKError as e:
            raise BlockError("%s: %s: %s" % (where(i, case), type(e).__name__, e),
                             case.get("seqno", i))
        except Exception as e:  # a mutant (or python-hpack) tripping over bad input
            raise BlockError("%s: unexpected %s: %s" % (where(i, case), type(e).__name__, e),
                             case.get("seqno", i))
        case["headers"] = [{octets_to_json(n): octets_to_json(v)} for n, v in headers]
        case["never_indexed"] = [k for k, h in enumerate(headers)
                                 if isinstance(h, hpack.NeverIndexedHeaderTuple)]
        case.pop("error", None)


def never_indexed_of(i, case, count):
    marks = case.get("never_indexed")
    if marks is None:
        return set()
    if not isinstance(marks, list) or not all(isinstance(k, int) and 0 <= k < count
                                              for k in marks):
        raise InputError('%s: field "never_indexed": expected indices into "headers"'
                         % where(i, case))
    return set(marks)


def encode_story(story, table_size):
    encoder = hpack.Encoder()
    for i, case in enumerate(story["cases"]):
        if i == 0 and case.get("header_table_size") is None and table_size != DEFAULT_TABLE_SIZE:
            case["header_table_size"] = table_size
        size = table_size_of(i, case)
        headers = headers_of(i, case)
        marked = never_indexed_of(i, case, len(headers))
        headers = [hpack.NeverIndexedHeaderTuple(n, v) if k in marked else (n, v)
                   for k, (n, v) in enumerate(headers)]
        if size is not None:
            # Set it only when it changes: python-hpack's setter clears its "resized" flag
            # when given the current size, which would drop a pending size update.
            if size != encoder.header_table_size:
                encoder.header_table_size = size  # the next block starts with the update
        try:
            wire = encoder.encode(headers, huffman=True)
        except hpack.HPACKError as e:
            raise BlockError("%s: %s: %s" % (where(i, case), type(e).__name__, e),
                             case.get("seqno", i))
        case["wire"] = wire.hex()


def parse_args(argv):
    """Returns (role, mutant, table_size). The role (decode or encode) is the first argument
    that is not an option, so both `decode --mutant X` and `--mutant X decode` work."""
    role, mutant, table_size = None, None, DEFAULT_TABLE_SIZE
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg.startswith("--") and "=" in arg:
            arg, value = arg.split("=", 1)
            args.insert(0, value)
        if arg in ("-h", "--help"):
            sys.stdout.write(USAGE)
            sys.exit(0)
        elif arg == "--list-mutants":
            role = "list"
        elif arg in ("--mutant", "--table-size"):
            if not args:
                raise UsageError("%s needs a value" % arg)
            value = args.pop(0)
            if arg == "--mutant":
                if value not in MUTANTS:
                    raise UsageError("unknown mutant %r (--list-mutants lists them)" % value)
                mutant = value
            else:
                try:
                    table_size = int(value)
                except ValueError:
                    table_size = -1
                if not 0 <= table_size <= 0xFFFFFFFF:
                    raise UsageError("--table-size: expected an integer in 0..4294967295")
        elif arg in ("decode", "encode") and role is None:
            role = arg
        else:
            raise UsageError("unexpected argument %r" % arg)
    if role is None:
        raise UsageError("say decode or encode")
    if mutant and role != "decode":
        raise UsageError("--mutant is for the decode role")
    if table_size != DEFAULT_TABLE_SIZE and role != "encode":
        raise UsageError("--table-size is for the encode role")
    return role, mutant, table_size


def run_one(role, table_size, text, one_line):
    """Returns (exit status, stdout text) for one story."""
    try:
        story = read_story(text)
        if role == "decode":
            decode_story(story)
        else:
            encode_story(story, table_size)
    except InputError as e:
        sys.stderr.write("python_hpack.py: %s\n" % e)
        return 2, ""
    except BlockError as e:
        sys.stderr.write("python_hpack.py: %s\n" % e)
        return 1, json.dumps({"error": str(e), "seqno": e.seqno}) + "\n"
    if one_line:
        return 0, json.dumps(story) + "\n"
    return 0, format_story(story)


def is_hello(line):
    if b"h2harness_batch" not in line:
        return False
    try:
        j = json.loads(line)
    except ValueError:
        return False
    return isinstance(j, dict) and "h2harness_batch" in j and "cases" not in j


def main(argv):
    try:
        role, mutant, table_size = parse_args(argv)
    except UsageError as e:
        sys.stderr.write("python_hpack.py: %s\n%s" % (e, USAGE))
        return 2
    if role == "list":
        for name in MUTANTS:
            sys.stdout.write(name + "\n")
        return 0
    if mutant:
        MUTANTS[mutant]()
    stdin = sys.stdin.buffer
    first = stdin.readline()
    if is_hello(first):
        # Batch mode: one story per line, one answer per line.
        sys.stdout.write(json.dumps({"h2harness_batch": 1, "never_indexed": True}) + "\n")
        sys.stdout.flush()
        for line in stdin:
            if not line.strip():
                continue
            status, out = run_one(role, table_size, line.decode("utf-8", "surrogateescape"), True)
            if status == 2:
                return 2
            sys.stdout.write(out)
            sys.stdout.flush()
        return 0
    text = (first + stdin.read()).decode("utf-8", "surrogateescape")
    status, out = run_one(role, table_size, text, False)
    sys.stdout.write(out)
    return status


def format_story(story):
    """The story as JSON (ASCII only: non-ASCII and lone surrogates as \\u escapes), one case
    per line and one header per line, keys in their original order."""
    dump = json.dumps
    out = ['{"cases": [']
    for i, case in enumerate(story["cases"]):
        members = []
        for key, value in case.items():
            if key == "headers" and isinstance(value, list) and value:
                members.append(dump(key) + ": [\n      " +
                               ",\n      ".join(dump(h) for h in value) + "]")
            else:
                members.append(dump(key) + ": " + dump(value))
        out.append(("\n" if i == 0 else ",\n") + "  {" + ", ".join(members) + "}")
    out.append("]")
    for key, value in story.items():
        if key != "cases":
            out.append(",\n " + dump(key) + ": " + dump(value))
    out.append("}\n")
    return "".join(out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
