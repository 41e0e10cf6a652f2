// Character vocabularies over Unicode code points: a character-level model must not split a
// UTF-8 character into bytes it could then sample in an invalid order.
#include <algorithm>
#include <cstdio>

#include "xkeras/datasets.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::datasets {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

std::string char_str(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  if (c >= 0x20 && c != 0x7F) return "'" + utf8_encode(std::u32string(1, c)) + "' (" + buf + ")";
  return buf;
}

}  // namespace

std::u32string utf8_decode(const std::string& text) {
  std::u32string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char b = s[i];
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    }
    // The lead byte gives the length, its payload bits and the smallest value that length may encode.
    std::size_t len = 0;
    char32_t c = 0, min = 0;
    if ((b & 0xE0) == 0xC0) {
      len = 2, c = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3, c = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4, c = b & 0x07, min = 0x10000;
    }
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      ok = (s[i + k] & 0xC0) == 0x80;
      c = (c << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    ok = ok && c >= min && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
    out.push_back(ok ? c : kReplacement);
    i += ok ? len : 1;  // after a bad byte, resynchronize at the next one
  }
  return out;
}

std::string utf8_encode(const std::u32string& chars) {
  std::string out;
  out.reserve(chars.size());
  for (char32_t c : chars) {
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = kReplacement;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

CharVocabulary::CharVocabulary(const std::string& text) {
  chars_ = utf8_decode(text);
  std::sort(chars_.begin(), chars_.end());
  chars_.erase(std::unique(chars_.begin(), chars_.end()), chars_.end());
  for (std::size_t i = 0; i < chars_.size(); ++i) index_.emplace(chars_[i], static_cast<std::int32_t>(i));
}

std::vector<std::int32_t> CharVocabulary::encode(const std::string& text) const {
  const std::u32string chars = utf8_decode(text);
  std::vector<std::int32_t> ids;
  ids.reserve(chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) {
    const auto it = index_.find(chars[i]);
    if (it == index_.end())
      throw ValueError("CharVocabulary::encode: the character " + char_str(chars[i]) + " at position " +
                       std::to_string(i) + " is not in the vocabulary of " + std::to_string(size()) + " characters");
    ids.push_back(it->second);
  }
  return ids;
}

std::string CharVocabulary::decode(const std::vector<std::int32_t>& ids) const {
  std::u32string chars;
  chars.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || static_cast<std::size_t>(ids[i]) >= size())
      throw ValueError("CharVocabulary::decode: id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                       " is outside [0, " + std::to_string(size()) + ")");
    chars.push_back(chars_[static_cast<std::size_t>(ids[i])]);
  }
  return utf8_encode(chars);
}

}  // namespace xkeras::datasets
