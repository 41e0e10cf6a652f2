// Cropping1D / Cropping2D / Cropping3D: one fused ops::spatial_crop each (Keras's slicing).
#include "xkeras/layers/cropping.hpp"

#include "layers/spatial_amounts_config.hpp"
#include "xkeras/ops/spatial.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

CroppingImpl::CroppingImpl(std::string class_name, std::vector<std::pair<int, int>> cropping,
                           const std::string& data_format, const std::string& name)
    : Layer(std::move(class_name), name), cropping_(std::move(cropping)) {
  const std::string me = detail::who(*this);
  detail::require_amounts(cropping_, me, "cropping");
  if (!data_format.empty()) data_format_ = detail::standardize_data_format(data_format, me);
  set_input_spec(InputSpec{.ndim = static_cast<int>(cropping_.size()) + 2});
}

// Keras's check: on every known spatial axis the crop must leave at least one cell.
TensorShape CroppingImpl::cropped(const TensorShape& in, const char* shape_name) const {
  TensorShape out = in;
  for (std::size_t a = 0; a < cropping_.size(); ++a) {
    const Dim n = in[1 + a];
    if (n < 0) continue;
    const Dim left = n - cropping_[a].first - cropping_[a].second;
    if (left <= 0) {
      const std::string got = std::string("Received: ") + shape_name + "=" + shape_str(in) +
                              ", cropping=" + detail::amounts_str(cropping_);
      if (cropping_.size() == 1)
        throw ValueError(detail::who(*this) + ": `cropping` parameter of `Cropping1D` layer must be smaller than the "
                                              "input length. " + got);
      throw ValueError(detail::who(*this) + ": Values in `cropping` argument should be smaller than the corresponding "
                                            "spatial dimension of the input. " + got);
    }
    out[1 + a] = left;
  }
  return out;
}

Tensor CroppingImpl::call(const Tensor& x, bool) {
  const Shape s = x.shape();
  cropped(TensorShape(s.begin(), s.end()), "inputs.shape");
  return ops::spatial_crop(x, cropping_);
}

std::vector<TensorShape> CroppingImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(detail::who(*this) + " expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  const TensorShape& in = input_shapes[0];
  if (in.size() != cropping_.size() + 2)
    incompatible(0, "expected ndim=" + std::to_string(cropping_.size() + 2) + ", found ndim=" + std::to_string(in.size()),
                 in);
  return {cropped(in, "input_shape")};
}

json CroppingImpl::get_config() const {
  json c = base_config();
  c["cropping"] = detail::amounts_json(cropping_);
  if (!data_format_.empty()) c["data_format"] = data_format_;
  return c;
}

Cropping1DImpl::Cropping1DImpl(Amounts1D cropping, Cropping1DOptions options)
    : CroppingImpl("Cropping1D", cropping.list(), "", options.name) {}

Cropping2DImpl::Cropping2DImpl(Amounts2D cropping, Cropping2DOptions options)
    : CroppingImpl("Cropping2D", amounts_list(cropping), options.data_format, options.name) {}

Cropping3DImpl::Cropping3DImpl(Amounts3D cropping, Cropping3DOptions options)
    : CroppingImpl("Cropping3D", cropping.list(), options.data_format, options.name) {}

std::shared_ptr<Cropping1DImpl> Cropping1DImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const auto c = detail::read_amounts(r, "cropping", 1, {{1, 1}});
  auto layer = std::make_shared<Cropping1DImpl>(Amounts1D(c[0].first, c[0].second), Cropping1DOptions{r.name()});
  r.apply_base(*layer);
  return layer;
}

std::shared_ptr<Cropping2DImpl> Cropping2DImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const auto c = detail::read_amounts(r, "cropping", 2, {{0, 0}, {0, 0}});
  auto layer = std::make_shared<Cropping2DImpl>(Amounts2D(c[0], c[1]), Cropping2DOptions{detail::read_data_format(r), r.name()});
  r.apply_base(*layer);
  return layer;
}

std::shared_ptr<Cropping3DImpl> Cropping3DImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const auto c = detail::read_amounts(r, "cropping", 3, {{1, 1}, {1, 1}, {1, 1}});
  auto layer =
      std::make_shared<Cropping3DImpl>(Amounts3D(c[0], c[1], c[2]), Cropping3DOptions{detail::read_data_format(r), r.name()});
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(Cropping1DImpl, "Cropping1D");
XKERAS_REGISTER_LAYER_NAMED(Cropping2DImpl, "Cropping2D");
XKERAS_REGISTER_LAYER_NAMED(Cropping3DImpl, "Cropping3D");

Cropping1D::Cropping1D(Amounts1D cropping, Cropping1DOptions options)
    : Holder<Cropping1DImpl>(std::make_shared<Cropping1DImpl>(cropping, std::move(options))) {}
Cropping2D::Cropping2D(Amounts2D cropping, Cropping2DOptions options)
    : Holder<Cropping2DImpl>(std::make_shared<Cropping2DImpl>(cropping, std::move(options))) {}
Cropping3D::Cropping3D(Amounts3D cropping, Cropping3DOptions options)
    : Holder<Cropping3DImpl>(std::make_shared<Cropping3DImpl>(cropping, std::move(options))) {}

}  // namespace xkeras::layers
