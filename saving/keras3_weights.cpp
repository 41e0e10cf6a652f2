// Keras 3's weights layout (model.weights.h5 inside a .keras, or a .weights.h5 file): every object's
// own variables at "<path>/vars/<i>" (paths from keras3_paths.cpp), the optimizer's at
// "optimizer/vars" (keras3_optimizer.cpp). Variables are matched by position, never by name.
#include <cstdint>
#include <iostream>

#include "saving/formats.hpp"
#include "saving/h5_file.hpp"
#include "saving/keras3_optimizer.hpp"
#include "saving/keras3_paths.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

namespace {

using keras3::Layout;
using keras3::VarsEntry;

std::string describe(const std::vector<VariablePtr>& vars) {
  std::string s;
  for (std::size_t i = 0; i < vars.size(); ++i) s += (i ? ", " : "") + vars[i]->name + " " + shape_str(vars[i]->shape());
  return s.empty() ? "none" : s;
}

std::string who(const VarsEntry& e) { return "layer \"" + e.layer + "\" (" + e.class_name + ")"; }

// One entry matched with its group in the file, checked and ready to read.
struct Planned {
  const VarsEntry* entry;
  h5::Group group;
};

// The entry's "vars" group, at its path or one of the older spellings; false if the file has none.
bool find_group(const h5::Group& root, const VarsEntry& e, h5::Group& out) {
  std::vector<std::string> paths{keras3::vars_path(e.path)};
  for (const auto& a : e.alt_paths) paths.push_back(keras3::vars_path(a));
  for (const auto& p : paths) {
    // Walk level by level: has_group takes one link name.
    h5::Group g = root;
    bool ok = true;
    std::size_t start = 0;
    while (ok && start <= p.size()) {
      const std::size_t slash = p.find('/', start);
      const std::string part = p.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      ok = g.has_group(part);
      if (ok) g = g.group(part);
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    if (ok) {
      out = g;
      return true;
    }
  }
  return false;
}

// Checks count, shapes and dtypes of one entry. Returns false (after a warning) for a mismatch
// that skip_mismatch allows to skip; throws otherwise.
bool check_entry(const VarsEntry& e, const h5::Group& g, bool skip_mismatch) {
  const std::string where = g.source() + ": " + g.path();
  std::size_t count = 0;
  for (const auto& c : g.children())
    if (g.has_dataset(c)) ++count;
  std::string problem;
  if (count != e.vars.size()) {
    problem = who(e) + " expects " + std::to_string(e.vars.size()) + " variable(s) (" + describe(e.vars) +
              "), but the file holds " + std::to_string(count);
  } else {
    for (std::size_t i = 0; i < e.vars.size() && problem.empty(); ++i) {
      const std::string name = std::to_string(i);
      if (!g.has_dataset(name)) {
        problem = who(e) + " expects datasets \"0\" to \"" + std::to_string(count - 1) + "\", but \"" + name + "\" is missing";
        break;
      }
      const h5::DatasetInfo info = g.dataset_info(name);
      if (!e.is_int[i] && !info.is_float && !info.bfloat16)
        throw ConfigError(where + "/" + name, who(e) + ": expected float values for " + e.vars[i]->name +
                                                  ", found an integer dataset of " + std::to_string(info.elem_bytes) + " bytes");
      if (info.shape != e.vars[i]->shape())
        problem = who(e) + ": variable " + name + " (" + e.vars[i]->name + ") has shape " + shape_str(e.vars[i]->shape()) +
                  " in the model, but the file holds shape " + shape_str(info.shape);
    }
  }
  if (problem.empty()) return true;
  if (!skip_mismatch) throw ConfigError(where, problem);
  std::cerr << "WARNING: " << where << ": skipping " << who(e) << " (skip_mismatch): " << problem << "\n";
  return false;
}

void read_entry(const VarsEntry& e, const h5::Group& g) {
  std::vector<std::int64_t> ints;
  for (std::size_t i = 0; i < e.vars.size(); ++i) {
    Tensor& value = e.vars[i]->value;
    const std::string name = std::to_string(i);
    if (e.is_int[i]) {
      ints.resize(value.size());
      g.read_ints(name, ints.data(), ints.size());
      float* out = value.data();
      for (std::size_t k = 0; k < ints.size(); ++k) out[k] = static_cast<float>(ints[k]);
    } else {
      g.read_floats(name, value.data(), value.size());
    }
  }
}

}  // namespace

std::string keras3_weights_image(const ModelImpl& model) {
  h5::File file = h5::File::create("model.weights.h5");
  std::vector<std::int64_t> ints;
  for (const VarsEntry& e : keras3::walk(model, Layout::keras3)) {
    // Keras >= 3.8 gives every vars group the object's name, even an empty one.
    h5::Group g = file.create_group(keras3::vars_path(e.path));
    g.set_attr_string("name", e.name);
    for (std::size_t i = 0; i < e.vars.size(); ++i) {
      const Tensor& value = e.vars[i]->value;
      if (e.is_int[i]) {
        ints.resize(value.size());
        for (std::size_t k = 0; k < ints.size(); ++k) ints[k] = static_cast<std::int64_t>(value.data()[k]);
        g.write_ints(std::to_string(i), e.vars[i]->shape(), ints.data());
      } else {
        g.write_floats(std::to_string(i), e.vars[i]->shape(), value.data());
      }
    }
  }
  keras3::write_optimizer_vars(model, file);
  return file.image();
}

void load_keras3_weights(const ModelImpl& model, const h5::Group& root, bool with_optimizer, bool skip_mismatch) {
  // tf.keras 2.13-2.15 wrote its .keras containers as "_layer_checkpoint_dependencies".
  const Layout layout = !root.has_group("layers") && root.has_group("_layer_checkpoint_dependencies") ? Layout::tf_keras
                                                                                                     : Layout::keras3;
  const std::vector<VarsEntry> entries = keras3::walk(model, layout);
  // Every group is checked before any weight changes: a file that does not fit leaves the model intact.
  std::vector<Planned> plan;
  for (const VarsEntry& e : entries) {
    h5::Group g = root;
    if (!find_group(root, e, g)) {
      if (e.vars.empty()) continue;  // Keras: a missing path is an empty store
      const std::string problem = who(e) + " expects " + std::to_string(e.vars.size()) + " variable(s) (" +
                                  describe(e.vars) + "), but the file has no group \"/" + keras3::vars_path(e.path) + "\"";
      if (!skip_mismatch) throw ConfigError(root.source(), problem);
      std::cerr << "WARNING: " << root.source() << ": skipping " << who(e) << " (skip_mismatch): " << problem << "\n";
      continue;
    }
    if (check_entry(e, g, skip_mismatch)) plan.push_back({&e, g});
  }
  for (const Planned& p : plan) read_entry(*p.entry, p.group);
  if (with_optimizer) keras3::read_optimizer_vars(model, root);
}

}  // namespace xkeras::saving

namespace xkeras::saving::keras3 {

namespace {

void add_values(const h5::Group& g, int depth, std::size_t& links, std::size_t& total) {
  if (depth > 16) throw ConfigError(g.source() + ": " + g.path(), "groups nest deeper than 16 levels");
  for (const auto& c : g.children()) {
    if (++links > 100000) throw ConfigError(g.source(), "the file has more than 100000 groups and datasets");
    if (g.has_dataset(c)) {
      std::size_t n = 1;  // saturating: a hostile header may declare more than 2^64 values
      for (std::size_t d : g.dataset_info(c).shape) n = d != 0 && n > SIZE_MAX / d ? SIZE_MAX : n * d;
      total = n > SIZE_MAX - total ? SIZE_MAX : total + n;
    } else if (g.has_group(c)) {
      add_values(g.group(c), depth + 1, links, total);
    }
  }
}

}  // namespace

std::size_t stored_values(const h5::Group& root) {
  std::size_t links = 0, total = 0;
  add_values(root, 0, links, total);
  return total;
}

}  // namespace xkeras::saving::keras3
