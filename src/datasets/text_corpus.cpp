// Text corpora from a folder of plain text files (e.g. Debian's fortunes package). Sizes are
// checked before reading so a folder of huge files fails with a message instead of exhausting memory.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "xkeras/datasets.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::datasets {

namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string read_file(const fs::path& path, std::size_t size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("text corpus: cannot open " + path.string());
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  // A file that shrank since it was measured is read as far as it goes.
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw IOError("text corpus: error reading " + path.string());
  return text;
}

}  // namespace

std::vector<TextFile> read_text_folder(const std::string& dir, const TextFolderOptions& options) {
  std::error_code ec;
  const auto status = fs::status(dir, ec);
  if (ec || !fs::exists(status)) throw IOError("text corpus folder not found: " + dir);
  if (!fs::is_directory(status)) throw IOError("text corpus folder " + dir + " is not a folder");

  // Measure first: names, sizes and the total, so nothing is read when the folder is too large.
  std::vector<std::pair<std::string, std::size_t>> files;
  std::size_t total = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (std::any_of(options.skip_suffixes.begin(), options.skip_suffixes.end(),
                    [&](const std::string& s) { return ends_with(name, s); }))
      continue;
    std::error_code fe;
    if (!fs::is_regular_file(it->path(), fe)) continue;  // subfolders, devices, broken links
    const auto size = fs::file_size(it->path(), fe);
    if (fe) throw IOError("text corpus: cannot read the size of " + it->path().string() + ": " + fe.message());
    total += static_cast<std::size_t>(size);
    if (size > options.max_bytes || total > options.max_bytes)
      throw IOError("text corpus folder " + dir + " holds more than max_bytes = " + std::to_string(options.max_bytes) +
                    " bytes of text files (at " + name + ")");
    files.emplace_back(name, static_cast<std::size_t>(size));
  }
  if (ec) throw IOError("text corpus: cannot list the folder " + dir + ": " + ec.message());
  if (files.empty()) throw IOError("text corpus folder " + dir + " holds no text files");
  std::sort(files.begin(), files.end());

  std::vector<TextFile> out;
  out.reserve(files.size());
  for (const auto& [name, size] : files) {
    const fs::path path = fs::path(dir) / name;
    std::string text = read_file(path, size);
    if (const auto nul = text.find('\0'); nul != std::string::npos)
      throw IOError("text corpus: " + path.string() + " is not a text file (a NUL byte at offset " +
                    std::to_string(nul) + "); skip it with TextFolderOptions::skip_suffixes");
    out.push_back({name, std::move(text)});
  }
  return out;
}

std::vector<std::string> split_records(const std::string& text, const std::string& separator) {
  std::vector<std::string> records;
  std::string current;
  auto flush = [&] {
    if (current.find_first_not_of(" \t\r\n") != std::string::npos) records.push_back(current);
    current.clear();
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    const bool has_newline = eol != std::string::npos;
    if (!has_newline) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // files written on Windows
    if (line == separator) {
      flush();
    } else {
      current.append(text, pos, eol - pos);
      if (has_newline) current.push_back('\n');
    }
    pos = has_newline ? eol + 1 : eol;
  }
  flush();
  return records;
}

namespace fortunes {

std::string default_dir() {
  if (const char* d = std::getenv("XKERAS_FORTUNES_DIR"); d && *d) return d;
  return "/usr/share/games/fortunes";
}

std::vector<std::string> load_data(const std::string& dir) {
  std::vector<TextFile> files;
  try {
    files = read_text_folder(dir, {.skip_suffixes = {".dat", ".u8"}});
  } catch (const IOError& e) {
    throw IOError(std::string(e.what()) + " (install Debian's fortunes package, or set XKERAS_FORTUNES_DIR)");
  }
  std::vector<std::string> entries;
  for (const auto& f : files) {
    auto records = split_records(f.text, "%");
    entries.insert(entries.end(), std::make_move_iterator(records.begin()), std::make_move_iterator(records.end()));
  }
  return entries;
}

std::string load_text(const std::string& dir, std::size_t limit) {
  std::string text;
  for (const auto& entry : load_data(dir)) {
    if (!text.empty()) text += '\n';  // entries end with a newline: a blank line between them
    for (const char ch : entry) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '\b') {
        // An overstrike "X\bY" prints Y over X: drop X (and all bytes of it, if it is a UTF-8 sequence).
        while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
        if (!text.empty() && text.back() != '\n') text.pop_back();
      } else if (c >= 0x20 || c == '\n' || c == '\t') {
        text.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : ch);
      }  // other control characters (the bell) are not text
    }
    if (limit && text.size() >= limit) break;
  }
  if (limit && text.size() > limit) {
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    text.resize(cut);
  }
  return text;
}

}  // namespace fortunes

}  // namespace xkeras::datasets
