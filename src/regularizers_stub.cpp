// STUB FILE: regularizers and constraints are to be written (issue 3). Only "none" works.
#include "xkeras/errors.hpp"
#include "xkeras/regularizers.hpp"

namespace xkeras {
Regularizer::Regularizer(const char* name) : Regularizer(std::string(name)) {}
Regularizer::Regularizer(const std::string& name) { throw NotImplementedError("regularizer " + name); }
json Regularizer::to_json() const { return nullptr; }
Regularizer Regularizer::from_json(const json& j, const std::string& path) {
  if (j.is_null()) return {};
  throw ConfigError(path, "regularizers are not supported yet");
}
Constraint::Constraint(const char* name) : Constraint(std::string(name)) {}
Constraint::Constraint(const std::string& name) { throw NotImplementedError("constraint " + name); }
json Constraint::to_json() const { return nullptr; }
Constraint Constraint::from_json(const json& j, const std::string& path) {
  if (j.is_null()) return {};
  throw ConfigError(path, "constraints are not supported yet");
}
}  // namespace xkeras
