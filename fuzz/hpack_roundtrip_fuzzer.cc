// Structure-aware: a sequence of operations on a Deflater/Inflater pair — deflate a
// generated header list (fed to the Inflater whole or in fragments), change
// SETTINGS_HEADER_TABLE_SIZE on both sides, switch Huffman mode or indexing policy. After
// every step the decoded list equals what was encoded, never-indexed fields stay
// never-indexed, and both dynamic tables are identical.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "hpack/deflater.h"
#include "hpack/inflater.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  hpack::DeflaterOptions d;
  d.max_table_size = fuzz::PickTableSize(in);
  // The peer's initial SETTINGS_HEADER_TABLE_SIZE: mostly the default, sometimes not.
  const uint32_t initial =
      in.ConsumeBool() ? hpack::kDefaultHeaderTableSize : fuzz::PickTableSize(in);
  d.header_table_size = initial;
  d.huffman = static_cast<hpack::HuffmanMode>(in.ConsumeIntegralInRange(0, 2));
  d.indexing = in.ConsumeBool() ? hpack::IndexingPolicy::kAll : hpack::IndexingPolicy::kSelective;
  hpack::Deflater deflater(d);
  hpack::InflaterOptions i;
  i.header_table_size = initial;
  i.max_header_list_size = 1 << 24;
  i.max_header_fields = 1 << 16;
  hpack::Inflater inflater(i);
  std::vector<hpack::HeaderField> seen;

  for (int step = 0; step < 64 && in.remaining_bytes() > 0; ++step) {
    switch (in.ConsumeIntegralInRange(0, 9)) {
      case 0: {
        const uint32_t size = fuzz::PickTableSize(in);
        deflater.ChangeTableSize(size);
        inflater.ChangeTableSize(size);
        break;
      }
      case 1: {
        const auto mode = static_cast<hpack::HuffmanMode>(in.ConsumeIntegralInRange(0, 2));
        deflater.set_huffman_mode(mode);
        fuzz::Check(deflater.huffman_mode() == mode, "huffman_mode() does not return the mode set");
        break;
      }
      default: {
        hpack::HeaderList list(in.ConsumeIntegralInRange(0, 24));
        for (hpack::HeaderField& h : list) {
          h = fuzz::PickField(in, seen);
          if (seen.size() < 64) seen.push_back(h);
        }
        absl::StatusOr<std::string> wire = deflater.Deflate(list);
        fuzz::Check(wire.ok(), "Deflate failed");
        absl::StatusOr<hpack::HeaderList> back =
            in.ConsumeBool() ? inflater.Inflate(*wire)
                             : fuzz::InflateInFragments(inflater, *wire, in);
        if (!back.ok())
          fuzz::Fail("our own block does not decode: " + std::string(back.status().message()));
        fuzz::CheckSameList(list, *back, "round trip changed the list");
        for (size_t k = 0; k < list.size(); ++k) {
          if (list[k].never_indexed) fuzz::Check((*back)[k].never_indexed, "never-indexed lost");
        }
        fuzz::CheckSameTable(deflater.GetHdTable(), inflater.GetHdTable(),
                             "encoder and decoder tables differ");
      }
    }
  }
  return 0;
}
