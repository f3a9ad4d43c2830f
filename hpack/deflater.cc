#include "hpack/deflater.h"

#include <algorithm>
#include <cstring>

#include "hpack/huffman.h"
#include "hpack/integer.h"
#include "hpack/octets.h"
#include "hpack/static_table.h"

namespace hpack {
namespace {

// Values that are nearly always different from one request/response to the next: indexing
// them would only evict entries that do repeat.
constexpr absl::string_view kNotIndexedNames[] = {
    ":path",    "content-length", "etag", "if-modified-since", "if-none-match", "last-modified",
    "location", "set-cookie",     "age",
};

// §7.1.3: values an attacker could guess one at a time through the compression state.
constexpr absl::string_view kSensitiveNames[] = {"authorization", "proxy-authorization"};
// ... and cookie values shorter than this.
constexpr size_t kShortCookie = 20;

enum NameRule : uint8_t { kRarelyRepeats = 1, kSensitive = 2, kCookie = 4 };

// Every name above is in the static table, so the rules are looked up by its static index
// rather than by comparing strings for each field.
const std::array<uint8_t, kStaticTableSize + 1>& RulesByStaticIndex() {
  static const std::array<uint8_t, kStaticTableSize + 1> rules = [] {
    std::array<uint8_t, kStaticTableSize + 1> r{};
    auto mark = [&r](absl::string_view name, uint8_t rule) {
      r[StaticTableFind(name, "").name] |= rule;
    };
    for (absl::string_view n : kNotIndexedNames) mark(n, kRarelyRepeats);
    for (absl::string_view n : kSensitiveNames) mark(n, kSensitive);
    mark("cookie", kCookie);
    r[0] = 0;  // names not in the static table have no rule
    return r;
  }();
  return rules;
}

// A small deterministic hash. absl::Hash is salted per process on purpose, but the
// Deflater's choices (see SeenRecently) depend on hash values, and its output must be the
// same on every run. Lookups are verified against the table, so collisions cost only a miss.
H2H_WRAPS_ON_PURPOSE inline uint64_t Mix(uint64_t x) {
  x ^= x >> 32;
  x *= 0xD6E8FEB86659FD93ull;
  x ^= x >> 32;
  return x;
}

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// 64x64 -> 128-bit multiply, folded: a strong, cheap mix of two words.
H2H_WRAPS_ON_PURPOSE inline uint64_t Fold(uint64_t a, uint64_t b) {
  const unsigned __int128 m = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64);
}

// The first and last 8 octets of [p, p + n) (fewer if n < 8: the first and last 4, or for
// n < 4 the first, middle and last octet; zeros if n == 0).
struct Ends {
  uint64_t lo = 0, hi = 0;
};
inline Ends LoadEnds(const char* p, size_t n) {
  Ends e;
  if (n >= 8) {
    e.lo = Load64(p);
    e.hi = Load64(p + n - 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    e.lo = a;
    e.hi = b;
  } else if (n > 0) {
    e.lo = static_cast<uint8_t>(p[0]) | static_cast<uint64_t>(static_cast<uint8_t>(p[n / 2])) << 8 |
           static_cast<uint64_t>(static_cast<uint8_t>(p[n - 1])) << 16;
  }
  return e;
}

H2H_WRAPS_ON_PURPOSE uint64_t HashOctets(absl::string_view s, uint64_t seed) {
  constexpr uint64_t kMul = 0xC2B2AE3D27D4EB4Full;
  const char* p = s.data();
  size_t n = s.size();
  const uint64_t h0 = seed ^ (n * 0x9E3779B97F4A7C15ull);
  if (n <= 16) {  // most names and many values: two loads, one multiply
    const Ends e = LoadEnds(p, n);
    return Fold(e.lo ^ h0, e.hi ^ kMul);
  }
  uint64_t h = h0;
  if (n >= 32) {  // four independent lanes, so long values (cookies) hash fast
    uint64_t a = h, b = h ^ 0x452821E638D01377ull, c = h ^ 0xBE5466CF34E90C6Cull,
             d = h ^ 0xC0AC29B7C97C50DDull;
    for (; n >= 32; n -= 32, p += 32) {
      a = (a ^ Load64(p)) * kMul;
      b = (b ^ Load64(p + 8)) * kMul;
      c = (c ^ Load64(p + 16)) * kMul;
      d = (d ^ Load64(p + 24)) * kMul;
    }
    h = Mix(a) ^ Mix(b + 1) ^ Mix(c + 2) ^ Mix(d + 3);
  }
  for (; n >= 8; n -= 8, p += 8) h = Fold(h ^ Load64(p), kMul);
  // The last 1..8 octets (re-reading a few already hashed is fine).
  if (n) h = Fold(h ^ Load64(s.data() + s.size() - 8), kMul);
  return Mix(h);
}

uint64_t NameHash(absl::string_view name) { return HashOctets(name, 0x243F6A8885A308D3ull); }
// The hash of the second-sighting rule; `name_hash` is the name's static index, or
// NameHash(name) for names not in the static table. (Its values decide which recent
// literals are remembered, so changing it changes the Deflater's output.)
uint64_t FieldHash(uint64_t name_hash, absl::string_view value) {
  return HashOctets(value, name_hash);
}

// The TableIndex key of a name the static table lacks: a cheap hash of its length and up to
// 24 of its octets (the first, the middle and the last 8), as collisions only cost a
// comparison along the chain.
H2H_WRAPS_ON_PURPOSE inline uint64_t NameKey(absl::string_view name) {
  const size_t n = name.size();
  Ends e = LoadEnds(name.data(), n);
  if (n > 16) e.lo ^= Load64(name.data() + n / 2 - 4) * 0x9E3779B97F4A7C15ull;
  return Fold(e.lo ^ (n * 0xC2B2AE3D27D4EB4Full), e.hi ^ 0x243F6A8885A308D3ull) |
         TableIndex::kHashedKey;
}

// Per field, at most: representation integer (6) + name length (6) + name + value length (6)
// + value, and a Huffman attempt may write kHuffmanEncodeSlack octets past its string.
constexpr size_t kFieldOverhead = 3 * 6 + 2 * kHuffmanEncodeSlack;

}  // namespace

Deflater::Deflater(const DeflaterOptions& options)
    : options_(options), table_(std::min(options.max_table_size, options.header_table_size)) {
  // The peer expects the table to start at its setting; a smaller cap must be signalled.
  if (table_.max_size() < options.header_table_size) {
    size_update_pending_ = true;
    min_size_since_block_ = table_.max_size();
  }
}

void Deflater::ChangeTableSize(uint32_t settings_header_table_size) {
  const uint32_t size = std::min(settings_header_table_size, options_.max_table_size);
  min_size_since_block_ = size_update_pending_ ? std::min(min_size_since_block_, size) : size;
  size_update_pending_ = true;
  ForgetEvicted(table_.SetMaxSize(size));
  last_block_repeatable_ = false;  // the next block starts with the size update
}

absl::StatusOr<std::string> Deflater::Deflate(absl::Span<const HeaderField> headers) {
  std::string out;
  absl::Status s = Deflate(headers, &out);
  if (!s.ok()) return s;
  return out;
}

absl::Status Deflater::Deflate(absl::Span<const HeaderField> headers, std::string* out) {
  // Write through a pointer into room reserved once per block.
  // Huffman can take up to 30/8 of the raw length, but is kept only when shorter, except
  // with HuffmanMode::kAlways.
  const size_t factor = options_.huffman == HuffmanMode::kAlways ? 4 : 1;
  size_t bound = 2 * 6;
  for (const HeaderField& h : headers) {
    bound += (h.name.size() + h.value.size()) * factor + kFieldOverhead;
  }
  // The block is built in a scratch buffer that only ever grows (never zero-filled), then
  // appended: no zero-filling of `bound` octets in *out per block.
  if (scratch_size_ < bound) {
    scratch_size_ = std::max(bound, 2 * scratch_size_);
    scratch_.reset(new char[scratch_size_]);
  }
  char* const begin = scratch_.get();
  char* p = begin;
  const bool size_update = size_update_pending_;
  if (size_update) {  // §4.2, §6.3
    if (min_size_since_block_ < table_.max_size())
      p = EncodeIntegerTo(p, min_size_since_block_, 5, 0x20);
    p = EncodeIntegerTo(p, table_.max_size(), 5, 0x20);
    size_update_pending_ = false;
  }
  const uint64_t literals_before = literals_sent_;
  for (const HeaderField& h : headers) p = EncodeField(h.name, h.value, h.never_indexed, p);
  last_block_repeatable_ = !size_update && literals_sent_ == literals_before;
  out->append(begin, p - begin);
  return absl::OkStatus();
}

char* Deflater::EncodeString(absl::string_view s, char* p) const {
  switch (options_.huffman) {
    case HuffmanMode::kNever:
      break;
    case HuffmanMode::kAlways: {
      const size_t len = HuffmanEncodedLength(s);
      p = EncodeIntegerTo(p, len, 7, 0x80);
      HuffmanEncodeBounded(s, p, len);
      return p + len;
    }
    case HuffmanMode::kAuto: {
      // Try Huffman right where the raw octets would go; keep it only if shorter (§5.2).
      const size_t raw_prefix = EncodedIntegerLength(s.size(), 7);
      if (s.empty()) break;
      const size_t len = HuffmanEncodeBounded(s, p + raw_prefix, s.size() - 1);
      if (len < s.size()) {
        const size_t prefix = EncodedIntegerLength(len, 7);  // never longer than raw_prefix
        if (prefix != raw_prefix) std::memmove(p + prefix, p + raw_prefix, len);
        EncodeIntegerTo(p, len, 7, 0x80);
        return p + prefix + len;
      }
      break;
    }
  }
  p = EncodeIntegerTo(p, s.size(), 7, 0x00);
  CopyOctets(p, s.data(), s.size());
  return p + s.size();
}

inline char* Deflater::EncodeField(absl::string_view name, absl::string_view value, bool sensitive,
                            char* p) {
  const StaticMatch sm = StaticTableFind(name, value);
  const uint8_t rules = RulesByStaticIndex()[sm.name];
  sensitive =
      sensitive || (rules & kSensitive) || ((rules & kCookie) && value.size() < kShortCookie);
  // A static name is identified by its index, so only other names need hashing.
  const uint64_t name_key = sm.name ? sm.name : NameKey(name);
  if (!sensitive && sm.field) return EncodeIntegerTo(p, sm.field, 7, 0x80);  // §6.1

  // The dynamic table: the newest entry with this name and value (§6.1), else the newest
  // with this name. Names whose key is a hash are verified (collisions only cost a miss).
  size_t name_index = sm.name;  // static indices never encode longer than dynamic ones
  if (!index_.empty()) {
    const uint64_t newest = table_.insertions() - 1;
    for (uint64_t id = index_.Newest(name_key); id != TableIndex::kNone; id = index_.Older(id)) {
      const DynamicTable::EntryView e = table_.Get(newest - id);
      if (!sm.name && !SameOctets(e.name, name)) continue;
      const size_t hpack_index = kStaticTableSize + 1 + (newest - id);
      if (!name_index) name_index = hpack_index;
      if (sensitive) break;  // never sent as an index: the name is all it needs
      if (SameOctets(e.value, value)) return EncodeIntegerTo(p, hpack_index, 7, 0x80);
    }
  }

  ++literals_sent_;  // a literal may change the table or the recent literals
  const size_t entry_size = EntrySize(name, value);
  bool index = false;
  if (!sensitive && entry_size <= table_.max_size()) {
    index =
        options_.indexing == IndexingPolicy::kAll ||
        (entry_size <= static_cast<size_t>(table_.max_size()) * 3 / 4 && !(rules & kRarelyRepeats));
    // A field the heuristics left out that turns up again does repeat after all: index it
    // on this second sighting (the first cost the same as not indexing) — if it is small
    // next to the table; bigger ones evict more than they save (measured on the corpus at
    // table sizes 256 to 16384).
    if (!index && entry_size * 8 <= table_.max_size()) {
      index = SeenRecently(FieldHash(sm.name ? sm.name : NameHash(name), value));
    }
  }
  if (sensitive) {
    p = EncodeIntegerTo(p, name_index, 4, 0x10);  // §6.2.3
  } else if (index) {
    p = EncodeIntegerTo(p, name_index, 6, 0x40);  // §6.2.1
  } else {
    p = EncodeIntegerTo(p, name_index, 4, 0x00);  // §6.2.2
  }
  if (!name_index) p = EncodeString(name, p);
  p = EncodeString(value, p);
  if (index) AddToTable(name, value, name_key);
  return p;
}

bool Deflater::SeenRecently(uint64_t field_hash) {
  // Two-way set-associative: a field is remembered until two others of its set come along.
  uint64_t* set = &recent_literals_[2 * ((field_hash >> 32) % (recent_literals_.size() / 2))];
  if (set[0] == field_hash || set[1] == field_hash) return true;
  set[1] = set[0];
  set[0] = field_hash;
  return false;
}

void Deflater::AddToTable(absl::string_view name, absl::string_view value, uint64_t name_key) {
  bool added = false;
  ForgetEvicted(table_.Add(name, value, &added));
  if (added) index_.Added(table_.insertions() - 1, name_key);
}

void Deflater::ForgetEvicted(size_t evicted) {
  // The evicted entries were the oldest: insertion numbers first_id .. first_id+evicted-1.
  if (evicted) index_.Evicted(evicted, table_.insertions() - table_.count() - evicted);
}

}  // namespace hpack
