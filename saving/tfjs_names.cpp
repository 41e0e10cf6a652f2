#include "saving/tfjs_names.hpp"

#include <algorithm>
#include <set>

namespace xkeras::saving {

std::string keras2_weight_name(const std::string& class_name, const std::string& weight_name) {
  if ((class_name == "DepthwiseConv2D" || class_name == "DepthwiseConv1D") && weight_name == "kernel") return "depthwise_kernel";
  // Recurrent weights live in the cell: tf.keras >= 2.2 writes "lstm/lstm_cell/kernel" (older files'
  // "lstm_1/kernel" still finds the weight through the layer's own "<layer>/<weight>" key).
  if (class_name == "LSTM") return "lstm_cell/" + weight_name;
  if (class_name == "GRU") return "gru_cell/" + weight_name;
  if (class_name == "SimpleRNN") return "simple_rnn_cell/" + weight_name;
  return weight_name;
}

WeightNames::WeightNames(const Layer& root) {
  for (const auto& sub : root.sublayers()) collect(*sub, "");
  for (const auto& v : root.own_variables()) add(root.name() + "/" + v->name, v.get());
  // The written names, in model.weights() order, each under the scope of the layer that owns it:
  // its name, except inside the wrappers, whose weights tf.keras and tfjs name after the wrapper
  // ("time_distributed/kernel", "bidirectional/forward_lstm/kernel").
  std::map<const Variable*, std::string> owner;
  std::vector<std::pair<const Layer*, std::string>> todo{{&root, root.name()}};
  while (!todo.empty()) {
    const auto [l, scope] = todo.back();
    todo.pop_back();
    for (const auto& v : l->own_variables()) owner.emplace(v.get(), scope + "/" + keras2_weight_name(l->class_name(), v->name));
    for (const auto& s : l->sublayers()) {
      std::string sub = s->name();
      if (l->class_name() == "TimeDistributed") sub = scope;
      if (l->class_name() == "Bidirectional") sub = scope + "/" + s->name();
      todo.emplace_back(s.get(), sub);
    }
  }
  for (const auto& v : root.weights()) written_.emplace_back(v.get(), owner.count(v.get()) ? owner[v.get()] : v->path());
}

void WeightNames::add(const std::string& key, Variable* v) {
  auto& list = keys_[key];
  if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
}

void WeightNames::collect(const Layer& layer, const std::string& prefix) {
  for (const auto& v : layer.own_variables()) {
    for (const std::string& w : {v->name, keras2_weight_name(layer.class_name(), v->name)}) {
      add(layer.name() + "/" + w, v.get());
      if (!prefix.empty()) add(prefix + layer.name() + "/" + w, v.get());
    }
  }
  for (const auto& sub : layer.sublayers()) collect(*sub, prefix + layer.name() + "/");
  // tf.keras and tfjs name a TimeDistributed's weights after the wrapper: "time_distributed/kernel".
  if (layer.class_name() == "TimeDistributed")
    for (const auto& sub : layer.sublayers())
      for (const auto& v : sub->own_variables())
        for (const std::string& w : {v->name, keras2_weight_name(sub->class_name(), v->name)}) {
          add(layer.name() + "/" + w, v.get());
          if (!prefix.empty()) add(prefix + layer.name() + "/" + w, v.get());
        }
}

Variable* WeightNames::find(const std::string& manifest_name, bool& ambiguous) const {
  ambiguous = false;
  std::string name = manifest_name;
  if (const auto colon = name.rfind(':'); colon != std::string::npos) name = name.substr(0, colon);  // "kernel:0"
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = name.find('/', start);
    parts.push_back(name.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::vector<std::string> tries{name};
  if (parts.size() >= 3) {
    tries.push_back(parts[parts.size() - 2] + "/" + parts.back());
    tries.push_back(parts[parts.size() - 3] + "/" + parts.back());
  }
  for (const auto& t : tries) {
    auto it = keys_.find(t);
    if (it == keys_.end()) continue;
    if (it->second.size() == 1) return it->second[0];
    ambiguous = true;
    return nullptr;
  }
  return nullptr;
}

}  // namespace xkeras::saving
