#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

ConcatenateImpl::ConcatenateImpl(int axis, std::string name) : MergeImpl("Concatenate", std::move(name)), axis_(axis) {}

TensorShape ConcatenateImpl::merged_shape(const std::vector<TensorShape>& shapes) const {
  const std::string mismatch = "A `Concatenate` layer requires inputs with matching shapes except for the concatenation "
                               "axis. Received: input_shape=" + shapes_str(shapes);
  const std::size_t rank = shapes[0].size();
  for (const auto& s : shapes)
    if (s.size() != rank) fail(mismatch);
  const int r = static_cast<int>(rank);
  if (axis_ < -r || axis_ >= r)
    fail("axis " + std::to_string(axis_) + " is out of bounds for inputs of rank " + std::to_string(rank) +
         ". Received: input_shape=" + shapes_str(shapes));
  const std::size_t axis = static_cast<std::size_t>(axis_ < 0 ? axis_ + r : axis_);
  TensorShape out = shapes[0];
  for (std::size_t d = 0; d < rank; ++d) {
    if (d == axis) {
      Dim total = 0;
      for (const auto& s : shapes) {
        if (s[d] < 0) { total = None; break; }
        total += s[d];
      }
      out[d] = total;
    } else {
      Dim known = None;  // None is compatible with anything; known sizes must agree
      for (const auto& s : shapes) {
        if (s[d] < 0) continue;
        if (known >= 0 && s[d] != known) fail(mismatch);
        known = s[d];
      }
      out[d] = known;
    }
  }
  return out;
}

Tensor ConcatenateImpl::merge_function(const Tensors& xs) const { return ops::concatenate(xs, axis_); }

json ConcatenateImpl::get_config() const {
  json c = base_config();
  c["axis"] = axis_;
  return c;
}

std::shared_ptr<ConcatenateImpl> ConcatenateImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  auto layer = std::make_shared<ConcatenateImpl>(r.get_int("axis", -1), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(ConcatenateImpl, "Concatenate");

Concatenate::Concatenate(int axis, const std::string& name)
    : MergeHolder<ConcatenateImpl>(std::make_shared<ConcatenateImpl>(axis, name)) {}

}  // namespace xkeras::layers
