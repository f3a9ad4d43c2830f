// A main for fuzz targets without libFuzzer: runs each file (or every file under each
// directory, recursively, in sorted order) through LLVMFuzzerTestOneInput once. Used for
// regression replay under g++ and sanitizers, where -fsanitize=fuzzer is not available.
//
//   NAME [--require_inputs] PATH...
// --require_inputs fails when no file at all was found (a target must have a seed corpus).
// Missing paths are skipped with a note (corpora/regressions/NAME/ may not exist yet).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  bool require_inputs = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--require_inputs") {
      require_inputs = true;
      continue;
    }
    if (arg.rfind("-", 0) == 0) continue;  // libFuzzer flags, e.g. -runs=: ignored here
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(arg, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      std::printf("%s: %zu inputs\n", arg.c_str(), found.size());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(arg, ec)) {
      files.push_back(arg);
    } else {
      std::printf("%s: not found, skipped\n", arg.c_str());
    }
  }
  if (require_inputs && files.empty()) {
    std::fprintf(stderr, "no inputs to replay: the target needs a seed corpus\n");
    return 1;
  }
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read\n", f.c_str());
      return 1;
    }
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Copy into an exact-size buffer, so sanitizers catch reads past the input.
    std::vector<uint8_t> buf(data.begin(), data.end());
    uint8_t* p = buf.empty() ? nullptr : buf.data();
    LLVMFuzzerTestOneInput(p, buf.size());
  }
  std::printf("replayed %zu inputs\n", files.size());
  return 0;
}
