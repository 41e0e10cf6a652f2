// The facts the visualization tests check in a written picture: PNG signature and IHDR size.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

namespace xkeras::testing {

inline std::string file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

struct PngSize {
  bool valid = false;  // the 8-byte signature, then an IHDR chunk of length 13
  std::uint32_t width = 0, height = 0;
};

inline PngSize png_size(const std::string& bytes) {
  PngSize s;
  if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n", 8) != 0) return s;
  auto be32 = [&](std::size_t at) {
    return std::uint32_t(std::uint8_t(bytes[at])) << 24 | std::uint32_t(std::uint8_t(bytes[at + 1])) << 16 |
           std::uint32_t(std::uint8_t(bytes[at + 2])) << 8 | std::uint32_t(std::uint8_t(bytes[at + 3]));
  };
  if (be32(8) != 13 || bytes.compare(12, 4, "IHDR") != 0) return s;
  s.valid = true;
  s.width = be32(16);
  s.height = be32(20);
  return s;
}

}  // namespace xkeras::testing
