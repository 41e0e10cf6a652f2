#include "xkeras/errors.hpp"

namespace xkeras {

namespace {
std::string listing(const std::vector<ConfigError>& problems) {
  if (problems.empty()) return "no problems";
  if (problems.size() == 1) return problems[0].what();
  std::string s = std::to_string(problems.size()) + " problems:";
  for (const auto& p : problems) s += "\n  " + std::string(p.what());
  return s;
}
}  // namespace

// path() is the first problem's, so code that reads it sees the first problem as before.
ConfigErrors::ConfigErrors(std::vector<ConfigError> problems)
    : ConfigError(problems.empty() ? std::string() : problems[0].path(), listing(problems), Verbatim{}),
      problems_(std::move(problems)) {}

}  // namespace xkeras
