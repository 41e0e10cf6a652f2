// Model::save("m.h5"): the legacy HDF5 file as tf.keras 2.x writes it (save_model_to_hdf5,
// keras_reference_layers2.md §13.2), which tf.keras, Keras 3 and xkeras read:
//   /                 keras_version, backend, model_config (tf.keras layout), training_config (when compiled)
//   /model_weights    layer_names (model.layers order), keras_version, backend
//   /model_weights/<layer>  weight_names; datasets "<layer>/<weight>:0" (tf.keras's variable names)
//   /optimizer_weights  when compiled and trained: tf.keras 2.11+'s names, "iteration:0", "Adam/m/dense/kernel:0"
#include <map>
#include <set>
#include <string>
#include <vector>

#include "models/compiled_state.hpp"
#include "optimizers/array_codec.hpp"
#include "saving/atomic_write.hpp"
#include "saving/formats.hpp"
#include "saving/legacy_h5.hpp"
#include "saving/model_json.hpp"
#include "saving/tfjs.hpp"
#include "saving/tfjs_names.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving {

namespace {

// tf.keras's model_metadata()["training_config"]: the compile arguments with the optimizer under
// "optimizer_config" as {class_name, config}.
ojson training_config(const CompiledState& state) {
  json c;
  try {
    c = compile_config(state);
  } catch (const NotImplementedError&) {
    return nullptr;  // the optimizer or a loss cannot describe itself: saved uncompiled
  }
  if (!c.is_object() || !c.contains("optimizer") || !c["optimizer"].is_object()) return nullptr;
  ojson out;
  for (const char* key : {"loss", "metrics", "weighted_metrics", "loss_weights"})
    out[key] = c.contains(key) ? ordered(c[key]) : ojson(nullptr);
  ojson opt;
  opt["class_name"] = c["optimizer"].value("class_name", "");
  opt["config"] = c["optimizer"].contains("config") ? ordered(c["optimizer"]["config"]) : ojson::object();
  out["optimizer_config"] = std::move(opt);
  return out;
}

void write_weight(h5::Group& layer_group, const std::string& name, const Variable& v) {
  // A weight name "a/b/c:0" is the dataset c:0 in the groups a/b (h5py makes them the same way).
  const auto slash = name.rfind('/');
  if (slash == std::string::npos) return layer_group.write_floats(name, v.shape(), v.value.data());
  h5::Group g = layer_group.create_group(name.substr(0, slash));
  g.write_floats(name.substr(slash + 1), v.shape(), v.value.data());
}

// One group per layer, named after it, with weight_names in layer.weights() order (what loading by
// topology pairs positionally). Names are tf.keras's: "<layer>/<weight>:0", recurrent weights in their
// cell's scope, a nested model's weights under their own layers' names.
void write_layer(h5::Group& root, const Layer& layer, std::map<const Variable*, std::string>& names_of) {
  h5::Group g = root.create_group(layer.name());
  WeightNames names(layer);
  std::vector<std::string> written;
  std::set<std::string> used;
  for (const auto& [var, base] : names.written()) {
    std::string name = base + ":0";
    for (int k = 1; !used.insert(name).second; ++k) name = base + "_" + std::to_string(k) + ":0";
    write_weight(g, name, *var);
    written.push_back(name);
    names_of.emplace(var, name);
  }
  legacy::write_string_list(g, "weight_names", written);
}

// xkeras's slot names (Keras 3's) -> tf.keras's.
std::string tf_slot(const std::string& cls, const std::string& slot) {
  if (cls == "Adam") return slot == "momentum" ? "m" : slot == "velocity" ? "v" : slot == "velocity_hat" ? "vhat" : "";
  if (cls == "RMSprop") return slot == "velocity" ? "rms" : slot == "momentum" ? "momentum" : slot == "average_gradient" ? "mg" : "";
  if (cls == "SGD") return slot == "momentum" ? "momentum" : "";
  return "";
}

// The optimizer's state as tf.keras 2.11+ writes it: "iteration:0", then per trainable weight its slots,
// "Adam/m/<weight name>" (legacy_optimizer_weights.cpp reads it back by these names). Written only when
// every trainable weight has every slot under a name no other weight shares; otherwise nothing is written
// and the model reloads with a fresh optimizer.
void write_optimizer(h5::File& file, const ModelImpl& model, const std::map<const Variable*, std::string>& names_of) {
  auto& opt = model.compiled()->optimizer;
  json state;
  try {
    state = opt->get_state();
  } catch (const std::exception&) {
    return;  // two weights share a path: the state cannot be keyed
  }
  const std::string cls = opt->class_name();
  const auto slots = opt->slot_names();
  std::set<std::string> seen;
  for (const auto& [v, name] : names_of)
    if (!seen.insert(name).second) return;
  struct Entry {
    std::string name;
    Array value;
  };
  std::vector<Entry> entries;
  for (const auto& v : model.trainable_weights()) {
    auto n = names_of.find(v.get());
    const auto vs = state["variables"].find(v->path());
    if (n == names_of.end() || vs == state["variables"].end()) return;
    for (const auto& slot : slots) {
      if (tf_slot(cls, slot).empty() || !vs->contains(slot)) return;
      entries.push_back({cls + "/" + tf_slot(cls, slot) + "/" + n->second, array_codec::decode((*vs)[slot], slot)});
    }
  }
  h5::Group og = file.create_group("optimizer_weights");
  const std::int64_t iterations = state.value("iterations", std::int64_t(0));
  og.write_ints("iteration:0", Shape{}, &iterations);
  std::vector<std::string> names{"iteration:0"};
  for (const auto& e : entries) {
    const auto slash = e.name.rfind('/');
    og.create_group(e.name.substr(0, slash)).write_floats(e.name.substr(slash + 1), to_shape(e.value), e.value.data());
    names.push_back(e.name);
  }
  legacy::write_string_list(og, "weight_names", names);
}

}  // namespace

void save_legacy_h5(const ModelImpl& model, const std::string& path) {
  // The whole file is made in memory first: a model that cannot be written never touches the file.
  const ojson config = to_keras2_layout(model_object(model, false));
  std::set<std::string> seen;
  for (const auto& l : model.layers())
    if (!seen.insert(l->name()).second)
      throw ValueError("Model \"" + model.name() + "\" cannot be saved as \"" + path + "\": two layers are named \"" +
                       l->name() + "\", and the legacy .h5 layout stores each layer's weights under its name");
  const std::string version = "xkeras " + std::string(XKERAS_VERSION_STRING);
  h5::File file = h5::File::create(path);
  file.set_attr_string("keras_version", version);
  file.set_attr_string("backend", "tensorflow");
  file.set_attr_string("model_config", config.dump(-1, ' ', false, ojson::error_handler_t::replace));
  if (model.compiled()) {
    const ojson tc = training_config(*model.compiled());
    if (!tc.is_null()) file.set_attr_string("training_config", tc.dump(-1, ' ', false, ojson::error_handler_t::replace));
  }
  h5::Group weights = file.create_group("model_weights");
  std::vector<std::string> layer_names;
  std::map<const Variable*, std::string> names_of;
  for (const auto& l : model.layers()) {
    write_layer(weights, *l, names_of);
    layer_names.push_back(l->name());
  }
  legacy::write_string_list(weights, "layer_names", layer_names);
  weights.set_attr_string("backend", "tensorflow");
  weights.set_attr_string("keras_version", version);
  if (model.compiled() && file.has_attr("training_config")) write_optimizer(file, model, names_of);
  atomic_write(path, file.image());
}

}  // namespace xkeras::saving
