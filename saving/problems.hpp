// Collects the problems of a file's layer entries, so that a file with several problems reports all of
// them (each with its JSON path), not only the first. Nested models contribute their own lists flat.
#pragma once

#include <cstddef>
#include <vector>

#include "xkeras/errors.hpp"

namespace xkeras::saving {

class Problems {
 public:
  /// A file cannot buy unbounded work or message size: past this many, the rest are not collected.
  static constexpr std::size_t kMax = 50;

  void add(const ConfigError& e) {
    if (auto* many = dynamic_cast<const ConfigErrors*>(&e)) {
      for (const auto& p : many->problems()) add(p);
      return;
    }
    if (list_.size() < kMax) list_.push_back(e);
  }
  bool any() const { return !list_.empty(); }
  bool full() const { return list_.size() >= kMax; }
  /// Throws what was collected: the single ConfigError, or ConfigErrors listing them all.
  void throw_if_any() const {
    if (list_.empty()) return;
    if (list_.size() == 1) throw list_[0];
    throw ConfigErrors(list_);
  }

 private:
  std::vector<ConfigError> list_;
};

}  // namespace xkeras::saving
