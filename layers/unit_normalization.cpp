#include "xkeras/layers/unit_normalization.hpp"

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
constexpr float kEpsilon = 1e-12f;  // Keras: ops.normalize(inputs, axis, order=2, epsilon=1e-12)
}

UnitNormalizationImpl::UnitNormalizationImpl(int axis, std::string name)
    : Layer("UnitNormalization", std::move(name)), axes_{axis}, axis_is_list_(false) {
  mark_built();
}

UnitNormalizationImpl::UnitNormalizationImpl(std::vector<int> axes, std::string name)
    : Layer("UnitNormalization", std::move(name)), axes_(std::move(axes)), axis_is_list_(true) {
  if (axes_.empty())
    throw ValueError("Layer \"" + this->name() + "\" (UnitNormalization): Invalid value for `axis` argument: expected an "
                     "int or a non-empty list of ints. Received: axis=[]");
  mark_built();
}

void UnitNormalizationImpl::check_axes(const TensorShape& shape) const {
  const int rank = static_cast<int>(shape.size());
  for (std::size_t i = 0; i < axes_.size(); ++i) {
    const int a = axes_[i];
    if (a < -rank || a >= rank) incompatible(0, "expected axis " + std::to_string(a) + " to exist", shape);
    for (std::size_t j = 0; j < i; ++j)
      if ((axes_[j] + rank) % rank == (a + rank) % rank)
        throw ValueError("Layer \"" + name() + "\" (UnitNormalization): axis " + std::to_string(a) +
                         " is repeated in axis for an input of shape " + shape_str(shape));
  }
}

Tensor UnitNormalizationImpl::call(const Tensor& x, bool) {
  const Shape s = x.shape();
  check_axes(TensorShape(s.begin(), s.end()));
  return ops::unit_normalize(x, axes_, kEpsilon);
}

std::vector<TensorShape> UnitNormalizationImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (UnitNormalization) expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  check_axes(input_shapes[0]);
  return input_shapes;
}

json UnitNormalizationImpl::get_config() const {
  json c = base_config();
  c["axis"] = axis_is_list_ ? int_list_json(axes_) : json(axes_[0]);
  return c;
}

std::shared_ptr<UnitNormalizationImpl> UnitNormalizationImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  std::shared_ptr<UnitNormalizationImpl> layer;
  if (r.has("axis") && r.raw("axis").is_array()) {
    const std::vector<int> axes = r.int_or_list("axis", {-1});
    if (axes.empty()) r.fail("axis", "expected a non-empty list of axes");
    layer = std::make_shared<UnitNormalizationImpl>(axes, r.name());
  } else {
    layer = std::make_shared<UnitNormalizationImpl>(r.get_int("axis", -1), r.name());
  }
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(UnitNormalizationImpl, "UnitNormalization");

UnitNormalization::UnitNormalization(int axis, const std::string& name)
    : Holder<UnitNormalizationImpl>(std::make_shared<UnitNormalizationImpl>(axis, name)) {}
UnitNormalization::UnitNormalization(const std::vector<int>& axes, const std::string& name)
    : Holder<UnitNormalizationImpl>(std::make_shared<UnitNormalizationImpl>(axes, name)) {}

}  // namespace xkeras::layers
