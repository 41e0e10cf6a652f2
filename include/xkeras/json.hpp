// The JSON type of every config and file. Ordered, so configs keep Keras's key order
// (name, trainable, dtype, then the layer's own keys) when written.
#pragma once

#include <nlohmann/json.hpp>

namespace xkeras {
using json = nlohmann::ordered_json;
}  // namespace xkeras
