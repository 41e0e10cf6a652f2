// BatchNormalization with a mask in training: Keras 3's masked moments (batch_normalization.py _moments),
// composed of ops so that the gradient flows through the mean and variance as in the fused op.
#include "layers/image_layer_utils.hpp"
#include "distributed/mpi_runtime.hpp"
#include "xkeras/layers/batch_normalization.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/sequence.hpp"

namespace xkeras::layers {

Tensors BatchNormalizationImpl::call_args(const Tensors& xs, const CallArgs& args) {
  const bool masked = xs.size() == 1 && !args.masks.empty() && args.masks[0].defined();
  if (!masked) return Layer::call_args(xs, args);
  const Tensor& x = xs[0];
  const Tensor& m = args.masks[0];
  const Shape s = x.shape(), ms = m.shape();
  if (ms.size() + 1 != s.size())
    throw ValueError(detail::who(*this) + ": The mask provided should be one dimension less than the inputs. Received: "
                     "mask.shape=" + shape_str(ms) + ", inputs.shape=" + shape_str(s));
  if (!(args.training && trainable())) return Layer::call_args(xs, args);
  if (options_.synchronized && distributed::detail::in_data_parallel_step())
    throw NotImplementedError(detail::who(*this) + ": synchronized=true with a mask is not supported; the masked "
                              "moments are this rank's own");
  const std::size_t axis = ops::normalize_axes({options_.axis}, s.size())[0];
  // Keras expands the mask on the last axis and broadcasts it to the input.
  Shape expanded = ms;
  expanded.push_back(1);
  for (std::size_t d = 0; d < ms.size(); ++d)
    if (ms[d] != s[d])
      throw ValueError(detail::who(*this) + ": the mask of shape " + shape_str(ms) + " does not match the inputs of shape " +
                       shape_str(s));
  Array keep = Array::from_shape(expanded);
  for (std::size_t i = 0, n = keep.size(); i < n; ++i) keep.data()[i] = m.data()[i] != 0.0f ? 1.0f : 0.0f;
  const Tensor w = ops::broadcast_to(Tensor(std::move(keep)), s);
  ops::Axes reduce;
  for (std::size_t d = 0; d < s.size(); ++d)
    if (d != axis) reduce.push_back(static_cast<int>(d));
  const Tensor zero = Tensor::scalar(0.0f);
  const Tensor count = ops::add_scalar(ops::sum(w, reduce, true), 1e-7f);  // Keras's backend.epsilon()
  const Tensor mean = ops::div(ops::sum(ops::where(w, x, zero), reduce, true), count);
  const Tensor centred = ops::sub(x, mean);
  const Tensor var = ops::div(ops::sum(ops::square(ops::where(w, centred, zero)), reduce, true), count);
  Tensor y = ops::mul(centred, ops::rsqrt(ops::add_scalar(var, options_.epsilon)));
  Shape param(s.size(), 1);
  param[axis] = s[axis];
  if (gamma_) y = ops::mul(y, ops::reshape(gamma_->value, param));
  if (beta_) y = ops::add(y, ops::reshape(beta_->value, param));
  update_moving(moving_mean_, mean.value());
  update_moving(moving_variance_, var.value());
  return {y};
}

}  // namespace xkeras::layers
