// The masks merge layers give their outputs (Keras 3's Merge.compute_mask and Concatenate.compute_mask).
// Masks are 0/1 float tensors and carry no gradient, so they are combined without the tape.
#include "layers/image_layer_utils.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/sequence.hpp"
#include "xkeras/tape.hpp"

namespace xkeras::layers {

Tensors MergeImpl::compute_mask(const Tensors&, const Tensors& masks) {
  if (masks.empty()) return {Tensor()};
  for (const Tensor& m : masks)
    if (!m.defined()) return {Tensor()};
  NoGrad no_grad;
  Tensor out = masks[0];
  for (std::size_t i = 1; i < masks.size(); ++i) {
    try {
      out = ops::maximum(out, masks[i]);  // logical or of 0/1 values
    } catch (const ValueError&) {
      throw ValueError(detail::who(*this) + ": the masks of the inputs cannot be combined; received mask shapes " +
                       shape_str(out.shape()) + " and " + shape_str(masks[i].shape()));
    }
  }
  return {out};
}

Tensors ConcatenateImpl::compute_mask(const Tensors& xs, const Tensors& masks) {
  bool any = false;
  for (const Tensor& m : masks) any = any || m.defined();
  if (!any || masks.size() != xs.size()) return {Tensor()};
  NoGrad no_grad;
  Tensors full;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const Shape s = xs[i].shape();
    const Tensor& m = masks[i];
    if (!m.defined()) {
      full.push_back(Tensor::full(s, 1.0f));
    } else if (m.ndim() + 1 == s.size()) {
      full.push_back(ops::broadcast_to(ops::expand_dims(m, -1), s));
    } else if (m.shape() == s) {
      full.push_back(m);
    } else {
      throw ValueError(detail::who(*this) + ": the mask of input " + std::to_string(i) + " has shape " + shape_str(m.shape()) +
                       "; expected the input's shape " + shape_str(s) + " or that shape without its last axis");
    }
  }
  return {ops::max(ops::concatenate(full, axis()), {-1})};
}

namespace {

// Keras 3's Merge._apply_merge_op_and_or_mask: each mask (B, T) is spread over its input (B, T, D);
// where an input is masked it takes the running result, and where the running result is masked it
// takes the input, so that a masked value never decides the max or min.
Tensors merge_masked(Layer& layer, const Tensors& xs, const CallArgs& args, Tensor (*op)(const Tensor&, const Tensor&)) {
  bool any = false;
  for (const Tensor& m : args.masks) any = any || m.defined();
  if (!any || args.masks.size() != xs.size()) return layer.Layer::call_args(xs, args);
  auto spread = [&](std::size_t i) {
    const Tensor& m = args.masks[i];
    if (!m.defined()) return Tensor();
    try {
      return ops::broadcast_to(ops::expand_dims(m, -1), xs[i].shape());
    } catch (const ValueError&) {
      throw ValueError(detail::who(layer) + ": the mask of input " + std::to_string(i) + " (shape " + shape_str(m.shape()) +
                       ") does not fit the input's shape " + shape_str(xs[i].shape()) + " without its last axis");
    }
  };
  Tensor out = xs[0], out_mask = spread(0);
  for (std::size_t i = 1; i < xs.size(); ++i) {
    Tensor x = xs[i];
    const Tensor mask = spread(i);
    if (mask.defined()) x = ops::where(mask, x, out);
    if (out_mask.defined()) out = ops::where(out_mask, out, x);
    out_mask = mask.defined() && out_mask.defined() ? ops::maximum(out_mask, mask) : Tensor();
    out = op(out, x);
  }
  return {out};
}

}  // namespace

Tensors MaximumImpl::call_args(const Tensors& xs, const CallArgs& args) { return merge_masked(*this, xs, args, ops::maximum); }

Tensors MinimumImpl::call_args(const Tensors& xs, const CallArgs& args) { return merge_masked(*this, xs, args, ops::minimum); }

}  // namespace xkeras::layers
