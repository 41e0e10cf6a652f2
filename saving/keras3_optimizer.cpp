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

// The file's order of the slot variables (after iterations and learning_rate): Keras's build()
// order, one slot_groups() group after another, a group's slots interleaved per variable.
std::vector<SlotRef> slot_order(const optimizers::OptimizerImpl& opt, std::size_t nvars) {
  std::vector<SlotRef> out;
  for (const auto& block : opt.slot_groups())
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
  std::size_t index = 1;
  if (!opt.has_schedule()) {  // with a schedule Keras has no learning_rate variable
    const float lr = opt.learning_rate();
    g.write_floats(std::to_string(index++), {}, &lr);
  }
  // A slot not made yet is fresh, as Keras builds it (slot_arrays makes it so).
  for (const SlotRef& r : slot_order(opt, vars.size()))
    g.write_floats(std::to_string(index++), vars[r.var]->shape(), opt.slot_arrays(vars[r.var])[r.slot].data());
  // Scalars made in build() after the slots (Nadam's u_product).
  for (float v : opt.scalars()) g.write_floats(std::to_string(index++), {}, &v);
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
  // only iterations and learning_rate (its slots and scalars are made in build()).
  const std::size_t nscalars = opt.scalar_names().size();
  const std::size_t built = order.size() + nscalars;
  // The layout this optimizer implies first (no learning_rate with a schedule), then the other.
  std::size_t lr_vars = opt.has_schedule() ? 0 : 1;
  auto fits = [&](std::size_t lr) { return count == built + 1 + lr || (built > 0 && count == 1 + lr); };
  if (!fits(lr_vars)) lr_vars = 1 - lr_vars;
  if (!fits(lr_vars)) {
    std::cerr << "WARNING: " << g.source() << ": skipping the optimizer's variables: optimizer \"" << opt.name()
              << "\" (" << opt.class_name() << ") has " << built + 2 << " variables for this model ("
              << vars.size() << " trainable weights), but " << g.path() << " holds " << count << "\n";
    return;
  }
  const std::string where = g.source() + ": " + g.path();
  auto scalar = [&](const std::string& name, bool want_float) {
    const h5::DatasetInfo info = g.dataset_info(name);
    if (shape_size(info.shape) != 1 || info.shape.size() > 1)
      throw ConfigError(where + "/" + name, "expected a scalar, found shape " + shape_str(info.shape));
    if (want_float && !info.is_float && !info.bfloat16)
      throw ConfigError(where + "/" + name, "expected a float (learning rate or optimizer scalar), found an integer dataset");
  };
  scalar("0", false);
  const bool has_lr = lr_vars == 1;
  const bool unbuilt = count != built + 1 + lr_vars;
  if (has_lr) scalar("1", true);
  const std::size_t first = has_lr ? 2 : 1;
  const std::size_t slots = unbuilt ? 0 : order.size();
  const std::size_t scalars = unbuilt ? 0 : nscalars;
  for (std::size_t i = 0; i < scalars; ++i) {
    const std::string name = std::to_string(first + slots + i);
    if (!g.has_dataset(name)) throw ConfigError(where, "expected dataset \"" + name + "\" (" + opt.scalar_names()[i] + ")");
    scalar(name, true);
  }
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
  std::vector<float> scalar_values = opt.initial_scalars();
  for (std::size_t i = 0; i < scalars; ++i) g.read_floats(std::to_string(first + slots + i), &scalar_values[i], 1);
  for (std::size_t i = 0; i < slots; ++i) opt.slot_arrays(vars[order[i].var])[order[i].slot] = std::move(values[i]);
  if (unbuilt)  // Keras's freshly built slots
    for (const auto& v : vars) {
      auto& arrays = opt.slot_arrays(v);
      for (std::size_t k = 0; k < arrays.size(); ++k) std::fill(arrays[k].begin(), arrays[k].end(), opt.slot_initial_value(k));
    }
  opt.scalars() = std::move(scalar_values);
  opt.set_iterations(iterations);
  // A schedule's rate follows from the iterations; a stored rate of a scheduled optimizer is ignored.
  if (!opt.has_schedule()) opt.set_learning_rate(lr);
}

}  // namespace xkeras::saving::keras3
