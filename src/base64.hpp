// Base64 of little-endian float32 arrays, through OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock
// (no hand-written codec). Sizes are checked before anything is allocated or written.
#pragma once

#include <cstddef>
#include <string>

namespace xkeras::base64 {

/// Characters of the base64 text of `nbytes` bytes (padding included).
std::size_t base64_length(std::size_t nbytes);

/// Base64 of `n` floats stored as little-endian IEEE float32 (bit-exact, NaNs included).
std::string encode_floats(const float* data, std::size_t n);

/// Decodes exactly `n` floats into `out`. Throws ConfigError(path) when the text is not
/// standard base64 of exactly 4*n bytes (length, alphabet, padding).
void decode_floats(const std::string& text, float* out, std::size_t n, const std::string& path);

/// The checks of decode_floats that need no output buffer: length and padding.
void check_base64_size(const std::string& text, std::size_t nbytes, const std::string& path);

}  // namespace xkeras::base64
