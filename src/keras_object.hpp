// The Keras object forms shared by initializers, regularizers and constraints: a name, or
// {"module", "class_name", "config", "registered_name"} (tf.keras: {"class_name", "config"}).
#pragma once

#include <string>
#include <utility>

#include "xkeras/errors.hpp"
#include "xkeras/json.hpp"

namespace xkeras::detail {

/// (class name or plain name, config object) of `j`; `what` names the kind in error messages.
inline std::pair<std::string, json> read_keras_object(const json& j, const std::string& path, const char* what) {
  if (j.is_string()) return {j.get<std::string>(), json::object()};
  if (!j.is_object() || !j.contains("class_name") || !j["class_name"].is_string())
    throw ConfigError(path, std::string("expected the ") + what + "'s name or {\"class_name\": ..., \"config\": {...}}, got " +
                                j.dump().substr(0, 60));
  json cfg = json::object();
  if (j.contains("config") && !j["config"].is_null()) {
    if (!j["config"].is_object())
      throw ConfigError(path + ".config", "expected an object, got " + j["config"].dump().substr(0, 60));
    cfg = j["config"];
  }
  return {j["class_name"].get<std::string>(), cfg};
}

/// The Keras 3 object of a built-in class in `module` ("keras.regularizers", ...).
inline json keras_object(const char* module, const std::string& class_name, json config) {
  return json{{"module", module}, {"class_name", class_name}, {"config", std::move(config)}, {"registered_name", nullptr}};
}

}  // namespace xkeras::detail
