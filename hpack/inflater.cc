#include "hpack/inflater.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "hpack/huffman.h"
#include "hpack/integer.h"
#include "hpack/static_table.h"

namespace hpack {

Inflater::Inflater(const InflaterOptions& options)
    : options_(options),
      table_(options.header_table_size),
      limit_(options.header_table_size),
      pending_min_limit_(options.header_table_size) {}

void Inflater::ChangeTableSize(uint32_t settings_header_table_size) {
  limit_ = settings_header_table_size;
  if (limit_ < pending_min_limit_) pending_min_limit_ = limit_;
  if (pending_min_limit_ < table_.max_size()) size_update_required_ = true;
}

absl::StatusOr<HeaderList> Inflater::Inflate(absl::string_view block) {
  HeaderList out;
  absl::Status s = InflateFragment(block, /*final=*/true, &out);
  if (!s.ok()) return s;
  return out;
}

absl::Status Inflater::Inflate(absl::string_view block, Sink sink) {
  return InflateFragment(block, /*final=*/true, sink);
}

absl::Status Inflater::InflateFragment(absl::string_view fragment, bool final, HeaderList* out) {
  return InflateFragment(fragment, final,
                         [out](absl::string_view name, absl::string_view value, bool never) {
                           out->emplace_back(std::string(name), std::string(value), never);
                         });
}

absl::Status Inflater::InflateFragment(absl::string_view fragment, bool final, Sink sink) {
  if (error_ != Error::kOk) {
    return absl::FailedPreconditionError(absl::StrCat(
        "hpack: the inflater is unusable after an earlier error (", error_status_.message(), ")"));
  }
  in_block_ = true;
  const uint8_t* data = reinterpret_cast<const uint8_t*>(fragment.data());
  size_t consumed = 0;
  if (pending_.empty()) {
    absl::Status s = DecodeSpan(data, data + fragment.size(), final, sink, &consumed);
    if (!s.ok()) return s;
    if (!final) pending_.assign(fragment.data() + consumed, fragment.size() - consumed);
  } else {
    pending_.append(fragment.data(), fragment.size());
    if (!final && pending_.size() < need_) return absl::OkStatus();
    const uint8_t* p = reinterpret_cast<const uint8_t*>(pending_.data());
    absl::Status s = DecodeSpan(p, p + pending_.size(), final, sink, &consumed);
    if (!s.ok()) return s;
    if (!final) pending_.erase(0, consumed);
  }
  block_offset_ += consumed;
  if (final) {
    in_block_ = false;
    fields_started_ = false;
    block_offset_ = 0;
    list_size_ = 0;
    field_count_ = 0;
    pending_.clear();
    need_ = 0;
  }
  return absl::OkStatus();
}

absl::Status Inflater::DecodeSpan(const uint8_t* p, const uint8_t* end, bool final, Sink sink,
                                  size_t* consumed) {
  const uint8_t* const begin = p;
  span_begin_ = p;
  final_ = final;
  need_ = 0;
  while (p < end) {
    const uint8_t* next = p;
    const Step s = DecodeOne(p, end, &next, sink);
    if (s == Step::kDone) {
      p = next;
    } else if (s == Step::kFailed) {
      return error_status_;
    } else {
      break;  // kNeedMore; with `final` DecodeOne fails instead
    }
  }
  *consumed = p - begin;
  if (final) return FinishBlock(p);
  return absl::OkStatus();
}

absl::Status Inflater::FinishBlock(const uint8_t* p) {
  if (!fields_started_) {
    if (size_update_required_) {
      FailWith(Error::kTableSizeUpdateMissing, p, [&] {
        return absl::StrFormat(
            "the block ends without the dynamic table size update to at most "
            "%d required since the limit dropped below the table maximum %d",
            pending_min_limit_, table_.max_size());
      });
      return error_status_;
    }
    pending_min_limit_ = limit_;
  }
  return absl::OkStatus();
}

Inflater::Step Inflater::Fail(Error e, const uint8_t* at, absl::string_view what) {
  const size_t offset = block_offset_ + (at - span_begin_);
  error_ = e;
  error_status_ = absl::Status(
      ErrorStatusCode(e),
      absl::StrFormat("hpack: octet %d of the header block: %s (%s)", offset, what, ErrorRule(e)));
  return Step::kFailed;
}

template <typename F>
Inflater::Step Inflater::FailWith(Error e, const uint8_t* at, F&& what) {
  return Fail(e, at, what());
}

inline Inflater::Step Inflater::ReadInteger(const uint8_t* start, const uint8_t** p,
                                            const uint8_t* end, int prefix_bits, uint32_t* value) {
  const uint8_t* q = *p;
  switch (DecodeInteger(&q, end, prefix_bits, value)) {
    case IntegerStatus::kOk:
      *p = q;
      return Step::kDone;
    case IntegerStatus::kNeedMore:
      if (final_) return Fail(Error::kTruncated, *p, "the block ends inside an integer");
      need_ = (end - start) + 1;
      return Step::kNeedMore;
    case IntegerStatus::kOverflow:
      return Fail(Error::kIntegerOverflow, q, "integer value exceeds 2^32-1");
    case IntegerStatus::kTooLong:
      return FailWith(Error::kIntegerTooLong, q, [&] {
        return absl::StrFormat("integer has more than %d continuation octets",
                               kMaxIntegerContinuationOctets);
      });
  }
  return Step::kFailed;
}

inline Inflater::Step Inflater::ReadString(const uint8_t* start, const uint8_t** p, const uint8_t* end,
                                    bool is_name, size_t name_len, absl::string_view* out) {
  const uint8_t* q = *p;
  if (q >= end) {
    if (final_) return Fail(Error::kTruncated, q, "the block ends before a string literal");
    need_ = (end - start) + 1;
    return Step::kNeedMore;
  }
  const bool huffman = (*q & 0x80) != 0;
  uint32_t len;
  Step s = ReadInteger(start, &q, end, 7, &len);
  if (s != Step::kDone) return s;
  // Reject what cannot fit the header list before waiting for (or reading) its octets.
  const size_t at_least = huffman ? HuffmanMinDecodedLength(len) : len;
  const size_t committed = list_size_ + kEntryOverhead + (is_name ? 0 : name_len);
  if (committed + at_least > options_.max_header_list_size) {
    return FailWith(Error::kHeaderListTooLarge, *p, [&] {
      return absl::StrFormat(
          "a string literal of %d octets would take the header list "
          "past the limit of %d octets (name + value + 32 per field)",
          len, options_.max_header_list_size);
    });
  }
  if (static_cast<size_t>(end - q) < len) {
    if (final_) {
      return FailWith(Error::kTruncated, *p, [&] {
        return absl::StrFormat(
            "string literal of %d octets runs past the end of the "
            "block (%d octets left)",
            len, end - q);
      });
    }
    need_ = (q - start) + len;
    return Step::kNeedMore;
  }
  if (!huffman) {
    *out = absl::string_view(reinterpret_cast<const char*>(q), len);
  } else {
    std::string& buf = is_name ? name_buf_ : value_buf_;
    const size_t room = HuffmanDecodeBufferSize(len);
    if (buf.size() < room) buf.resize(std::max(room, 2 * buf.size()));
    size_t n = 0, error_at = 0;
    const HuffmanError he = HuffmanDecode(absl::string_view(reinterpret_cast<const char*>(q), len),
                                          &buf[0], &n, &error_at);
    if (he != HuffmanError::kOk) {
      const Error e = he == HuffmanError::kEos              ? Error::kHuffmanEos
                      : he == HuffmanError::kPaddingTooLong ? Error::kHuffmanPaddingTooLong
                                                            : Error::kHuffmanPaddingNotOnes;
      return FailWith(e, q + error_at, [&] {
        return absl::StrCat(HuffmanErrorName(he), " in the ", is_name ? "name" : "value",
                            " string literal");
      });
    }
    *out = absl::string_view(buf.data(), n);
  }
  *p = q + len;
  return Step::kDone;
}

inline Inflater::Step Inflater::StartField(const uint8_t* start) {
  if (fields_started_) return Step::kDone;
  if (size_update_required_) {
    return FailWith(Error::kTableSizeUpdateMissing, start, [&] {
      return absl::StrFormat(
          "the limit dropped to %d, below the table maximum %d, but the "
          "block does not start with a dynamic table size update to at "
          "most %d",
          pending_min_limit_, table_.max_size(), pending_min_limit_);
    });
  }
  fields_started_ = true;
  pending_min_limit_ = limit_;
  return Step::kDone;
}

inline Inflater::Step Inflater::DecodeOne(const uint8_t* start, const uint8_t* end, const uint8_t** next,
                                   Sink sink) {
  const uint8_t* p = start;
  const uint8_t first = *p;
  uint32_t index;
  Step s;

  if ((first & 0xe0) == 0x20) {  // §6.3 dynamic table size update: 001xxxxx
    if ((s = ReadInteger(start, &p, end, 5, &index)) != Step::kDone) return s;
    if (fields_started_) {
      return Fail(Error::kTableSizeUpdateNotAtStart, start,
                  "dynamic table size update after a header field representation");
    }
    if (index > limit_) {
      return FailWith(Error::kTableSizeUpdateTooLarge, start, [&] {
        return absl::StrFormat(
            "dynamic table size update to %d exceeds the limit %d "
            "(SETTINGS_HEADER_TABLE_SIZE)",
            index, limit_);
      });
    }
    if (index <= pending_min_limit_) size_update_required_ = false;
    table_.SetMaxSize(index);
    *next = p;
    return Step::kDone;
  }

  const bool indexed = (first & 0x80) != 0;                       // §6.1: 1xxxxxxx
  const bool incremental = !indexed && (first & 0x40) != 0;       // §6.2.1: 01xxxxxx
  const bool never = !indexed && !incremental && (first & 0x10);  // §6.2.3: 0001xxxx
  const int prefix = indexed ? 7 : incremental ? 6 : 4;           // §6.2.2: 0000xxxx
  if ((s = ReadInteger(start, &p, end, prefix, &index)) != Step::kDone) return s;
  if ((s = StartField(start)) != Step::kDone) return s;

  absl::string_view name, value;
  if (index != 0) {
    if (index <= kStaticTableSize) {
      const StaticEntry& e = StaticTableEntry(index);
      name = e.name;
      value = e.value;
    } else if (index - kStaticTableSize - 1 < table_.count()) {
      DynamicTable::EntryView e = table_.Get(index - kStaticTableSize - 1);
      name = e.name;
      value = e.value;
    } else {
      return FailWith(Error::kIndexOutOfRange, start, [&] {
        return absl::StrFormat(
            "%s index %d is past the end of the table (%d static + %d "
            "dynamic entries)",
            indexed ? "field" : "name", index, kStaticTableSize, table_.count());
      });
    }
  } else if (indexed) {
    return Fail(Error::kIndexZero, start, "index 0 in an indexed header field representation");
  } else if ((s = ReadString(start, &p, end, /*is_name=*/true, 0, &name)) != Step::kDone) {
    return s;
  }
  if (!indexed &&
      (s = ReadString(start, &p, end, /*is_name=*/false, name.size(), &value)) != Step::kDone) {
    return s;
  }

  if (++field_count_ > options_.max_header_fields) {
    return FailWith(Error::kTooManyFields, start, [&] {
      return absl::StrFormat("more than %d header fields in one block", options_.max_header_fields);
    });
  }
  list_size_ += EntrySize(name, value);
  if (list_size_ > options_.max_header_list_size) {
    return FailWith(Error::kHeaderListTooLarge, start, [&] {
      return absl::StrFormat(
          "header list size %d exceeds the limit of %d octets (name + "
          "value + 32 per field)",
          list_size_, options_.max_header_list_size);
    });
  }
  sink(name, value, never);
  if (incremental) table_.Add(name, value);  // §6.2.1
  *next = p;
  return Step::kDone;
}

}  // namespace hpack
