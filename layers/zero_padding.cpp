// ZeroPadding1D / ZeroPadding3D: one fused ops::spatial_zero_pad each (Keras's ops.pad).
#include "xkeras/layers/zero_padding.hpp"

#include "layers/spatial_amounts_config.hpp"
#include "xkeras/ops/spatial.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

ZeroPaddingNDImpl::ZeroPaddingNDImpl(std::string class_name, std::vector<std::pair<int, int>> padding,
                                     ZeroPaddingOptions options)
    : Layer(std::move(class_name), options.name), padding_(std::move(padding)), options_(std::move(options)) {
  const std::string me = detail::who(*this);
  detail::require_amounts(padding_, me, "padding");
  options_.data_format = detail::standardize_data_format(options_.data_format, me);
  set_input_spec(InputSpec{.ndim = static_cast<int>(padding_.size()) + 2});
}

Tensor ZeroPaddingNDImpl::call(const Tensor& x, bool) { return ops::spatial_zero_pad(x, padding_); }

std::vector<TensorShape> ZeroPaddingNDImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(detail::who(*this) + " expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  const TensorShape& in = input_shapes[0];
  if (in.size() != padding_.size() + 2)
    incompatible(0, "expected ndim=" + std::to_string(padding_.size() + 2) + ", found ndim=" + std::to_string(in.size()), in);
  TensorShape out = in;
  const std::string me = detail::who(*this);
  for (std::size_t a = 0; a < padding_.size(); ++a)
    if (in[1 + a] >= 0) out[1 + a] = in[1 + a] + padding_[a].first + padding_[a].second;
  checked_sample_size(out, me);  // every known dimension and the sample stay bounded
  return {out};
}

json ZeroPaddingNDImpl::get_config() const {
  json c = base_config();
  c["padding"] = detail::amounts_json(padding_);
  c["data_format"] = options_.data_format;
  return c;
}

ZeroPaddingOptions ZeroPaddingNDImpl::options_from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  return ZeroPaddingOptions{detail::read_data_format(r), r.name()};  // data_format: absent before Keras 3.5
}

ZeroPadding1DImpl::ZeroPadding1DImpl(Amounts1D padding, ZeroPadding1DOptions options)
    : ZeroPaddingNDImpl("ZeroPadding1D", padding.list(), std::move(options)) {}

ZeroPadding3DImpl::ZeroPadding3DImpl(Amounts3D padding, ZeroPadding3DOptions options)
    : ZeroPaddingNDImpl("ZeroPadding3D", padding.list(), std::move(options)) {}

std::shared_ptr<ZeroPadding1DImpl> ZeroPadding1DImpl::from_config(const json& config, const std::string& path) {
  const auto p = detail::read_amounts(ConfigReader(config, path), "padding", 1, {{1, 1}});
  auto layer = std::make_shared<ZeroPadding1DImpl>(Amounts1D(p[0].first, p[0].second), options_from_config(config, path));
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

std::shared_ptr<ZeroPadding3DImpl> ZeroPadding3DImpl::from_config(const json& config, const std::string& path) {
  const auto p = detail::read_amounts(ConfigReader(config, path), "padding", 3, {{1, 1}, {1, 1}, {1, 1}});
  auto layer = std::make_shared<ZeroPadding3DImpl>(Amounts3D(p[0], p[1], p[2]), options_from_config(config, path));
  ConfigReader(config, path).apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(ZeroPadding1DImpl, "ZeroPadding1D");
XKERAS_REGISTER_LAYER_NAMED(ZeroPadding3DImpl, "ZeroPadding3D");

ZeroPadding1D::ZeroPadding1D(Amounts1D padding, ZeroPadding1DOptions options)
    : Holder<ZeroPadding1DImpl>(std::make_shared<ZeroPadding1DImpl>(padding, std::move(options))) {}
ZeroPadding3D::ZeroPadding3D(Amounts3D padding, ZeroPadding3DOptions options)
    : Holder<ZeroPadding3DImpl>(std::make_shared<ZeroPadding3DImpl>(padding, std::move(options))) {}

}  // namespace xkeras::layers
