#include "saving/json_util.hpp"

#include <algorithm>

#include "xkeras/errors.hpp"

namespace xkeras::saving {

ojson ordered(const json& j) {
  if constexpr (std::is_same_v<json, ojson>) return j;
  else return ojson(j);
}

std::string join_path(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

std::string index_path(const std::string& prefix, std::size_t i) { return prefix + "[" + std::to_string(i) + "]"; }

namespace {

// One pass over the text, outside strings, counting open brackets.
void check_depth(const std::string& text, const std::string& source) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth)
        throw ConfigError(source, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels (at byte " +
                                      std::to_string(i) + ")");
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

// " at line L, column C" of the text quoted in `what` ('...'), or "" when it cannot be found.
std::string where_quoted(const std::string& text, const std::string& what) {
  const auto open = what.find('\''), close = what.rfind('\'');
  if (open == std::string::npos || close <= open + 1) return "";
  const std::size_t at = text.find(what.substr(open + 1, close - open - 1));
  if (at == std::string::npos) return "";
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  const std::size_t line_start = text.rfind('\n', at);
  const std::size_t column = at - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
  return " at line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

json parse_document(const std::string& text, const std::string& source) {
  check_depth(text, source);
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {  // its message says where (line and column)
    throw ConfigError(source, std::string("invalid JSON: ") + e.what());
  } catch (const json::exception& e) {
    // out_of_range for a number no double can hold ("number overflow parsing '1e400'"): say where it is.
    throw ConfigError(source, std::string("invalid JSON: ") + e.what() + where_quoted(text, e.what()));
  }
}

ojson shape_json(const TensorShape& s) {
  ojson j = ojson::array();
  for (Dim d : s) j.push_back(d < 0 ? ojson(nullptr) : ojson(d));
  return j;
}

std::size_t get_index(const json& j, const std::string& path, std::size_t max) {
  if (!j.is_number_integer() || j.get<long long>() < 0 || static_cast<unsigned long long>(j.get<long long>()) > max)
    throw ConfigError(path, "expected an integer in [0, " + std::to_string(max) + "], got " + shown(j));
  return static_cast<std::size_t>(j.get<long long>());
}

const std::string& get_string(const json& j, const std::string& path) {
  if (!j.is_string()) throw ConfigError(path, "expected a string, got " + shown(j));
  return j.get_ref<const std::string&>();
}

const json& member(const json& obj, const char* key, const std::string& obj_path) {
  if (!obj.is_object()) throw ConfigError(obj_path, "expected an object, got " + std::string(obj.type_name()));
  auto it = obj.find(key);
  if (it == obj.end()) throw ConfigError(join_path(obj_path, key), "missing required key");
  return *it;
}

}  // namespace xkeras::saving
