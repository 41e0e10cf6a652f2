// Options and results of Model::fit / evaluate.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "xkeras/tensor.hpp"

namespace xkeras {

/// (x, y) for validation; several inputs/outputs are vectors.
struct ValidationData {
  Tensors x;
  Tensors y;
};

struct FitOptions {
  int epochs = 1;
  int batch_size = 32;
  double validation_split = 0.0;
  std::optional<ValidationData> validation_data;
  bool shuffle = true;
  int verbose = 1;  // 0 silent, 1 progress bar, 2 one line per epoch
  int initial_epoch = 0;
};

/// What fit returns: per-key values per epoch, keys in Keras's order (loss, metrics, val_*).
struct History {
  std::vector<std::string> keys;
  std::map<std::string, std::vector<double>> history;
  std::vector<int> epoch;
  nlohmann::json params;  // {"verbose", "epochs", "steps"}

  const std::vector<double>& operator[](const std::string& key) const;
};

}  // namespace xkeras
