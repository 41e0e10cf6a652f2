// JSON helpers shared by the model writer and reader: an insertion-ordered JSON type for the
// files we write (Keras's key order), bounded parsing, and short value renderings for messages.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "xkeras/config.hpp"  // xkeras::json
#include "xkeras/tensor.hpp"

namespace xkeras::saving {

/// What we write: keys stay in insertion order, so objects come out in Keras's order.
using ojson = nlohmann::ordered_json;

// Limits that keep a hostile file from exhausting the stack or memory.
inline constexpr int kMaxJsonDepth = 512;          // brackets, anywhere in a document
inline constexpr int kMaxModelNesting = 32;        // models inside models
inline constexpr std::size_t kMaxLayers = 100000;  // layer entries per model
inline constexpr std::size_t kMaxNodes = 10000;    // calls of one layer, or inputs of one call
inline constexpr std::size_t kMaxFileBytes = std::size_t(1) << 32;

/// Converts to the ordered type (keeps whatever order `j` iterates in).
ojson ordered(const json& j);

/// "a.b" / "b" when `prefix` is empty: JSON paths for error messages.
std::string join_path(const std::string& prefix, const std::string& key);
std::string index_path(const std::string& prefix, std::size_t i);

using xkeras::shown;  // a value shown in an error message (config.hpp)

/// Parses a whole document. Rejects nesting deeper than kMaxJsonDepth before parsing (the parser
/// is iterative, but dump() and our walkers recurse). ConfigError(source, ...) on any problem.
json parse_document(const std::string& text, const std::string& source);

/// [null, 4] for (None, 4).
ojson shape_json(const TensorShape& s);

/// Reads a non-negative integer no larger than `max`; ConfigError(path) otherwise.
std::size_t get_index(const json& j, const std::string& path, std::size_t max);
/// Reads a string; ConfigError(path) otherwise.
const std::string& get_string(const json& j, const std::string& path);
/// The member `key` of object `obj` (which must be an object), or ConfigError "missing".
const json& member(const json& obj, const char* key, const std::string& obj_path);

}  // namespace xkeras::saving
