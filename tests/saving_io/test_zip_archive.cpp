// The ZIP wrapper (saving/zip_archive.hpp): stored archives written here read back (and Python's
// zipfile reads them: tools/h5py_check.py); deflated archives from Python's zipfile read; sizes that
// a member cannot honestly have are refused before anything is inflated.
#include <catch2/catch.hpp>

#include <cstring>

#include "../../saving/atomic_write.hpp"
#include "../../saving/zip_archive.hpp"
#include "xkeras/errors.hpp"

using namespace xkeras;
namespace zip = xkeras::saving::zip;

namespace {

// Offsets in a ZIP of the first member's local header (sizes at +18 / +22) and its central entry.
void set_u32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = char((v >> (8 * i)) & 0xff);
}
std::size_t central_entry(const std::string& s) { return s.find("PK\1\2"); }

}  // namespace

TEST_CASE("zip archive: members written stored read back in order") {
  std::string big(300000, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = char(i * 7);
  const std::string bytes = zip::write({{"metadata.json", "{\"a\": 1}"}, {"config.json", ""}, {"model.weights.h5", big}});
  REQUIRE(zip::looks_like_zip(bytes));
  zip::Reader r(bytes, "m.keras");
  CHECK(r.names() == std::vector<std::string>{"metadata.json", "config.json", "model.weights.h5"});
  CHECK(r.read("metadata.json", 100) == "{\"a\": 1}");
  CHECK(r.read("config.json", 100).empty());
  CHECK(r.read("model.weights.h5", big.size()) == big);
  CHECK(r.has("config.json"));
  CHECK_FALSE(r.has("assets"));
  // Stored: the member's bytes appear verbatim in the archive.
  CHECK(bytes.find(big) != std::string::npos);
  CHECK_THROWS_WITH(r.read("model.weights.h5", 1000), Catch::Contains("m.keras: member \"model.weights.h5\"") &&
                                                          Catch::Contains("more than the 1000"));
  CHECK_THROWS_WITH(r.read("assets/x", 10), Catch::Contains("expected this member"));
}

TEST_CASE("zip archive: deflated members from Python's zipfile read") {
  // tests/data/zip/deflated.zip: tools/make_zip_fixtures.py, zipfile.ZIP_DEFLATED.
  const std::string bytes = saving::read_file(std::string(XKERAS_SOURCE_DIR) + "/tests/data/zip/deflated.zip");
  zip::Reader r(bytes, "deflated.zip");
  CHECK(r.names() == std::vector<std::string>{"config.json", "metadata.json", "model.weights.h5"});
  CHECK(r.read("metadata.json", 1000) == "{\"keras_version\": \"3.8.0\", \"date_saved\": \"2025-01-01@00:00:00\"}");
  const std::string w = r.read("model.weights.h5", 1 << 20);
  REQUIRE(w.size() == 100000);
  for (std::size_t i = 0; i < w.size(); ++i)
    if (w[i] != char('a' + i % 3)) FAIL("byte " << i << " differs");
}

TEST_CASE("zip archive: damaged archives and lying sizes are refused") {
  const std::string good = zip::write({{"config.json", std::string(1000, 'x')}});
  CHECK_THROWS_WITH(zip::Reader("PK\3\4 no more", "bad.keras"), Catch::Contains("bad.keras") && Catch::Contains("not a readable ZIP"));
  CHECK_THROWS_AS(zip::Reader(good.substr(0, good.size() - 10), "cut.keras"), ConfigError);
  // A stored member claiming 2 GiB from 1000 stored bytes (both headers agree, so only the size check stops it).
  std::string lying = good;
  set_u32(lying, 22, 0x7fffffff);
  set_u32(lying, central_entry(lying) + 24, 0x7fffffff);
  try {
    zip::Reader r(lying, "lying.keras");
    CHECK_THROWS_WITH(r.read("config.json", std::size_t(1) << 32), Catch::Contains("more than its compression can give"));
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::Contains("lying.keras"));  // libzip's consistency check found it first
  }
  // A flipped data byte fails the CRC check.
  std::string flipped = good;
  flipped[good.find("xxxx") + 10] = 'y';
  zip::Reader r(flipped, "crc.keras");
  CHECK_THROWS_WITH(r.read("config.json", 10000), Catch::Contains("damaged"));
}
