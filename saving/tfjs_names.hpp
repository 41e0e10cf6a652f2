// Which weight of a model a TensorFlow.js manifest name means. tfjs matches weights by name, not by
// position: "<layer name>/<weight name>", where the converter may keep a sub-model's or a cell's scope
// ("model/dense/kernel", "lstm/lstm_cell/kernel"). Keras 2 also named a few weights differently from
// Keras 3 (DepthwiseConv2D's "depthwise_kernel" is Keras 3's "kernel").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "xkeras/layer.hpp"

namespace xkeras::saving {

/// Keras 2's (and TensorFlow.js's) name of a Keras 3 weight of a layer of class `class_name`
/// (recurrent layers: with the cell's scope, "lstm_cell/kernel").
std::string keras2_weight_name(const std::string& class_name, const std::string& weight_name);

/// Every weight of `root` (recursing into sub-models) under each name it may have in a manifest.
class WeightNames {
 public:
  explicit WeightNames(const Layer& root);
  /// The weight a manifest name means: tried whole, then its last two parts, then without its
  /// second-to-last part (tfjs's own fallback for cell scopes). Null if none; `ambiguous` is set
  /// when the name fits several weights.
  Variable* find(const std::string& manifest_name, bool& ambiguous) const;
  /// "<layer>/<Keras 2 weight name>" of each weight, as tfjs writes it (weights() order).
  const std::vector<std::pair<Variable*, std::string>>& written() const { return written_; }

 private:
  void collect(const Layer& layer, const std::string& prefix);
  void add(const std::string& key, Variable* v);
  std::map<std::string, std::vector<Variable*>> keys_;
  std::vector<std::pair<Variable*, std::string>> written_;
};

}  // namespace xkeras::saving
