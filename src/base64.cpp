#include "base64.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

#include <openssl/evp.h>

#include "xkeras/errors.hpp"

namespace xkeras::base64 {

namespace {

// EVP_*Block take int lengths: work in chunks of whole 3-byte / 4-character groups.
constexpr std::size_t kChunkGroups = 1 << 16;
constexpr std::size_t kChunkBytes = 3 * kChunkGroups;
constexpr std::size_t kChunkChars = 4 * kChunkGroups;

constexpr bool kLittleEndian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

// Floats as little-endian bytes: a view on little-endian hosts, a swapped copy otherwise.
void to_le_bytes(const float* data, std::size_t n, std::vector<unsigned char>& buf, const unsigned char*& bytes) {
  if constexpr (kLittleEndian) {
    bytes = reinterpret_cast<const unsigned char*>(data);
  } else {
    buf.resize(4 * n);
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t u;
      std::memcpy(&u, data + i, 4);
      for (int b = 0; b < 4; ++b) buf[4 * i + b] = static_cast<unsigned char>(u >> (8 * b));
    }
    bytes = buf.data();
  }
}

bool is_b64(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

std::size_t base64_length(std::size_t nbytes) { return 4 * ((nbytes + 2) / 3); }

std::string encode_floats(const float* data, std::size_t n) {
  std::vector<unsigned char> swapped;
  const unsigned char* bytes = nullptr;
  to_le_bytes(data, n, swapped, bytes);
  const std::size_t nbytes = 4 * n, total = base64_length(nbytes);
  // +1: EVP_EncodeBlock writes a NUL after each chunk (overwritten by the next one).
  std::string out(total + 1, '\0');
  std::size_t written = 0;
  for (std::size_t off = 0; off < nbytes; off += kChunkBytes) {
    const std::size_t len = std::min(kChunkBytes, nbytes - off);
    written += static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[written]), bytes + off,
                                                        static_cast<int>(len)));
  }
  out.resize(written);
  return out;
}

void check_base64_size(const std::string& text, std::size_t nbytes, const std::string& path) {
  const std::size_t want = base64_length(nbytes);
  if (text.size() != want)
    throw ConfigError(path, "expected " + std::to_string(want) + " base64 characters (" + std::to_string(nbytes) +
                                " bytes of float32 data), got " + std::to_string(text.size()));
  const std::size_t pad = (3 - nbytes % 3) % 3;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool in_pad = i >= text.size() - pad;
    if (in_pad ? text[i] != '=' : !is_b64(text[i]))
      throw ConfigError(path, "invalid base64 character '" + std::string(1, text[i]) + "' at offset " + std::to_string(i) +
                                  (in_pad ? " (expected '=' padding: " + std::to_string(pad) + " for " +
                                                std::to_string(nbytes) + " bytes)"
                                          : " (expected A-Z, a-z, 0-9, '+' or '/')"));
  }
}

void decode_floats(const std::string& text, float* out, std::size_t n, const std::string& path) {
  const std::size_t nbytes = 4 * n;
  check_base64_size(text, nbytes, path);
  std::vector<unsigned char> buf(std::min(kChunkBytes, 3 * (text.size() / 4)));
  unsigned char* dst = reinterpret_cast<unsigned char*>(out);
  std::size_t done = 0;
  for (std::size_t off = 0; off < text.size(); off += kChunkChars) {
    const std::size_t len = std::min(kChunkChars, text.size() - off);
    const int got = EVP_DecodeBlock(buf.data(), reinterpret_cast<const unsigned char*>(text.data() + off),
                                    static_cast<int>(len));
    // The decoder counts padding characters as zero bytes: 3 bytes per 4 characters.
    if (got != static_cast<int>(3 * (len / 4))) throw ConfigError(path, "invalid base64 data");
    const std::size_t take = std::min(static_cast<std::size_t>(got), nbytes - done);
    std::memcpy(dst + done, buf.data(), take);
    done += take;
  }
  if (done != nbytes) throw ConfigError(path, "invalid base64 data: decoded " + std::to_string(done) + " bytes");
  if constexpr (!kLittleEndian) {
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t u = 0;
      for (int b = 0; b < 4; ++b) u |= std::uint32_t(dst[4 * i + b]) << (8 * b);
      std::memcpy(out + i, &u, 4);
    }
  }
}

}  // namespace xkeras::base64
