// Optimizer slot arrays in JSON: {"shape": [...], "data": "<base64 float32>"}, with the same
// base64 codec as the weights (src/base64.hpp).
#pragma once

#include <string>

#include "xkeras/json.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::array_codec {

json encode(const Array& a);
/// Throws ConfigError naming `path` for a bad shape or data.
Array decode(const json& j, const std::string& path);

}  // namespace xkeras::array_codec
