// xkeras's own file format: one JSON file holding the Keras 3 model object, every weight as
// base64 float32 keyed by a path unique in the model, and the optimizer state. Layout:
//   {"format": "xkeras", "format_version": 1,
//    "model": <Model::to_json() object, with compile_config when compiled>,
//    "weights": [{"path": "encoder/dense/kernel", "shape": [784, 64], "dtype": "float32",
//                 "data": "<base64 of little-endian float32, row-major>"}, ...],
//    "optimizer_state": <OptimizerImpl::get_state()>}          (only when compiled)
#include <map>
#include <set>

#include "load_budget.hpp"
#include "models/compiled_state.hpp"
#include "saving/atomic_write.hpp"
#include "base64.hpp"
#include "saving/formats.hpp"
#include "saving/model_json.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving {

using base64::check_base64_size;
using base64::decode_floats;
using base64::encode_floats;

namespace {

constexpr int kFormatVersion = 1;

// "dense/kernel" for a top-level layer, "encoder/dense/kernel" inside the sub-model "encoder"
// (Keras's variable.path). The first path found wins for a layer shared by several models.
void collect_paths(const Layer& layer, const std::string& prefix, bool top, std::map<const Variable*, std::string>& out) {
  for (const auto& v : layer.own_variables()) out.emplace(v.get(), prefix + layer.name() + "/" + v->name);
  const std::string child = top ? std::string() : prefix + layer.name() + "/";
  for (const auto& sub : layer.sublayers()) collect_paths(*sub, child, false, out);
}

struct NamedWeight {
  std::string path;
  VariablePtr var;
};

// Every weight in model.weights() order with its path; ValueError if two share a path.
std::vector<NamedWeight> named_weights(const ModelImpl& model) {
  std::map<const Variable*, std::string> paths;
  collect_paths(model, "", true, paths);
  std::vector<NamedWeight> out;
  std::set<std::string> seen;
  for (const auto& v : model.weights()) {
    auto it = paths.find(v.get());
    const std::string path = it != paths.end() ? it->second : v->path();
    if (!seen.insert(path).second)
      throw ValueError("Model \"" + model.name() + "\" cannot be saved: two weights have the path \"" + path +
                       "\"; give its layers (or the weights of one layer) distinct names");
    out.push_back({path, v});
  }
  return out;
}

ojson shape_of(const Shape& s) {
  ojson j = ojson::array();
  for (auto d : s) j.push_back(d);
  return j;
}

// Shape from the file, bounded: at most 16 axes and 2^31 elements in all.
Shape read_shape(const json& j, const std::string& path) {
  if (!j.is_array() || j.size() > 16) throw ConfigError(path, "expected a list of at most 16 dimensions, got " + shown(j));
  Shape s;
  std::size_t total = 1;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::size_t d = get_index(j[i], index_path(path, i), std::size_t(1) << 31);
    if (d != 0 && total > (std::size_t(1) << 31) / d)
      throw ConfigError(path, "expected at most 2^31 elements, got the shape " + shown(j));
    total *= d;
    s.push_back(d);
  }
  return s;
}

// How many float values the weights list can hold: what its base64 strings decode to (checked
// exactly later, weight by weight).
std::size_t values_present(const json& list) {
  std::size_t values = 0;
  if (!list.is_array()) return 0;
  for (const auto& w : list)
    if (w.is_object() && w.contains("data") && w["data"].is_string()) values += w["data"].get_ref<const std::string&>().size() / 4 * 3 / 4;
  return values;
}

void load_weights(const ModelImpl& model, const json& list, const std::string& path) {
  if (!list.is_array()) throw ConfigError(path, "expected a list of weights, got " + shown(list));
  const auto named = named_weights(model);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < named.size(); ++i) index[named[i].path] = i;
  std::vector<const json*> data(named.size(), nullptr);
  std::vector<std::string> data_path(named.size());
  // First pass: names, shapes and sizes; nothing is written into the model before all agree.
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string wp = index_path(path, i);
    const json& w = list[i];
    const std::string& name = get_string(member(w, "path", wp), join_path(wp, "path"));
    auto it = index.find(name);
    if (it == index.end()) throw ConfigError(join_path(wp, "path"), "the model has no weight \"" + name + "\"");
    const std::size_t k = it->second;
    if (data[k]) throw ConfigError(join_path(wp, "path"), "weight \"" + name + "\" is given twice (also " + data_path[k] + ")");
    if (w.contains("dtype") && !(w["dtype"].is_string() && w["dtype"] == "float32"))
      throw ConfigError(join_path(wp, "dtype"), "expected \"float32\", got " + shown(w["dtype"]));
    const Shape shape = read_shape(member(w, "shape", wp), join_path(wp, "shape"));
    const Shape want = named[k].var->shape();
    if (shape != want)
      throw ConfigError(join_path(wp, "shape"), "weight \"" + name + "\" has shape " + shape_str(want) +
                                                    " in the model, but the file gives " + shape_str(shape));
    const json& d = member(w, "data", wp);
    get_string(d, join_path(wp, "data"));
    check_base64_size(d.get_ref<const std::string&>(), 4 * shape_size(want), join_path(wp, "data"));
    data[k] = &d;
    data_path[k] = wp;
  }
  for (std::size_t k = 0; k < named.size(); ++k)
    if (!data[k])
      throw ConfigError(path, "missing weight \"" + named[k].path + "\" (shape " + shape_str(named[k].var->shape()) + ")");
  for (std::size_t k = 0; k < named.size(); ++k) {
    Tensor& value = named[k].var->value;
    decode_floats(data[k]->get_ref<const std::string&>(), value.data(), value.size(), join_path(data_path[k], "data"));
  }
}

}  // namespace

void save_xkeras_json(const ModelImpl& model, const std::string& path) {
  namespace s = saving;
  // Everything is serialized in memory first: a model that cannot be written never touches the file.
  s::ojson doc;
  doc["format"] = "xkeras";
  doc["format_version"] = s::kFormatVersion;
  doc["model"] = s::model_object(model, true);
  s::ojson weights = s::ojson::array();
  for (const auto& w : s::named_weights(model)) {
    s::ojson e;
    e["path"] = w.path;
    e["shape"] = s::shape_of(w.var->shape());
    e["dtype"] = "float32";
    e["data"] = s::encode_floats(w.var->value.data(), w.var->value.size());
    weights.push_back(std::move(e));
  }
  doc["weights"] = std::move(weights);
  if (model.compiled() && doc["model"].contains("compile_config")) {
    try {
      doc["optimizer_state"] = s::ordered(model.compiled()->optimizer->get_state());
    } catch (const NotImplementedError&) {
      // The optimizer cannot describe its state yet: the file resumes with fresh slots.
    }
  }
  s::atomic_write(path, doc.dump(-1, ' ', false, s::ojson::error_handler_t::replace));
}

Model load_xkeras_json(const json& doc, const std::string& path, bool compile) {
  namespace s = saving;
  if (!doc.is_object())
    throw ConfigError(path, "not an xkeras model file (expected a JSON object, got " + std::string(doc.type_name()) + ")");
  const json& format = s::member(doc, "format", "");
  if (format != "xkeras") throw ConfigError("format", "expected \"xkeras\", got " + s::shown(format));
  const json& version = s::member(doc, "format_version", "");
  // An unsigned above 2^63 must not wrap to a negative version.
  const bool too_new = version.is_number_unsigned() && version.get<unsigned long long>() > s::kFormatVersion;
  if (!too_new && (!version.is_number_integer() || version.get<long long>() < 1))
    throw ConfigError("format_version", "expected a positive integer, got " + s::shown(version));
  if (too_new)
    throw ConfigError("format_version", "the file has format " + s::shown(version) + ", but this xkeras reads format " +
                                            std::to_string(s::kFormatVersion) + " (it was written by a newer xkeras)");
  const json& model_json = s::member(doc, "model", "");
  // The layers may create no more weight values than the file holds, and need not initialize them:
  // a small file that declares huge layers fails before allocating them.
  detail::LoadBudget budget(s::values_present(s::member(doc, "weights", "")), false);
  Model model(s::model_from_object(model_json, "model"));
  s::load_weights(*model.get(), s::member(doc, "weights", ""), "weights");
  if (compile && model_json.contains("compile_config") && !model_json["compile_config"].is_null()) {
    // Keras's load_model(compile=True): the saved optimizer, losses and metrics.
    model->set_compiled(compiled_state_from_config(model_json["compile_config"], "model.compile_config"));
    if (doc.contains("optimizer_state") && !doc["optimizer_state"].is_null())
      model->compiled()->optimizer->set_state(doc["optimizer_state"], model->trainable_weights(), "optimizer_state");
  }
  return model;
}

}  // namespace xkeras::saving
