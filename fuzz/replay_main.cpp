// main() for the normal build: feeds files to a fuzz target's LLVMFuzzerTestOneInput, so CI replays
// the seed corpora and the regression inputs without clang or libFuzzer.
//   replay_<target> FILE|DIR ...   (directories recursively, in sorted order; README.md skipped)
// Fails when a directory is missing or holds no file at all (a moved corpus must not pass by
// replaying nothing), or when nothing was run. A finding aborts the process, naming the file.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

// A regressions directory holds only its README.md until the first crash is kept: it counts as
// present, but the README is documentation, not an input. Dotfiles (.gitkeep) likewise.
bool is_input(const fs::path& p) {
  const std::string name = p.filename().string();
  return name != "README.md" && !name.empty() && name[0] != '.';
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg = argv[i];
    if (arg.string().rfind("-", 0) == 0) continue;  // libFuzzer-style flags: ignored
    std::error_code ec;
    if (fs::is_regular_file(arg, ec)) {
      files.push_back(arg);
      continue;
    }
    if (!fs::is_directory(arg, ec)) {
      std::fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
      return 2;
    }
    std::size_t present = 0;
    for (const auto& e : fs::recursive_directory_iterator(arg)) {
      if (!e.is_regular_file()) continue;
      ++present;
      if (is_input(e.path())) files.push_back(e.path());
    }
    if (present == 0) {
      std::fprintf(stderr, "replay: directory %s is empty\n", argv[i]);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "replay: cannot read %s\n", f.c_str());
      return 2;
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", f.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("replay: ran %zu inputs\n", files.size());
  if (files.empty()) {
    std::fprintf(stderr, "replay: no inputs\n");
    return 2;
  }
  return 0;
}
