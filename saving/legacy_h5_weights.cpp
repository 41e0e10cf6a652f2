// Legacy .h5 weights into a model: tf.keras's load_weights_from_hdf5_group (by topology) and
// load_weights_from_hdf5_group_by_name, after preprocess_weights_for_loading (legacy_weight_conversions.cpp).
// Everything is planned from dataset headers and checked against the model before a value is read, so
// the model's shapes, not the file's declarations, decide what is allocated.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "saving/formats.hpp"
#include "saving/legacy_h5.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving::legacy {

namespace {

std::string where(const h5::Group& g) { return g.source() + ": " + g.path(); }

std::string child_path(const h5::Group& g, const std::string& name) {
  return g.path() == "/" ? "/" + name : g.path() + "/" + name;
}

// tf.keras reads the version from the weights group and takes a missing one as Keras 1; a file that
// keeps it only at the root (never seen, but harmless) is believed too.
Origin origin_of(const h5::Group& root, const h5::Group& file_root) {
  std::string v;
  if (root.has_attr("keras_version")) v = root.attr_string("keras_version");
  else if (file_root.has_attr("keras_version")) v = file_root.attr_string("keras_version");
  Origin o;
  o.major = v.empty() || v[0] == '1' ? 1 : v[0] == '2' ? 2 : 3;
  return o;
}

std::string list_names(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < 8; ++i) s += (i ? ", " : "") + ("\"" + names[i] + "\"");
  if (names.size() > 8) s += ", ... (" + std::to_string(names.size()) + " in all)";
  return s;
}

struct Planned {
  Variable* var;
  Recipe recipe;
  const FileLayer* from;
};

// A GRU bias whose shape says the file's reset_after differs from the model's.
std::string gru_hint(const Layer& layer, const Shape& want, const Shape& got) {
  if (layer.class_name() != "GRU") return "";
  if (want.size() == 2 && got.size() == 1)
    return " (the file's GRU has reset_after=False: one bias row; the model's has reset_after=True)";
  if (want.size() == 1 && got.size() == 2)
    return " (the file's GRU has reset_after=True: input and recurrent bias rows; the model's has reset_after=False)";
  return "";
}

// Plans `layer` from file layer `fl`; false (with a warning) when skip_mismatch skips it.
bool plan_layer(const Layer& layer, const FileLayer& fl, const Origin& origin, bool skip_mismatch,
                std::vector<Planned>& plan) {
  const auto weights = layer.weights();
  std::vector<Recipe> recipes = convert_weights(layer, fl.arrays, origin);
  std::string problem;
  if (recipes.size() != weights.size()) {
    problem = "layer \"" + layer.name() + "\" (" + layer.class_name() + ") expects " + std::to_string(weights.size()) +
              " weight(s), but the file's group \"" + fl.name + "\" holds " + std::to_string(fl.arrays.size()) +
              " array(s)";
  } else {
    for (std::size_t i = 0; i < weights.size() && problem.empty(); ++i) {
      const Shape want = weights[i]->shape();
      if (recipes[i].shape == want) continue;
      const auto& src = fl.arrays[recipes[i].sources[0]];
      problem = "layer \"" + layer.name() + "\" weight \"" + weights[i]->name + "\" has shape " + shape_str(want) +
                ", but the file's array " + (recipes[i].op == Recipe::Op::copy ? "\"" + src.name + "\"" : "made from \"" + src.name + "\"") +
                " has shape " + shape_str(recipes[i].shape) + gru_hint(layer, want, recipes[i].shape);
    }
  }
  if (!problem.empty()) {
    if (!skip_mismatch) throw ConfigError(where(fl.group), problem);
    std::cerr << "WARNING: skipping loading weights for layer \"" << layer.name() << "\": " << problem << "\n";
    return false;
  }
  for (std::size_t i = 0; i < weights.size(); ++i) plan.push_back({weights[i].get(), std::move(recipes[i]), &fl});
  return true;
}

void check_top_level(const ModelImpl& model, const h5::Group& root) {
  if (!root.has_group("top_level_model_weights")) return;
  const auto g = root.group("top_level_model_weights");
  const auto names = read_string_list(g, "weight_names");
  if (!names.empty() && model.own_variables().empty())
    throw ConfigError(where(g), "the file holds " + std::to_string(names.size()) + " weight(s) of the model itself (" +
                                    list_names(names) + "), but model \"" + model.name() + "\" has none of its own");
}

}  // namespace

WeightsIndex read_weights_index(const h5::Group& root, const h5::Group& file_root) {
  WeightsIndex index{root, {}, origin_of(root, file_root), 0};
  if (!has_string_list(root, "layer_names"))
    throw ConfigError(where(root), "expected the attribute \"layer_names\" (the layers whose weights the file holds), "
                                   "but there is none");
  for (const auto& name : read_string_list(root, "layer_names")) {
    if (!root.has_group(name))
      throw ConfigError(where(root), "layer_names lists \"" + name + "\", but there is no group \"" +
                                         child_path(root, name) + "\"");
    FileLayer fl{name, root.group(name), {}};
    for (const auto& w : read_string_list(fl.group, "weight_names")) {
      const std::string path = child_path(fl.group, w);
      // The name is a path: "dense/kernel:0" is the dataset kernel:0 in the group dense.
      const auto slash = w.rfind('/');
      const std::string dir = slash == std::string::npos ? "" : w.substr(0, slash), leaf = w.substr(slash + 1);
      if ((!dir.empty() && !fl.group.has_group(dir)) || !(dir.empty() ? fl.group : fl.group.group(dir)).has_dataset(leaf))
        throw ConfigError(root.source() + ": " + fl.group.path(),
                          "weight_names lists \"" + w + "\", but there is no dataset \"" + path + "\"");
      h5::Group holder = dir.empty() ? fl.group : fl.group.group(dir);
      h5::DatasetInfo info = holder.dataset_info(leaf);
      FileArray a{w, root.source() + ": " + path, std::move(info), holder, leaf};
      const std::size_t n = shape_size(a.info.shape);
      index.values = index.values > SIZE_MAX - n ? SIZE_MAX : index.values + n;
      fl.arrays.push_back(std::move(a));
    }
    index.layers.push_back(std::move(fl));
  }
  return index;
}

std::map<std::string, Variable*> assign_weights(const ModelImpl& model, const WeightsIndex& index, bool by_name,
                                                bool skip_mismatch) {
  check_top_level(model, index.root);
  std::vector<Planned> plan;
  const auto layers = model.layers();
  if (by_name) {
    std::map<std::string, std::vector<const Layer*>> named;
    for (const auto& l : layers) named[l->name()].push_back(l.get());
    for (const auto& fl : index.layers) {
      auto it = named.find(fl.name);
      if (it == named.end()) continue;  // Keras ignores the file's layers the model does not have
      for (const Layer* l : it->second) plan_layer(*l, fl, index.origin, skip_mismatch, plan);
    }
  } else {
    std::vector<const Layer*> mine;
    std::vector<std::string> my_names, file_names;
    for (const auto& l : layers)
      if (!l->weights().empty()) mine.push_back(l.get()), my_names.push_back(l->name());
    std::vector<const FileLayer*> theirs;
    for (const auto& fl : index.layers)
      if (!fl.arrays.empty()) theirs.push_back(&fl), file_names.push_back(fl.name);
    if (mine.size() != theirs.size())
      throw ConfigError(where(index.root), "layer count mismatch: model \"" + model.name() + "\" has " +
                                               std::to_string(mine.size()) + " layer(s) with weights (" + list_names(my_names) +
                                               "), but the file holds weights for " + std::to_string(theirs.size()) +
                                               " (" + list_names(file_names) + ")");
    for (std::size_t i = 0; i < mine.size(); ++i) plan_layer(*mine[i], *theirs[i], index.origin, skip_mismatch, plan);
  }
  std::map<std::string, Variable*> copied;
  for (const auto& p : plan) {
    apply_recipe(p.recipe, p.from->arrays, p.var->value.data());
    if (p.recipe.op != Recipe::Op::copy) continue;
    // A name used in two groups (two nested models with a "dense") means neither weight for certain.
    auto [it, fresh] = copied.emplace(p.from->arrays[p.recipe.sources[0]].name, p.var);
    if (!fresh && it->second != p.var) it->second = nullptr;
  }
  return copied;
}

}  // namespace xkeras::saving::legacy

namespace xkeras::saving {

void load_legacy_weights(const ModelImpl& model, const h5::File& file, bool by_name, bool skip_mismatch) {
  // tf.keras: a full-model file's weights are its "model_weights" group.
  const h5::Group root = !legacy::has_string_list(file, "layer_names") && file.has_group("model_weights")
                             ? file.group("model_weights")
                             : h5::Group(file);
  legacy::WeightsIndex index = legacy::read_weights_index(root, file);
  legacy::assign_weights(model, index, by_name, skip_mismatch);
}

}  // namespace xkeras::saving
