#include "xkeras/layers/zero_padding2d.hpp"

#include "layers/image_layer_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
constexpr int kMaxPad = 1 << 24;

std::string padding_str(const Padding2D& p) {
  return "((" + std::to_string(p.top) + ", " + std::to_string(p.bottom) + "), (" + std::to_string(p.left) + ", " +
         std::to_string(p.right) + "))";
}

Dim padded(Dim n, int before, int after) { return n < 0 ? None : n + before + after; }
}  // namespace

ZeroPadding2DImpl::ZeroPadding2DImpl(Padding2D padding, ZeroPadding2DOptions options)
    : Layer("ZeroPadding2D", options.name), padding_(padding), options_(std::move(options)) {
  const std::string me = detail::who(*this);
  for (int v : {padding_.top, padding_.bottom, padding_.left, padding_.right})
    if (v < 0 || v > kMaxPad)
      throw ValueError(me + ": `padding` amounts must be non-negative integers. Received: padding=" + padding_str(padding_));
  options_.data_format = detail::standardize_data_format(options_.data_format, me);
  set_input_spec(InputSpec{.ndim = 4});
}

Tensor ZeroPadding2DImpl::call(const Tensor& x, bool) {
  return ops::zero_pad2d(x, {padding_.top, padding_.bottom}, {padding_.left, padding_.right});
}

std::vector<TensorShape> ZeroPadding2DImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  const TensorShape& in = detail::single_image_shape(*this, input_shapes);
  return {{in[0], padded(in[1], padding_.top, padding_.bottom), padded(in[2], padding_.left, padding_.right), in[3]}};
}

json ZeroPadding2DImpl::get_config() const {
  json c = base_config();
  c["padding"] = json::array({json::array({padding_.top, padding_.bottom}), json::array({padding_.left, padding_.right})});
  c["data_format"] = options_.data_format;
  return c;
}

std::shared_ptr<ZeroPadding2DImpl> ZeroPadding2DImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  // padding: an int, [h, w] (symmetric) or [[top, bottom], [left, right]]; zeros allowed.
  Padding2D p = 1;
  if (r.has("padding")) {
    const json& j = r.raw("padding");
    auto amount = [&](const json& v) {
      if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > kMaxPad)
        r.fail("padding", "expected non-negative integers, got " + j.dump());
      return v.get<int>();
    };
    auto pair = [&](const json& v) -> std::pair<int, int> {
      if (v.is_number()) return {amount(v), amount(v)};
      if (!v.is_array() || v.size() != 2)
        r.fail("padding", "expected an int, 2 ints or 2 pairs of ints, got " + j.dump());
      return {amount(v[0]), amount(v[1])};
    };
    if (j.is_number()) p = Padding2D(amount(j));
    else if (j.is_array() && j.size() == 2) p = Padding2D(pair(j[0]), pair(j[1]));
    else r.fail("padding", "expected an int, 2 ints or 2 pairs of ints, got " + j.dump());
  }
  ZeroPadding2DOptions o;
  o.data_format = detail::read_data_format(r);
  o.name = r.name();
  auto layer = std::make_shared<ZeroPadding2DImpl>(p, std::move(o));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(ZeroPadding2DImpl, "ZeroPadding2D");

ZeroPadding2D::ZeroPadding2D(Padding2D padding, ZeroPadding2DOptions options)
    : Holder<ZeroPadding2DImpl>(std::make_shared<ZeroPadding2DImpl>(padding, std::move(options))) {}

}  // namespace xkeras::layers
