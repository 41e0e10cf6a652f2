// Python's number formatting, so that CSVLogger's rows and ModelCheckpoint's file names read as Keras
// writes them: str(float) for logged values, str.format's "{name:spec}" fields for file-name patterns.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "xkeras/callbacks.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::callbacks {

// repr(float): the shortest digits that round-trip (to_chars), laid out as Python does: positional
// for decimal exponents in [-4, 16), else d[.ddd]e[+-]XX; integral values keep ".0".
std::string python_float_str(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // "-1.2345e-05"
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  const auto e = sci.find('e');
  std::string digits = sci.substr(0, e);
  const int exp10 = std::stoi(sci.substr(e + 1));
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  if (exp10 < -4 || exp10 >= 16) {
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
    return out + ebuf;
  }
  if (exp10 < 0) return sign + "0." + std::string(static_cast<std::size_t>(-exp10 - 1), '0') + digits;
  const auto int_len = static_cast<std::size_t>(exp10 + 1);
  if (digits.size() <= int_len) return sign + digits + std::string(int_len - digits.size(), '0') + ".0";
  return sign + digits.substr(0, int_len) + "." + digits.substr(int_len);
}

namespace {

// One "{name:spec}" field: spec = [[fill]align][sign][0][width][.precision][type], Python's mini-language
// for numbers without the "," / "_" / "#" options.
std::string format_field(const std::string& name, const std::string& spec, double value, bool is_int,
                         const std::string& pattern) {
  auto bad = [&](const std::string& why) {
    return ValueError("The file name pattern \"" + pattern + "\": field {" + name + ":" + spec + "}: " + why);
  };
  std::size_t i = 0;
  char fill = ' ', align = 0;
  if (spec.size() >= 2 && (spec[1] == '<' || spec[1] == '>' || spec[1] == '^')) {
    fill = spec[0];
    align = spec[1];
    i = 2;
  } else if (!spec.empty() && (spec[0] == '<' || spec[0] == '>' || spec[0] == '^')) {
    align = spec[0];
    i = 1;
  }
  std::string sign;
  if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ')) sign = spec[i++];
  bool zero = false;
  if (i < spec.size() && spec[i] == '0') {
    zero = true;
    ++i;
  }
  int width = 0, precision = -1;
  while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i])) && width < 1000) width = width * 10 + (spec[i++] - '0');
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    precision = 0;
    if (i >= spec.size() || !std::isdigit(static_cast<unsigned char>(spec[i]))) throw bad("expected digits after '.'");
    while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i])) && precision < 100) precision = precision * 10 + (spec[i++] - '0');
  }
  char type = 0;
  if (i < spec.size()) type = spec[i++];
  if (i != spec.size() || width >= 1000 || precision >= 100) throw bad("unsupported format spec");
  std::string body;
  char buf[512];
  const std::string flags = (sign == "-" ? "" : sign);
  switch (type) {
    case 'd':
      if (!is_int) throw bad("'d' needs an integer, and this value is a float (use .Nf)");
      std::snprintf(buf, sizeof buf, ("%" + flags + "lld").c_str(), static_cast<long long>(value));
      body = buf;
      break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
      std::snprintf(buf, sizeof buf, ("%" + flags + "." + std::to_string(precision < 0 ? 6 : precision) + type).c_str(), value);
      body = buf;
      break;
    case '%':
      std::snprintf(buf, sizeof buf, ("%" + flags + "." + std::to_string(precision < 0 ? 6 : precision) + "f").c_str(), value * 100);
      body = std::string(buf) + "%";
      break;
    case 0: case 's':
      if (precision >= 0 && !is_int) {
        std::snprintf(buf, sizeof buf, ("%" + flags + "." + std::to_string(precision) + "g").c_str(), value);
        body = buf;
      } else {
        body = is_int ? std::to_string(static_cast<long long>(value)) : python_float_str(value);
        if (sign == "+" && value >= 0) body = "+" + body;
      }
      break;
    default:
      throw bad(std::string("unsupported type '") + type + "'");
  }
  if (static_cast<int>(body.size()) >= width) return body;
  const std::size_t pad = static_cast<std::size_t>(width) - body.size();
  if (zero && !align) {  // zero padding goes after the sign
    const std::size_t at = (!body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ')) ? 1 : 0;
    return body.substr(0, at) + std::string(pad, '0') + body.substr(at);
  }
  if (!align) align = '>';  // numbers align right
  if (align == '<') return body + std::string(pad, fill);
  if (align == '>') return std::string(pad, fill) + body;
  return std::string(pad / 2, fill) + body + std::string(pad - pad / 2, fill);
}

}  // namespace

std::string python_format(const std::string& pattern,
                          const std::function<std::optional<double>(const std::string&)>& value_of,
                          const std::function<bool(const std::string&)>& is_int) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {  // "{{" and "}}" are literal
      out += c;
      ++i;
      continue;
    }
    if (c == '}') throw ValueError("The file name pattern \"" + pattern + "\" has a single '}' (write \"}}\" for one)");
    if (c != '{') {
      out += c;
      continue;
    }
    const auto close = pattern.find('}', i);
    if (close == std::string::npos) throw ValueError("The file name pattern \"" + pattern + "\" has a '{' without its '}'");
    const std::string field = pattern.substr(i + 1, close - i - 1);
    const auto colon = field.find(':');
    const std::string name = field.substr(0, colon);
    const std::string spec = colon == std::string::npos ? "" : field.substr(colon + 1);
    const auto v = value_of(name);
    if (!v) throw ValueError("The file name pattern \"" + pattern + "\" names {" + name + "}, which is neither \"epoch\" nor a key of the logs");
    out += format_field(name, spec, *v, is_int(name), pattern);
    i = close;
  }
  return out;
}

}  // namespace xkeras::callbacks
