// Which curves plot_history draws: the History's keys grouped into one panel per metric.
#pragma once

#include <string>
#include <vector>

#include "xkeras/training.hpp"

namespace xkeras::visualization {

/// One line: points (epoch, value), NaN and Inf values included (the drawing skips them).
struct Curve {
  std::string key;  // the History key: "loss", "val_loss"
  bool validation = false;
  std::vector<double> epochs;  // 1-based
  std::vector<double> values;
};

struct Panel {
  std::string metric;  // "loss", "accuracy" (the key without "val_")
  std::vector<Curve> curves;  // the training curve first, then the validation one (either may be absent)
};

/// "loss" first, then the other metrics in the History's key order; "val_<m>" joins the panel of <m>,
/// or gets its own when the History has no <m>. ValueError when the History has no epochs.
std::vector<Panel> history_panels(const History& history);

}  // namespace xkeras::visualization
