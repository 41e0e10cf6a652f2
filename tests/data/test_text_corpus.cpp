// Text corpora: the folder reader, the fortune record format, Debian's fortunes package, UTF-8
// and the character vocabulary.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include <xkeras/datasets.hpp>
#include <xkeras/errors.hpp>

using namespace xkeras;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// A fresh folder per test case: CTest runs test cases in parallel processes.
fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::path("text_corpus_out") / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("read_text_folder reads the regular files sorted by name and skips hidden files, subfolders and suffixes") {
  const fs::path d = fresh_dir("basic");
  write(d / "b.txt", "bee\n");
  write(d / "a.txt", "ay\n");
  write(d / ".hidden", "no");
  write(d / "a.txt.dat", std::string("\0\1\2", 3));
  fs::create_directories(d / "sub");
  write(d / "sub" / "c.txt", "nested");
  const auto files = datasets::read_text_folder(d.string(), {.skip_suffixes = {".dat"}});
  REQUIRE(files.size() == 2);
  CHECK(files[0].name == "a.txt");
  CHECK(files[0].text == "ay\n");
  CHECK(files[1].name == "b.txt");
  CHECK(files[1].text == "bee\n");
  fs::remove_all(d);
}

TEST_CASE("read_text_folder errors name the folder or the file") {
  const std::string missing = message_of([] { datasets::read_text_folder("/nonexistent/corpus"); });
  CHECK(missing.find("/nonexistent/corpus") != std::string::npos);
  CHECK(missing.find("not found") != std::string::npos);
  CHECK_THROWS_AS(datasets::read_text_folder("/nonexistent/corpus"), IOError);

  const fs::path d = fresh_dir("errors");
  const std::string empty = message_of([&] { datasets::read_text_folder(d.string()); });
  CHECK(empty.find("holds no text files") != std::string::npos);
  CHECK(empty.find(d.string()) != std::string::npos);

  write(d / "index.dat", std::string("ab\0cd", 5));
  const std::string binary = message_of([&] { datasets::read_text_folder(d.string()); });
  CHECK(binary.find("index.dat") != std::string::npos);
  CHECK(binary.find("NUL byte at offset 2") != std::string::npos);

  // The size limit is checked before anything is read.
  fs::remove(d / "index.dat");
  write(d / "big.txt", std::string(100, 'x'));
  const std::string big = message_of([&] { datasets::read_text_folder(d.string(), {.max_bytes = 99}); });
  CHECK(big.find("max_bytes = 99") != std::string::npos);
  CHECK(datasets::read_text_folder(d.string(), {.max_bytes = 100}).at(0).text.size() == 100);

  const std::string file = message_of([&] { datasets::read_text_folder((d / "big.txt").string()); });
  CHECK(file.find("is not a folder") != std::string::npos);
  fs::remove_all(d);
}

TEST_CASE("split_records splits at lines holding only the separator and drops blank records") {
  CHECK(datasets::split_records("one\n%\ntwo\nlines\n%\n") == std::vector<std::string>{"one\n", "two\nlines\n"});
  // No final separator or newline, Windows line ends, empty and blank records, a % inside a line.
  CHECK(datasets::split_records("%\n50% off\r\n%\r\n \n%\n%\nlast") == std::vector<std::string>{"50% off\r\n", "last"});
  CHECK(datasets::split_records("a\n--\nb\n", "--") == std::vector<std::string>{"a\n", "b\n"});
  CHECK(datasets::split_records("").empty());
}

TEST_CASE("fortunes load from the Debian package: 15217 entries in 43 files") {
  // Counted independently with a Python script over the fortunes 1:1.99.1-7.3 files (Debian 12):
  // 43 files without .dat / .u8, 15217 non-blank records; 431 in the file "fortunes".
  const auto entries = datasets::fortunes::load_data();
  CHECK(entries.size() == 15217);
  // Files in name order: "art" comes first.
  CHECK(entries.front().rfind("7:30, Channel 5: The Bionic Dog (Action/Adventure)\n", 0) == 0);
  CHECK(std::count(entries.begin(), entries.end(), std::string("A day for firm decisions!!!!!  Or is it?\n")) == 1);
  CHECK(std::none_of(entries.begin(), entries.end(), [](const std::string& e) { return e.find("\n%\n") != std::string::npos; }));

  const std::string text = datasets::fortunes::load_text(datasets::fortunes::default_dir(), 5000);
  CHECK(text.size() <= 5000);
  CHECK(text.size() > 4900);
  CHECK(text.rfind("7:30, channel 5: the bionic dog (action/adventure)\n\tthe bionic dog", 0) == 0);
  CHECK(std::none_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
}

TEST_CASE("fortunes errors name the folder and the package") {
  const std::string m = message_of([] { datasets::fortunes::load_data("/nonexistent/fortunes"); });
  CHECK(m.find("/nonexistent/fortunes") != std::string::npos);
  CHECK(m.find("fortunes package") != std::string::npos);
}

TEST_CASE("fortunes load_text lowercases, joins entries by a blank line and resolves overstrikes") {
  const fs::path d = fresh_dir("fortunes");
  write(d / "a", "Hello\tWorld\n%\nB_\bo_\bl_\bd\a.\n%\n");
  write(d / "a.dat", std::string("\0\0", 2));
  write(d / "b", "Caf\xC3\xA9 \xC3\x89T\xC3\x89\n");
  CHECK(datasets::fortunes::load_text(d.string()) == "hello\tworld\n\nbold.\n\ncaf\xC3\xA9 \xC3\x89t\xC3\x89\n");
  // The limit never cuts a character: a limit of 27 bytes would end inside "É" (bytes 26 and 27).
  CHECK(datasets::fortunes::load_text(d.string(), 27) == "hello\tworld\n\nbold.\n\ncaf\xC3\xA9 ");
  fs::remove_all(d);
}

TEST_CASE("utf8_decode and utf8_encode: code points, replacement of invalid bytes, round trip") {
  CHECK(datasets::utf8_decode("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") == std::u32string{U'a', 0xE9, 0x20AC, 0x1F600});
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate: one U+FFFD per bad byte.
  CHECK(datasets::utf8_decode("\x80") == std::u32string{0xFFFD});
  CHECK(datasets::utf8_decode("\xC3") == std::u32string{0xFFFD});
  CHECK(datasets::utf8_decode("\xC0\xAF") == std::u32string{0xFFFD, 0xFFFD});
  CHECK(datasets::utf8_decode("\xED\xA0\x80x") == std::u32string{0xFFFD, 0xFFFD, 0xFFFD, U'x'});
  const std::string s = "na\xC3\xAFve \xE2\x82\xAC \xF0\x9F\x98\x80";
  CHECK(datasets::utf8_encode(datasets::utf8_decode(s)) == s);
}

TEST_CASE("CharVocabulary numbers the characters in code point order") {
  const datasets::CharVocabulary v("hello\n\xC3\xA9t\xC3\xA9");
  CHECK(v.size() == 7);
  CHECK(v.chars() == std::u32string{U'\n', U'e', U'h', U'l', U'o', U't', 0xE9});
  CHECK(v.encode("hello") == std::vector<std::int32_t>{2, 1, 3, 3, 4});
  CHECK(v.encode("\xC3\xA9t\xC3\xA9") == std::vector<std::int32_t>{6, 5, 6});
  CHECK(v.decode({6, 5, 6, 0}) == "\xC3\xA9t\xC3\xA9\n");

  const std::string unknown = message_of([&] { v.encode("hex"); });
  CHECK(unknown.find("'x'") != std::string::npos);
  CHECK(unknown.find("position 2") != std::string::npos);
  CHECK_THROWS_AS(v.decode({7}), ValueError);
  CHECK(message_of([&] { v.decode({0, -1}); }).find("id -1 at position 1 is outside [0, 7)") != std::string::npos);
}
