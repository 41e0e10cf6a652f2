#include "xkeras/errors.hpp"
#include "xkeras/training.hpp"

namespace xkeras {

const std::vector<double>& History::operator[](const std::string& key) const {
  auto it = history.find(key);
  if (it == history.end()) {
    std::string known;
    for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
    throw ValueError("History has no key \"" + key + "\"; its keys are: " + known);
  }
  return it->second;
}

}  // namespace xkeras
