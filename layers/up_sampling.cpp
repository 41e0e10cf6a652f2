// UpSampling1D / UpSampling3D: one fused ops::upsample_nearest each (Keras's ops.repeat per axis).
#include "xkeras/layers/up_sampling.hpp"

#include "layers/image_layer_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
constexpr int kMaxFactor = 1 << 24;

std::string tuple_str(const std::vector<int>& v) {
  if (v.size() == 1) return std::to_string(v[0]);
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + ")";
}
}  // namespace

UpSamplingNDImpl::UpSamplingNDImpl(std::string class_name, std::vector<int> size, const std::string& name)
    : Layer(std::move(class_name), name), size_(std::move(size)) {
  for (int s : size_)
    if (s <= 0 || s > kMaxFactor)
      throw ValueError(detail::who(*this) + (size_.size() == 1
                                                 ? ": Argument `size` should be a positive integer. Received: size="
                                                 : ": the `size` argument must be a tuple of 3 positive integers. Received: size=") +
                       tuple_str(size_));
  set_input_spec(InputSpec{.ndim = static_cast<int>(size_.size()) + 2});
}

Tensor UpSamplingNDImpl::call(const Tensor& x, bool) { return ops::upsample_nearest(x, size_); }

std::vector<TensorShape> UpSamplingNDImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(detail::who(*this) + " expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  const TensorShape& in = input_shapes[0];
  if (in.size() != size_.size() + 2)
    incompatible(0, "expected ndim=" + std::to_string(size_.size() + 2) + ", found ndim=" + std::to_string(in.size()), in);
  const std::string me = detail::who(*this);
  TensorShape out = in;
  for (std::size_t a = 0; a < size_.size(); ++a)
    if (in[1 + a] >= 0) out[1 + a] = checked_dim_mul(in[1 + a], size_[a], me);
  checked_sample_size(out, me);
  return {out};
}

UpSampling1DImpl::UpSampling1DImpl(int size, const std::string& name) : UpSamplingNDImpl("UpSampling1D", {size}, name) {}

json UpSampling1DImpl::get_config() const {
  json c = base_config();
  c["size"] = size()[0];
  return c;
}

std::shared_ptr<UpSampling1DImpl> UpSampling1DImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  // Keras writes an int; a 1-element list is read too
  const int size = r.int_tuple("size", 1, {2})[0];
  auto layer = std::make_shared<UpSampling1DImpl>(size, r.name());
  r.apply_base(*layer);
  return layer;
}

UpSampling3DImpl::UpSampling3DImpl(Size3 size, UpSampling3DOptions options)
    : UpSamplingNDImpl("UpSampling3D", size.list(), options.name) {
  data_format_ = detail::standardize_data_format(options.data_format, detail::who(*this));
}

json UpSampling3DImpl::get_config() const {
  json c = base_config();
  c["size"] = size();
  c["data_format"] = data_format_;
  return c;
}

std::shared_ptr<UpSampling3DImpl> UpSampling3DImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const auto s = r.int_tuple("size", 3, {2, 2, 2});  // positive and bounded
  auto layer = std::make_shared<UpSampling3DImpl>(Size3(s[0], s[1], s[2]),
                                                  UpSampling3DOptions{detail::read_data_format(r), r.name()});
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(UpSampling1DImpl, "UpSampling1D");
XKERAS_REGISTER_LAYER_NAMED(UpSampling3DImpl, "UpSampling3D");

UpSampling1D::UpSampling1D(int size, const std::string& name)
    : Holder<UpSampling1DImpl>(std::make_shared<UpSampling1DImpl>(size, name)) {}
UpSampling3D::UpSampling3D(Size3 size, UpSampling3DOptions options)
    : Holder<UpSampling3DImpl>(std::make_shared<UpSampling3DImpl>(size, std::move(options))) {}

}  // namespace xkeras::layers
