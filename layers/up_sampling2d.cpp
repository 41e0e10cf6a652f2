#include "xkeras/layers/up_sampling2d.hpp"

#include "layers/image_layer_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

UpSampling2DImpl::UpSampling2DImpl(Size2 size, UpSampling2DOptions options)
    : Layer("UpSampling2D", options.name), size_(size), options_(std::move(options)) {
  const std::string me = detail::who(*this);
  detail::require_positive(size_, me, "size");
  options_.data_format = detail::standardize_data_format(options_.data_format, me);
  options_.interpolation = detail::lower(options_.interpolation);
  const auto& m = options_.interpolation;
  if (m == "bicubic" || m == "lanczos3" || m == "lanczos5" || m == "area")
    throw NotImplementedError(me + ": interpolation=\"" + m +
                              "\" is not implemented in xkeras; only \"nearest\" and \"bilinear\" are");
  if (m != "nearest" && m != "bilinear")
    throw ValueError(me + ": `interpolation` must be one of \"nearest\", \"bilinear\", \"bicubic\", \"lanczos3\", "
                          "\"lanczos5\". Received: interpolation=\"" + m + "\"");
  set_input_spec(InputSpec{.ndim = 4});
}

Tensor UpSampling2DImpl::call(const Tensor& x, bool) { return ops::upsample2d(x, size_, options_.interpolation); }

std::vector<TensorShape> UpSampling2DImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_image_shape(*this, input_shapes);
  const std::string me = detail::who(*this);
  return {{in[0], in[1] < 0 ? None : checked_dim_mul(in[1], size_.h, me), in[2] < 0 ? None : checked_dim_mul(in[2], size_.w, me),
           in[3]}};
}

json UpSampling2DImpl::get_config() const {
  json c = base_config();
  c["size"] = detail::size2_json(size_);
  c["data_format"] = options_.data_format;
  c["interpolation"] = options_.interpolation;
  return c;
}

std::shared_ptr<UpSampling2DImpl> UpSampling2DImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const Size2 size = detail::read_size2(r, "size", 2);
  UpSampling2DOptions o;
  o.data_format = detail::read_data_format(r);
  o.interpolation = detail::lower(r.get_string("interpolation", "nearest"));
  if (o.interpolation != "nearest" && o.interpolation != "bilinear")
    r.fail("interpolation", "xkeras implements only \"nearest\" and \"bilinear\" upsampling, got \"" + o.interpolation + "\"");
  o.name = r.name();
  auto layer = std::make_shared<UpSampling2DImpl>(size, std::move(o));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(UpSampling2DImpl, "UpSampling2D");

UpSampling2D::UpSampling2D(Size2 size, UpSampling2DOptions options)
    : Holder<UpSampling2DImpl>(std::make_shared<UpSampling2DImpl>(size, std::move(options))) {}

}  // namespace xkeras::layers
