// Data keyed by input and output layer names (Keras's dicts) put in the model's order; the named
// fit/evaluate/predict/train_on_batch overloads (model.hpp) then run the positional ones.
#include <algorithm>

#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras {

namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "\"" : ", \"") + n + "\"";
  return "[" + out + "]";
}

Tensors by_name(const ModelImpl& m, const NamedTensors& data, const std::vector<std::string>& names, const std::string& what) {
  Tensors out;
  for (const auto& n : names) {
    auto it = data.find(n);
    if (it == data.end())
      throw ValueError("Model \"" + m.name() + "\": the " + what + " have no entry for \"" + n + "\"; expected the keys " +
                       quoted_list(names));
    out.push_back(it->second);
  }
  for (const auto& [k, v] : data)
    if (std::find(names.begin(), names.end(), k) == names.end())
      throw ValueError("Model \"" + m.name() + "\": the " + what + " have the key \"" + k + "\", which names no " +
                       (what == "inputs" ? "input" : "output") + " of the model; expected the keys " + quoted_list(names));
  return out;
}

std::vector<std::string> layer_names(const ModelImpl& m, const KerasTensors& ts, const std::string& what) {
  if (!m.has_graph())
    throw ValueError("Model \"" + m.name() + "\": data keyed by name needs a built model with named " + what +
                     " (give the Sequential an Input first)");
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(t.layer().name());
  return out;
}

}  // namespace

Tensors Model::inputs_by_name(const NamedTensors& x) const {
  return by_name(*ptr_, x, layer_names(*ptr_, ptr_->inputs(), "inputs"), "inputs");
}

Tensors Model::targets_by_name(const NamedTensors& y) const {
  return by_name(*ptr_, y, layer_names(*ptr_, ptr_->outputs(), "outputs"), "targets");
}

}  // namespace xkeras
