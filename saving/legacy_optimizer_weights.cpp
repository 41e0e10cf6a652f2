// A legacy .h5's "optimizer_weights", restored only where every name says which slot of which weight
// it is: tf.keras 2.2-2.10's OptimizerV2 ("Adam/iter:0", "Adam/dense/kernel/m:0"), tf.keras 2.11+'s
// optimizers ("iteration:0", "Adam/m/dense/kernel:0") and Keras 3.8+'s ("adam/iteration",
// "adam/sequential_dense_kernel_momentum" for the weight "sequential/dense/kernel"), for the optimizers
// xkeras has (Adam, RMSprop, SGD). Anything else (Keras 2.0's "Variable_28:0", Keras 3.2's names whose
// weights are called "kernel" alone, a name that fits no weight, a missing slot) leaves the optimizer
// fresh, with a warning: a half-restored state would train worse than a fresh one.
#include <cctype>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "models/compiled_state.hpp"
#include "optimizers/array_codec.hpp"
#include "saving/legacy_h5.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving::legacy {

namespace {

// tf.keras's slot names -> xkeras's (which are Keras 3's).
std::string xkeras_slot(const std::string& cls, const std::string& tf_slot) {
  if (cls == "Adam") return tf_slot == "m" ? "momentum" : tf_slot == "v" ? "velocity" : tf_slot == "vhat" ? "velocity_hat" : "";
  if (cls == "RMSprop")
    return tf_slot == "rms" ? "velocity" : tf_slot == "momentum" ? "momentum" : tf_slot == "mg" ? "average_gradient" : "";
  if (cls == "SGD") return tf_slot == "momentum" ? "momentum" : "";
  return "";
}

struct Slot {
  Variable* var = nullptr;
  std::string slot;
};

// "Adam/dense/kernel/m:0" or "Adam/m/dense/kernel:0" -> the weight and xkeras's slot name.
Slot parse_slot(const std::string& name, const std::string& cls, const std::map<std::string, Variable*>& weights) {
  const std::string tail = ":0";
  if (name.size() < tail.size() || name.compare(name.size() - tail.size(), tail.size(), tail) != 0) return {};
  const std::string body = name.substr(0, name.size() - tail.size());
  if (body.rfind(cls + "/", 0) != 0) return {};
  const std::string rest = body.substr(cls.size() + 1);
  const auto last = rest.rfind('/'), first = rest.find('/');
  if (last == std::string::npos) return {};
  // OptimizerV2: <var>/<slot>
  if (auto it = weights.find(rest.substr(0, last) + tail); it != weights.end() && it->second) {
    const std::string s = xkeras_slot(cls, rest.substr(last + 1));
    if (!s.empty()) return {it->second, s};
  }
  // tf.keras 2.11+: <slot>/<var>
  if (auto it = weights.find(rest.substr(first + 1) + tail); it != weights.end() && it->second) {
    const std::string s = xkeras_slot(cls, rest.substr(0, first));
    if (!s.empty()) return {it->second, s};
  }
  return {};
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Keras 3: "<optimizer name>/<weight path with '_' for '/'>_<slot>", the slot names being xkeras's.
Slot parse_keras3_slot(const std::string& name, const std::string& cls, const std::vector<std::string>& slots,
                       const std::map<std::string, Variable*>& flat) {
  std::string rest = name;
  if (rest.rfind(lower(cls) + "/", 0) == 0) rest = rest.substr(cls.size() + 1);
  for (const auto& slot : slots) {
    const std::string tail = "_" + slot;
    if (rest.size() <= tail.size() || rest.compare(rest.size() - tail.size(), tail.size(), tail) != 0) continue;
    if (auto it = flat.find(rest.substr(0, rest.size() - tail.size())); it != flat.end() && it->second)
      return {it->second, slot};
  }
  return {};
}

bool is_iterations(const std::string& name, const std::string& cls) {
  return name == cls + "/iter:0" || name == "iteration:0" || name == cls + "/iteration:0" ||
         name == lower(cls) + "/iteration" || name == "iteration";
}

// Keras 3 keeps the learning rate as a variable too; the training_config already gave it.
bool is_learning_rate(const std::string& name, const std::string& cls) {
  return name == lower(cls) + "/learning_rate" || name == "learning_rate";
}

// Reads dataset `name` (a path) of `g` into an array of `shape`; false if it has another shape.
bool read_array(const h5::Group& g, const std::string& name, const Shape& shape, Array& out) {
  const auto slash = name.rfind('/');
  const h5::Group dir = slash == std::string::npos ? g : g.group(name.substr(0, slash));
  const std::string leaf = name.substr(slash == std::string::npos ? 0 : slash + 1);
  if (dir.dataset_info(leaf).shape != shape) return false;
  out = Array::from_shape(shape);
  dir.read_floats(leaf, out.data(), out.size());
  return true;
}

}  // namespace

void restore_optimizer_weights(ModelImpl& model, const h5::File& file, const std::map<std::string, Variable*>& weights) {
  if (!model.compiled() || !file.has_group("optimizer_weights")) return;
  const h5::Group og = file.group("optimizer_weights");
  const auto names = read_string_list(og, "weight_names");
  auto& opt = model.compiled()->optimizer;
  const std::string cls = opt->class_name();
  const std::string source = og.source() + ": " + og.path();
  const auto give_up = [&](const std::string& why) {
    std::cerr << "WARNING: " << source << ": the optimizer's state is not restored (" << why
              << "); the optimizer starts fresh\n";
  };
  // Keras 3's names of the file's weights ("sequential/dense/kernel" -> "sequential_dense_kernel").
  std::map<std::string, Variable*> flat;
  for (const auto& [name, var] : weights) {
    if (name.find(':') != std::string::npos) continue;
    std::string f = name;
    for (char& c : f)
      if (c == '/') c = '_';
    auto [it, fresh] = flat.emplace(f, var);
    if (!fresh && it->second != var) it->second = nullptr;  // "a/b_c" and "a_b/c": neither for certain
  }
  const auto wanted = opt->slot_names();
  std::int64_t iterations = -1;
  std::map<Variable*, json> slots;
  for (const auto& name : names) {
    if (is_iterations(name, cls)) {
      const auto slash = name.rfind('/');
      const h5::Group dir = slash == std::string::npos ? og : og.group(name.substr(0, slash));
      const std::string leaf = name.substr(slash == std::string::npos ? 0 : slash + 1);
      if (shape_size(dir.dataset_info(leaf).shape) != 1) return give_up("\"" + name + "\" is not one number");
      dir.read_ints(leaf, &iterations, 1);
      continue;
    }
    if (is_learning_rate(name, cls)) continue;
    Slot s = parse_slot(name, cls, weights);
    if (!s.var) s = parse_keras3_slot(name, cls, wanted, flat);
    if (!s.var) return give_up("\"" + name + "\" names no slot of the " + cls + " optimizer for a weight of the model");
    Array a;
    if (!read_array(og, name, s.var->shape(), a))
      return give_up("\"" + name + "\" does not have its weight's shape " + shape_str(s.var->shape()));
    slots[s.var][s.slot] = array_codec::encode(a);
  }
  if (iterations < 0) return give_up("no iteration count");
  json variables = json::object();
  for (const auto& v : model.trainable_weights()) {
    if (wanted.empty()) break;  // SGD without momentum keeps no slots
    auto it = slots.find(v.get());
    if (it == slots.end() || it->second.size() != wanted.size())
      return give_up("weight \"" + v->path() + "\" lacks some of the slots of " + cls);
    variables[v->path()] = std::move(it->second);
  }
  try {
    opt->set_state(json{{"iterations", iterations}, {"variables", std::move(variables)}}, model.trainable_weights(),
                   source);
  } catch (const ConfigError& e) {
    give_up(e.what());
  }
}

}  // namespace xkeras::saving::legacy
