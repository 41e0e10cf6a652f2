// Optimizer state in Keras 3's weights layout (keras3_optimizer.hpp): xkeras's slots (per variable,
// in slot_names() order) to and from Keras's positional list.
#include "saving/keras3_optimizer.hpp"

#include <algorithm>
#include <iostream>

#include "models/compiled_state.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving::keras3 {

namespace {

struct SlotRef {
  std::size_t var;   // index into the trainable weights
  std::size_t slot;  // index into slot_names()
};

// The file's order of the slot variables (after iterations and learning_rate).
std::vector<SlotRef> slot_order(const optimizers::OptimizerImpl& opt, std::size_t nvars) {
  const std::size_t nslots = opt.slot_names().size();
  std::vector<std::vector<std::size_t>> blocks;
  std::size_t s = 0;
  if (opt.class_name() == "Adam" && nslots >= 2) {  // momentum and velocity interleaved
    blocks.push_back({0, 1});
    s = 2;
  }
  for (; s < nslots; ++s) blocks.push_back({s});
  std::vector<SlotRef> out;
  for (const auto& block : blocks)
    for (std::size_t v = 0; v < nvars; ++v)
      for (std::size_t k : block) out.push_back({v, k});
  return out;
}

}  // namespace

void write_optimizer_vars(const ModelImpl& model, h5::Group& root) {
  const CompiledState* compiled = model.compiled();
  if (!compiled) return;
  auto& opt = *compiled->optimizer.ptr();
  const auto vars = model.trainable_weights();
  h5::Group g = root.create_group("optimizer/vars");
  g.set_attr_string("name", opt.name());
  const std::int64_t iterations = opt.iterations();
  g.write_ints("0", {}, &iterations);
  const float lr = opt.learning_rate();
  g.write_floats("1", {}, &lr);
  std::size_t index = 2;
  // A slot not made yet is zeros, as Keras builds it (slot_arrays makes it so).
  for (const SlotRef& r : slot_order(opt, vars.size()))
    g.write_floats(std::to_string(index++), vars[r.var]->shape(), opt.slot_arrays(vars[r.var])[r.slot].data());
}

void read_optimizer_vars(const ModelImpl& model, const h5::Group& root) {
  const CompiledState* compiled = model.compiled();
  if (!compiled || !root.has_group("optimizer") || !root.group("optimizer").has_group("vars")) return;
  auto& opt = *compiled->optimizer.ptr();
  const h5::Group g = root.group("optimizer/vars");
  const auto vars = model.trainable_weights();
  const auto names = opt.slot_names();
  const auto order = slot_order(opt, vars.size());
  std::size_t count = 0;
  for (const auto& c : g.children())
    if (g.has_dataset(c)) ++count;
  // With a learning-rate schedule Keras stores no learning_rate; an optimizer that never ran stores
  // only iterations and learning_rate.
  const bool full = count == order.size() + 2, no_lr = count == order.size() + 1;
  const bool unbuilt = !order.empty() && (count == 2 || count == 1);
  if (!full && !no_lr && !unbuilt) {
    std::cerr << "WARNING: " << g.source() << ": skipping the optimizer's variables: optimizer \"" << opt.name()
              << "\" (" << opt.class_name() << ") has " << order.size() + 2 << " variables for this model ("
              << vars.size() << " trainable weights), but " << g.path() << " holds " << count << "\n";
    return;
  }
  const std::string where = g.source() + ": " + g.path();
  auto scalar = [&](const std::string& name, bool want_float) {
    const h5::DatasetInfo info = g.dataset_info(name);
    if (shape_size(info.shape) != 1 || info.shape.size() > 1)
      throw ConfigError(where + "/" + name, "expected a scalar, found shape " + shape_str(info.shape));
    if (want_float && !info.is_float && !info.bfloat16)
      throw ConfigError(where + "/" + name, "expected a float learning rate, found an integer dataset");
  };
  scalar("0", false);
  const bool has_lr = full || (unbuilt && count == 2);
  if (has_lr) scalar("1", true);
  const std::size_t first = has_lr ? 2 : 1;
  const std::size_t slots = unbuilt ? 0 : order.size();
  // Shapes and dtypes first, then everything is read aside: the optimizer changes only once all fits.
  for (std::size_t i = 0; i < slots; ++i) {
    const std::string name = std::to_string(first + i);
    const Variable& v = *vars[order[i].var];
    if (!g.has_dataset(name))
      throw ConfigError(where, "expected datasets \"0\" to \"" + std::to_string(count - 1) + "\", \"" + name + "\" is missing");
    const h5::DatasetInfo info = g.dataset_info(name);
    if (!info.is_float && !info.bfloat16)
      throw ConfigError(where + "/" + name, "expected float values (slot \"" + names[order[i].slot] + "\" of " + v.path() +
                                               "), found an integer dataset");
    if (info.shape != v.shape())
      throw ConfigError(where + "/" + name, "slot \"" + names[order[i].slot] + "\" of " + v.path() + " has shape " +
                                                shape_str(v.shape()) + ", but the file holds " + shape_str(info.shape));
  }
  std::int64_t iterations = 0;
  g.read_ints("0", &iterations, 1);
  if (iterations < 0) throw ConfigError(where + "/0", "expected a non-negative iteration count, got " + std::to_string(iterations));
  float lr = opt.learning_rate();
  if (has_lr) g.read_floats("1", &lr, 1);
  std::vector<Array> values;
  values.reserve(slots);
  for (std::size_t i = 0; i < slots; ++i) {
    values.push_back(Array::from_shape(vars[order[i].var]->shape()));
    g.read_floats(std::to_string(first + i), values.back().data(), values.back().size());
  }
  for (std::size_t i = 0; i < slots; ++i) opt.slot_arrays(vars[order[i].var])[order[i].slot] = std::move(values[i]);
  if (unbuilt)  // Keras's freshly built slots
    for (const auto& v : vars)
      for (auto& a : opt.slot_arrays(v)) std::fill(a.begin(), a.end(), 0.0f);
  opt.set_iterations(iterations);
  opt.set_learning_rate(lr);
}

}  // namespace xkeras::saving::keras3
