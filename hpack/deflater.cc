#include "hpack/deflater.h"

#include <algorithm>

#include "absl/hash/hash.h"
#include "hpack/huffman.h"
#include "hpack/integer.h"
#include "hpack/static_table.h"

namespace hpack {
namespace {

// Values that are nearly always different from one request/response to the next: indexing
// them would only evict entries that do repeat.
constexpr absl::string_view kNotIndexedNames[] = {
    ":path", "content-length", "etag", "if-modified-since", "if-none-match",
    "last-modified", "location", "set-cookie", "age",
};

// §7.1.3: values an attacker could guess one at a time through the compression state.
bool IsSensitive(absl::string_view name, absl::string_view value) {
  return name == "authorization" || name == "proxy-authorization" ||
         (name == "cookie" && value.size() < 20);
}

bool ShouldIndex(absl::string_view name, size_t entry_size, uint32_t max_size,
                 IndexingPolicy policy) {
  if (policy == IndexingPolicy::kAll) return entry_size <= max_size;
  if (entry_size > static_cast<size_t>(max_size) * 3 / 4) return false;
  return std::find(std::begin(kNotIndexedNames), std::end(kNotIndexedNames), name) ==
         std::end(kNotIndexedNames);
}

uint64_t NameHash(absl::string_view name) { return absl::Hash<absl::string_view>()(name); }
uint64_t FieldHash(absl::string_view name, absl::string_view value) {
  return absl::Hash<std::pair<absl::string_view, absl::string_view>>()({name, value});
}

}  // namespace

Deflater::Deflater(const DeflaterOptions& options)
    : options_(options),
      table_(std::min(options.max_table_size, options.header_table_size)) {
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
}

absl::StatusOr<std::string> Deflater::Deflate(absl::Span<const HeaderField> headers) {
  std::string out;
  absl::Status s = Deflate(headers, &out);
  if (!s.ok()) return s;
  return out;
}

absl::Status Deflater::Deflate(absl::Span<const HeaderField> headers, std::string* out) {
  if (size_update_pending_) {  // §4.2, §6.3
    if (min_size_since_block_ < table_.max_size()) EncodeInteger(min_size_since_block_, 5, 0x20, out);
    EncodeInteger(table_.max_size(), 5, 0x20, out);
    size_update_pending_ = false;
  }
  for (const HeaderField& h : headers) EncodeField(h.name, h.value, h.never_indexed, out);
  return absl::OkStatus();
}

void Deflater::EncodeString(absl::string_view s, std::string* out) const {
  const size_t huffman_len = options_.huffman == HuffmanMode::kNever ? s.size() + 1
                                                                       : HuffmanEncodedLength(s);
  if (options_.huffman == HuffmanMode::kAlways ||
      (options_.huffman == HuffmanMode::kAuto && huffman_len < s.size())) {
    EncodeInteger(huffman_len, 7, 0x80, out);
    HuffmanEncode(s, out);
  } else {
    EncodeInteger(s.size(), 7, 0x00, out);
    out->append(s.data(), s.size());
  }
}

size_t Deflater::FindDynamic(const absl::flat_hash_map<uint64_t, uint64_t>& map, uint64_t hash,
                             absl::string_view name, absl::string_view value,
                             bool match_value) const {
  auto it = map.find(hash);
  if (it == map.end()) return 0;
  const size_t i = table_.insertions() - 1 - it->second;  // 0 = newest
  DynamicTable::EntryView e = table_.Get(i);
  if (e.name != name || (match_value && e.value != value)) return 0;
  return kStaticTableSize + 1 + i;
}

void Deflater::EncodeField(absl::string_view name, absl::string_view value, bool sensitive,
                           std::string* out) {
  sensitive = sensitive || IsSensitive(name, value);
  const StaticMatch sm = StaticTableFind(name, value);
  uint64_t field_hash = 0;
  if (!sensitive) {
    if (sm.field) {  // §6.1
      EncodeInteger(sm.field, 7, 0x80, out);
      return;
    }
    field_hash = FieldHash(name, value);
    if (size_t i = FindDynamic(field_index_, field_hash, name, value, true)) {
      EncodeInteger(i, 7, 0x80, out);
      return;
    }
  }
  const uint64_t name_hash = NameHash(name);
  size_t name_index = sm.name;  // static indices never encode longer than dynamic ones
  if (!name_index) name_index = FindDynamic(name_index_, name_hash, name, value, false);

  const size_t entry_size = EntrySize(name, value);
  bool index = false;
  if (!sensitive && entry_size <= table_.max_size()) {
    index = ShouldIndex(name, entry_size, table_.max_size(), options_.indexing);
    // A field the heuristics left out that turns up again does repeat after all: index it
    // on this second sighting (the first cost the same as not indexing).
    if (!index) index = SeenRecently(field_hash);
  }
  if (sensitive) {
    EncodeInteger(name_index, 4, 0x10, out);  // §6.2.3
  } else if (index) {
    EncodeInteger(name_index, 6, 0x40, out);  // §6.2.1
  } else {
    EncodeInteger(name_index, 4, 0x00, out);  // §6.2.2
  }
  if (!name_index) EncodeString(name, out);
  EncodeString(value, out);
  if (index) AddToTable(name, value, field_hash, name_hash);
}

bool Deflater::SeenRecently(uint64_t field_hash) {
  for (uint64_t h : recent_literals_) {
    if (h == field_hash) return true;
  }
  recent_literals_[recent_next_++ % recent_literals_.size()] = field_hash;
  return false;
}

void Deflater::AddToTable(absl::string_view name, absl::string_view value, uint64_t field_hash,
                          uint64_t name_hash) {
  bool added = false;
  ForgetEvicted(table_.Add(name, value, &added));
  if (!added) return;
  const uint64_t id = table_.insertions() - 1;
  field_index_[field_hash] = id;
  name_index_[name_hash] = id;
  hashes_.emplace_back(field_hash, name_hash);
}

void Deflater::ForgetEvicted(size_t evicted) {
  // The evicted entries were the oldest: insertion numbers first_id .. first_id+evicted-1.
  uint64_t id = table_.insertions() - table_.count() - evicted;
  for (size_t k = 0; k < evicted; ++k, ++id) {
    const auto [field_hash, name_hash] = hashes_.front();
    hashes_.pop_front();
    if (auto it = field_index_.find(field_hash); it != field_index_.end() && it->second == id) {
      field_index_.erase(it);
    }
    if (auto it = name_index_.find(name_hash); it != name_index_.end() && it->second == id) {
      name_index_.erase(it);
    }
  }
}

}  // namespace hpack
