// RepeatVector: (batch, d) seen as a sequence of one step, upsampled n times (Keras: reshape + repeat).
#include "xkeras/layers/repeat_vector.hpp"

#include "layers/image_layer_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/spatial.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

RepeatVectorImpl::RepeatVectorImpl(int n, const std::string& name) : Layer("RepeatVector", name), n_(n) {
  if (n_ <= 0 || n_ > kMaxSampleValues)
    throw ValueError(detail::who(*this) + ": Argument `n` should be a positive integer. Received: n=" + std::to_string(n_));
  set_input_spec(InputSpec{.ndim = 2});
}

Tensor RepeatVectorImpl::call(const Tensor& x, bool) { return ops::upsample_nearest(ops::expand_dims(x, 1), {n_}); }

std::vector<TensorShape> RepeatVectorImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(detail::who(*this) + " expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  const TensorShape& in = input_shapes[0];
  if (in.size() != 2) incompatible(0, "expected ndim=2, found ndim=" + std::to_string(in.size()), in);
  const TensorShape out{in[0], n_, in[1]};
  checked_sample_size(out, detail::who(*this));  // n * features stays bounded
  return {out};
}

json RepeatVectorImpl::get_config() const {
  json c = base_config();
  c["n"] = n_;
  return c;
}

std::shared_ptr<RepeatVectorImpl> RepeatVectorImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const json& j = r.raw("n");
  if (!j.is_number_integer() || j.get<long long>() <= 0 || j.get<long long>() > kMaxSampleValues)
    r.fail("n", "expected a positive integer of at most 2^26, got " + shown(j));
  auto layer = std::make_shared<RepeatVectorImpl>(j.get<int>(), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(RepeatVectorImpl, "RepeatVector");

RepeatVector::RepeatVector(int n, const std::string& name)
    : Holder<RepeatVectorImpl>(std::make_shared<RepeatVectorImpl>(n, name)) {}

}  // namespace xkeras::layers
