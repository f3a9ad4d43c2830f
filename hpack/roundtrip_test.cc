// Property: whatever the Deflater produces, the Inflater decodes to the same list, and both
// dynamic tables agree after every block — over random lists of random octets, random
// SETTINGS_HEADER_TABLE_SIZE changes, every Huffman mode and indexing policy, with blocks
// fed whole or in random fragments.
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "hpack/deflater.h"
#include "hpack/inflater.h"
#include "hpack/static_table.h"
#include "hpack/test_util.h"

namespace hpack {
namespace {

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  size_t Uniform(size_t lo, size_t hi) {
    return std::uniform_int_distribution<size_t>(lo, hi)(rng_);
  }

  std::string Octets(size_t max_len) {
    std::string s(Uniform(0, max_len), '\0');
    const bool printable = Uniform(0, 2) != 0;
    for (char& c : s) c = static_cast<char>(printable ? Uniform(0x20, 0x7e) : Uniform(0, 255));
    return s;
  }

  HeaderField Field() {
    HeaderField h;
    switch (Uniform(0, 9)) {
      case 0:
      case 1: {  // a static entry, or a static name with a new value
        const StaticEntry& e = StaticTableEntry(Uniform(1, kStaticTableSize));
        h.name = std::string(e.name);
        h.value = Uniform(0, 1) ? std::string(e.value) : Octets(30);
        break;
      }
      case 2:
      case 3:
      case 4:  // something seen before: drives indexing and references
        if (!pool_.empty()) {
          h = pool_[Uniform(0, pool_.size() - 1)];
          break;
        }
        [[fallthrough]];
      default:
        h.name = Octets(20);
        h.value = Uniform(0, 30) == 0 ? Octets(5000) : Octets(200);
        if (pool_.size() < 64)
          pool_.push_back(h);
        else
          pool_[Uniform(0, 63)] = h;
    }
    h.never_indexed = Uniform(0, 15) == 0;
    return h;
  }

  HeaderList List() {
    HeaderList l(Uniform(0, 25));
    for (auto& h : l) h = Field();
    return l;
  }

 private:
  std::mt19937 rng_;
  std::vector<HeaderField> pool_;
};

void ExpectSameTables(const Deflater& d, const Inflater& i) {
  const HdTable a = d.GetHdTable(), b = i.GetHdTable();
  ASSERT_EQ(a.max_size, b.max_size);
  ASSERT_EQ(a.size, b.size);
  ASSERT_EQ(a.entries, b.entries);
}

class RoundTrip : public test::InflaterModeTest {};

TEST_P(RoundTrip, RandomListsAndTableSizeChanges) {
  const HuffmanMode modes[] = {HuffmanMode::kAuto, HuffmanMode::kNever, HuffmanMode::kAlways};
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    Generator gen(seed * 1000 + GetParam().seed);
    DeflaterOptions o;
    o.huffman = modes[seed % 3];
    o.indexing = seed % 2 ? IndexingPolicy::kAll : IndexingPolicy::kSelective;
    o.max_table_size = static_cast<uint32_t>(gen.Uniform(0, 1) ? 4096 : gen.Uniform(0, 16384));
    Deflater deflater(o);
    InflaterOptions io;
    io.max_header_list_size = 1 << 20;
    Inflater inflater(io);
    for (int block = 0; block < 60; ++block) {
      SCOPED_TRACE(testing::Message() << "seed " << seed << " block " << block);
      if (gen.Uniform(0, 9) == 0) {  // SETTINGS_HEADER_TABLE_SIZE changes, maybe twice
        for (size_t k = gen.Uniform(1, 2); k > 0; --k) {
          const uint32_t size = static_cast<uint32_t>(gen.Uniform(0, 8192));
          deflater.ChangeTableSize(size);
          inflater.ChangeTableSize(size);
        }
      }
      const HeaderList list = gen.List();
      absl::StatusOr<std::string> wire = deflater.Deflate(list);
      ASSERT_TRUE(wire.ok()) << wire.status();
      absl::StatusOr<HeaderList> back = Decode(inflater, *wire);
      ASSERT_TRUE(back.ok()) << back.status();
      HeaderList unmarked = *back;  // names and values here; the marks just below
      for (size_t k = 0; k < unmarked.size() && k < list.size(); ++k) {
        unmarked[k].never_indexed = list[k].never_indexed;
      }
      ASSERT_EQ(unmarked, list);
      for (size_t k = 0; k < list.size(); ++k) {
        // Marked fields must come back marked (§7.1.3); others may gain the mark only by the
        // Deflater's own sensitivity rules.
        if (list[k].never_indexed) {
          ASSERT_TRUE((*back)[k].never_indexed) << k;
        }
      }
      ExpectSameTables(deflater, inflater);
    }
  }
}

H2H_INSTANTIATE_FEED_MODES(RoundTrip);

}  // namespace
}  // namespace hpack
