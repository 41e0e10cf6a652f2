// load_model("model.json") of a TensorFlow.js layers model: the topology under "modelTopology" (tfjs's
// own {"class_name", "config", "keras_version", "backend"}, or the converter's {"model_config": ...}
// wrapper) and the weights that "weightsManifest" places in its binary shards, matched by name.
#include <set>

#include "keras_dialect.hpp"
#include "load_budget.hpp"
#include "saving/model_json.hpp"
#include "saving/tfjs.hpp"
#include "saving/tfjs_names.hpp"
#include "saving/tfjs_weights.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

namespace {

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// Nothing is written into the model before every entry has found its weight with the right shape.
void assign_weights(ModelImpl& model, const TfjsManifest& m, const std::vector<std::string>& buffers) {
  WeightNames names(model);
  std::map<Variable*, const TfjsEntry*> chosen;
  for (const auto& e : m.entries) {
    if (e.optimizer) continue;  // tfjs-layers' includeOptimizer state: not a model weight
    bool ambiguous = false;
    Variable* v = names.find(e.name, ambiguous);
    if (ambiguous)
      throw ConfigError(e.json_path + ".name", "the weight name \"" + e.name + "\" fits several weights of the model");
    if (!v) throw ConfigError(e.json_path + ".name", "the model has no weight named \"" + e.name + "\"");
    if (v->shape() != e.shape)
      throw ConfigError(e.json_path + ".shape", "weight \"" + e.name + "\" has shape " + shape_str(v->shape()) +
                                                    " in the model, but the manifest gives " + shape_str(e.shape));
    auto [it, fresh] = chosen.emplace(v, &e);
    if (!fresh) throw ConfigError(e.json_path + ".name", "weight \"" + e.name + "\" is given twice (also " + it->second->json_path + ")");
  }
  std::vector<std::string> missing;
  for (const auto& [v, name] : names.written())
    if (!chosen.count(v)) missing.push_back(name + " " + shape_str(v->shape()));
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < 8; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 8) list += ", ...";
    throw ConfigError("weightsManifest", std::to_string(missing.size()) + " weight(s) of the model are not in the manifest: " + list);
  }
  for (const auto& [v, e] : chosen) decode_tfjs_entry(*e, buffers.at(e->group), v->value.data());
}

}  // namespace

Model load_tfjs(const json& doc, const std::string& path) {
  if (doc.contains("format") && !doc["format"].is_null() && doc["format"] != "layers-model") {
    if (doc["format"] == "graph-model")
      throw ConfigError("format", "this is a TensorFlow.js graph model (a converted SavedModel of TensorFlow ops), not a "
                                  "layers model; xkeras reads layers models (tf.LayersModel.save, or the converter's "
                                  "keras output)");
    throw ConfigError("format", "expected \"layers-model\", got " + shown(doc["format"]));
  }
  const json& topology = member(doc, "modelTopology", "");
  if (!topology.is_object()) throw ConfigError("modelTopology", "expected an object, got " + shown(topology));
  json wrapped;
  const json* model_obj = &topology;
  std::string prefix = "modelTopology";
  if (topology.contains("model_config")) {
    prefix = "modelTopology.model_config";
    const json& mc = topology["model_config"];
    if (mc.is_string()) wrapped = parse_document(mc.get<std::string>(), prefix);
    model_obj = mc.is_string() ? &wrapped : &mc;
  }
  const TfjsManifest manifest = parse_tfjs_manifest(doc.contains("weightsManifest") ? doc["weightsManifest"] : json::array());
  // The shards are checked against the manifest and read before any layer exists, so the layers may
  // create no more weight values than the files hold.
  const std::vector<std::string> buffers = read_tfjs_shards(manifest, folder_of(path));
  detail::DialectScope dialect(detail::dialect_of(topology));
  detail::LoadBudget budget(manifest.total_values, false);
  Model model(model_from_object(*model_obj, prefix));
  assign_weights(*model.get(), manifest, buffers);
  return model;
}

}  // namespace xkeras::saving
