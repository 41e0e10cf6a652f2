// A Keras 3 model object rewritten in tf.keras 2.x's layout, the one TensorFlow.js reads
// (keras_reference_layers2.md §12.1, keras_reference.md §3): layers lose "module",
// "registered_name" and "build_config"; DTypePolicy objects become dtype strings; an InputLayer's
// "batch_shape" becomes "batch_input_shape"; a functional call {"args": [...], "kwargs": {}} becomes
// the list [[layer, node, tensor, {}], ...]; input_layers/output_layers are lists of triples; Keras 3
// spellings tf.keras 2 did not have go back (LeakyReLU "alpha", activation "swish"). A nested
// model's own construction counts as its node 0 in every tf.keras reference, but only in Keras 3's
// input_layers/output_layers, so references to nested models shift by one.
#include <algorithm>
#include <map>

#include "saving/tfjs.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

namespace {

ojson convert_object(const ojson& obj);

bool is_model_class(const std::string& c) { return c == "Functional" || c == "Model" || c == "Sequential"; }

// tf.keras counts node 0 for a nested Functional and for a Sequential that has its graph (an InputLayer
// entry first); Keras 3 counts it for a Functional only, and only in input_layers/output_layers.
bool sequential_has_graph(const ojson& entry) {
  const ojson& layers = entry["config"]["layers"];
  return layers.is_array() && !layers.empty() && layers[0].value("class_name", "") == "InputLayer";
}

// Configs: dtype policies to strings, initializers/regularizers/constraints without module/registered_name,
// Keras 1/2's meaning of hard_sigmoid under its Keras 2 name.
ojson convert_value(const std::string& key, const ojson& v) {
  if (v.is_object()) {
    if (key == "dtype" && v.contains("config") && v["config"].is_object() && v["config"].contains("name")) return v["config"]["name"];
    ojson out = ojson::object();
    for (const auto& [k, x] : v.items())
      if (k != "module" && k != "registered_name") out[k] = convert_value(k, x);
    return out;
  }
  if (v.is_array()) {
    ojson out = ojson::array();
    for (const auto& x : v) out.push_back(convert_value(key, x));
    return out;
  }
  if (v.is_string() && (key == "activation" || key == "recurrent_activation")) {
    const std::string& a = v.get_ref<const std::string&>();
    if (a == "hard_sigmoid_keras2") return "hard_sigmoid";
    if (a == "silu") return "swish";  // tf.keras 2's name; TensorFlow.js has no "silu"
    if (a == "hard_sigmoid")
      throw NotImplementedError("TensorFlow.js's hard_sigmoid is Keras 2's clip(0.2x + 0.5, 0, 1); Keras 3's "
                                "relu6(x + 3) / 6 has no TensorFlow.js name, so this model cannot be saved for it");
  }
  return v;
}

// Keys tf.keras 2 spelled otherwise: LeakyReLU's slope was "alpha" (TensorFlow.js reads only that and
// would fall back to its 0.3 default).
// A wrapper's inner layer is a whole layer object, converted like any other.
bool is_layer_object(const ojson& v) { return v.is_object() && v.contains("class_name") && v.contains("config"); }

// tf.keras's (and TensorFlow.js's) Bidirectional: `layer` is the original layer (not Keras 3's
// "forward_" copy), then merge_mode; no backward_layer when it is the automatic reversed copy
// (TensorFlow.js builds that copy itself and has no backward_layer argument at all).
ojson bidirectional_config(const ojson& config) {
  const ojson& fwd = config["layer"];
  const ojson& bwd = config["backward_layer"];
  auto strip = [](std::string n, const std::string& p) { return n.rfind(p, 0) == 0 ? n.substr(p.size()) : n; };
  ojson original = fwd;
  const std::string name = strip(fwd["config"].value("name", ""), "forward_");
  original["config"]["name"] = name;
  ojson automatic = original;
  automatic["config"]["name"] = "backward_" + name;
  automatic["config"]["go_backwards"] = true;
  ojson b = bwd;
  b.erase("build_config");
  automatic.erase("build_config");
  if (bwd.is_object() && b != automatic)
    throw NotImplementedError("Bidirectional \"" + config.value("name", "") + "\" has its own backward_layer, which "
                              "TensorFlow.js cannot load (it always builds the reversed copy of `layer` itself)");
  ojson out = ojson::object();
  for (const auto& [k, v] : config.items()) {
    if (k == "merge_mode" || k == "backward_layer") continue;
    out[k] = k == "layer" ? convert_object(original) : convert_value(k, v);
    if (k == "layer") out["merge_mode"] = config.contains("merge_mode") ? config["merge_mode"] : ojson("concat");
  }
  return out;
}

ojson convert_config(const std::string& cls, const ojson& config) {
  if (cls == "Bidirectional" && config.contains("layer") && is_layer_object(config["layer"])) return bidirectional_config(config);
  ojson out = ojson::object();
  for (const auto& [k, v] : config.items()) {
    const bool renamed = cls == "LeakyReLU" && k == "negative_slope";
    out[renamed ? "alpha" : k] = k == "layer" && is_layer_object(v) ? convert_object(v) : convert_value(k, v);
  }
  if (out.contains("batch_shape") && !out.contains("batch_input_shape")) {
    out["batch_input_shape"] = out["batch_shape"];
    out.erase("batch_shape");
  }
  return out;
}

// tf.keras 2 and TensorFlow.js build a MultiHeadAttention from query_shape/key_shape/value_shape in its
// config (Keras 3 keeps them in build_config's shapes_dict) and know none of Keras 3's later keys.
void mha_keras2_config(const ojson& obj, ojson& config) {
  if (config.value("use_gate", false))
    throw NotImplementedError("MultiHeadAttention \"" + config.value("name", std::string()) +
                              "\": use_gate has no tf.keras 2 / TensorFlow.js spelling, so this model cannot be saved for it");
  for (const char* k : {"use_gate", "sliding_window", "seed"}) config.erase(k);
  const auto build = obj.find("build_config");
  if (build == obj.end() || !build->is_object() || !build->contains("shapes_dict")) return;
  const ojson& d = (*build)["shapes_dict"];
  for (const char* k : {"query_shape", "key_shape", "value_shape"})
    config[k] = d.contains(k) ? d[k] : d.contains("value_shape") && std::string(k) == "key_shape" ? d["value_shape"] : ojson();
}

class FunctionalConverter {
 public:
  explicit FunctionalConverter(const ojson& config) : config_(config) {
    for (const auto& e : config["layers"]) {
      const std::string cls = e.value("class_name", "");
      const std::string name = e.value("name", e["config"].value("name", ""));
      legacy_offset_[name] = (cls == "Functional" || cls == "Model" || (cls == "Sequential" && sequential_has_graph(e))) ? 1 : 0;
      k3_io_offset_[name] = (cls == "Functional" || cls == "Model") ? 1 : 0;
    }
  }

  ojson convert() const {
    ojson out = ojson::object();
    for (const auto& [k, v] : config_.items()) {
      if (k == "layers") {
        ojson layers = ojson::array();
        for (const auto& e : v) layers.push_back(layer_entry(e));
        out[k] = std::move(layers);
      } else if (k == "input_layers" || k == "output_layers") {
        out[k] = io_list(v);
      } else {
        out[k] = convert_value(k, v);
      }
    }
    return out;
  }

 private:
  ojson ref(const ojson& history, bool io) const {
    const std::string name = history[0].get<std::string>();
    long node = history[1].get<long>();
    node += offset(legacy_offset_, name) - (io ? offset(k3_io_offset_, name) : 0);
    return ojson::array({name, node, history[2]});
  }
  static long offset(const std::map<std::string, int>& m, const std::string& name) {
    auto it = m.find(name);
    return it == m.end() ? 0 : it->second;
  }
  ojson io_list(const ojson& v) const {
    ojson out = ojson::array();
    if (v.is_array() && !v.empty() && v[0].is_string()) out.push_back(ref(v, true));
    else
      for (const auto& t : v) out.push_back(ref(t, true));
    return out;
  }
  // {"args": [t] | [[t0, t1]] | [t0, t1], "kwargs": {...}} -> [[name, node, tensor, kwargs], ...]
  ojson call(const ojson& node) const {
    ojson tensors = ojson::array();
    const ojson& args = node["args"];
    const ojson& list = args.size() == 1 && args[0].is_array() ? args[0] : args;
    for (const auto& t : list) {
      ojson r = ref(t["config"]["keras_history"], false);
      r.push_back(ojson::object());
      tensors.push_back(std::move(r));
    }
    if (!node.contains("kwargs") || tensors.empty()) return tensors;
    // tf.keras: initial states are extra inbound tensors of the node; other keyword tensors and
    // values sit in the first input's kwargs dict, tensors as [name, node, tensor].
    auto is_tensor = [](const ojson& v) { return v.is_object() && v.value("class_name", "") == "__keras_tensor__"; };
    ojson& first_kwargs = tensors[0][3];
    for (const auto& [key, value] : node["kwargs"].items()) {
      if (key == "initial_state" && value.is_array()) {
        for (const auto& t : value)
          if (is_tensor(t)) tensors.push_back(ref(t["config"]["keras_history"], false)), tensors.back().push_back(ojson::object());
      } else if (is_tensor(value)) {
        first_kwargs[key] = ref(value["config"]["keras_history"], false);
      } else if (!value.is_null()) {
        first_kwargs[key] = value;
      }
    }
    return tensors;
  }
  // tf.keras and TensorFlow.js call MultiHeadAttention(query, value=..., key=...): the value and key
  // go into the query's kwargs dict (TensorFlow.js's apply() requires kwargs.value).
  static ojson mha_call(ojson tensors) {
    static const char* names[] = {"value", "key"};
    for (std::size_t i = 1; i < tensors.size() && i < 3; ++i) {
      ojson r = tensors[i];
      r.erase(3);
      tensors[0][3][names[i - 1]] = std::move(r);
    }
    if (tensors.size() > 1) tensors.erase(tensors.begin() + 1, tensors.begin() + std::min<std::ptrdiff_t>(3, tensors.size()));
    return tensors;
  }
  ojson layer_entry(const ojson& e) const {
    ojson out = convert_object(e);
    if (e.contains("inbound_nodes")) {
      ojson nodes = ojson::array();
      const std::string cls = e.value("class_name", "");
      for (const auto& n : e["inbound_nodes"]) {
        if (!n.is_object()) nodes.push_back(n);
        else nodes.push_back(cls == "MultiHeadAttention" ? mha_call(call(n)) : call(n));
      }
      out["inbound_nodes"] = std::move(nodes);
    }
    return out;
  }

  const ojson& config_;
  std::map<std::string, int> legacy_offset_, k3_io_offset_;
};

ojson convert_object(const ojson& obj) {
  ojson out = ojson::object();
  const std::string cls = obj.value("class_name", "");
  for (const auto& [k, v] : obj.items()) {
    if (k == "module" || k == "registered_name" || k == "build_config" || k == "compile_config") continue;
    if (k == "config" && v.is_object()) {
      if (cls == "Functional" || cls == "Model") out[k] = FunctionalConverter(v).convert();
      else if (cls == "Sequential") {
        ojson c = ojson::object();
        for (const auto& [ck, cv] : v.items()) {
          if (ck != "layers") { c[ck] = convert_value(ck, cv); continue; }
          ojson layers = ojson::array();
          for (const auto& l : cv) layers.push_back(convert_object(l));
          c[ck] = std::move(layers);
        }
        out[k] = std::move(c);
      } else {
        out[k] = convert_config(cls, v);
        if (cls == "MultiHeadAttention") mha_keras2_config(obj, out[k]);
      }
    } else if (k != "inbound_nodes") {
      out[k] = v;
    }
  }
  if (obj.contains("inbound_nodes") && !out.contains("inbound_nodes")) out["inbound_nodes"] = obj["inbound_nodes"];
  return out;
}

}  // namespace

ojson to_keras2_layout(const ojson& model_object) {
  if (!is_model_class(model_object.value("class_name", "")))
    throw ValueError("to_keras2_layout: expected a Sequential or Functional model object");
  return convert_object(model_object);
}

}  // namespace xkeras::saving
