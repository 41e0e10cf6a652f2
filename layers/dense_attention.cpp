// The shared call of Attention and AdditiveAttention (Keras's BaseDenseAttention / Attention._apply_scores).
#include "attention_masks.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/initializers.hpp"
#include "xkeras/layers/attention.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/attention.hpp"
#include "xkeras/ops/batch_matmul.hpp"

namespace xkeras::layers {

DenseAttentionImpl::DenseAttentionImpl(const std::string& class_name, bool use_scale, double dropout,
                                       std::optional<std::uint64_t> seed, std::string name)
    : Layer(class_name, std::move(name)), use_scale_(use_scale), dropout_(dropout), seed_(seed),
      rng_(seed ? *seed : draw_seed()) {
  if (!(dropout_ >= 0.0 && dropout_ < 1.0))
    throw ValueError(who() + ": expected `dropout` in [0, 1), received dropout=" + std::to_string(dropout_));
}

std::string DenseAttentionImpl::who() const { return "Layer \"" + name() + "\" (" + class_name() + ")"; }

void DenseAttentionImpl::check_shapes(const std::vector<TensorShape>& s) const {
  if (s.size() != 2 && s.size() != 3)
    throw ValueError(who() + " expects a list [query, value] or [query, value, key], but it received " +
                     std::to_string(s.size()) + " inputs");
  std::string all;
  for (const auto& x : s) all += (all.empty() ? "" : ", ") + shape_str(x);
  for (const auto& x : s)
    if (x.size() != 3) throw ValueError(who() + ": expected rank-3 inputs (batch, steps, features), got shapes " + all);
  const TensorShape &q = s[0], &v = s[1], &k = s.back();
  auto differ = [](Dim a, Dim b) { return a >= 0 && b >= 0 && a != b; };
  if (differ(q[0], v[0]) || differ(q[0], k[0]))
    throw ValueError(who() + ": the query, value and key must share the batch size, got shapes " + all);
  if (differ(v[1], k[1])) throw ValueError(who() + ": the value and key must have the same number of steps, got shapes " + all);
  if (differ(q[2], k[2]))
    throw ValueError(who() + ": the query and key must have the same last dimension, got shapes " + all);
}

Tensors DenseAttentionImpl::call_list(const Tensors& xs, bool training) { return attend(xs, {}, training); }

Tensors DenseAttentionImpl::call_args(const Tensors& xs, const CallArgs& args) {
  if (!args.kwargs.tensors.empty())
    throw ValueError(who() + " does not take the keyword tensor argument \"" + args.kwargs.tensors.front().first + "\"");
  DenseAttentionCall o;
  if (args.masks.size() >= 1) o.query_mask = detail::float_mask(args.masks[0]);
  if (args.masks.size() >= 2) o.value_mask = detail::float_mask(args.masks[1]);
  detail::read_call_options(args.kwargs.options, who(), o.use_causal_mask, o.return_attention_scores);
  return attend(xs, o, args.training);
}

Tensors DenseAttentionImpl::compute_mask(const Tensors&, const Tensors& masks) {
  return {masks.empty() ? Tensor() : masks[0], Tensor()};
}

std::vector<TensorShape> DenseAttentionImpl::compute_output_shape_args(const std::vector<TensorShape>& shapes,
                                                                       const ShapeKwargs& kwargs) {
  std::vector<TensorShape> out = compute_output_shape(shapes);
  bool causal = false, scores = false;
  detail::read_call_options(kwargs.options, who(), causal, scores);
  if (scores) out.push_back(TensorShape{shapes[0][0], shapes[0][1], shapes[1][1]});
  return out;
}

// softmax(scores - 1e9 where masked) · value; masked query steps give zero rows.
Tensors DenseAttentionImpl::attend(const Tensors& xs, const DenseAttentionCall& o, bool training) {
  std::vector<TensorShape> shapes;
  for (const auto& x : xs) {
    if (!x.defined()) throw ValueError(who() + " was called with an undefined tensor");
    const Shape s = x.shape();
    shapes.emplace_back(s.begin(), s.end());
  }
  check_shapes(shapes);
  maybe_build(shapes);  // attend may be called directly, not through operator()
  const Tensor &query = xs[0], &value = xs[1], &key = xs.size() == 3 ? xs[2] : xs[1];
  const std::size_t B = query.shape()[0], Tq = query.shape()[1], Tv = value.shape()[1];
  const Tensor s = scores(query, key);
  Tensor mask;
  if (o.value_mask.defined() || o.use_causal_mask || causal_) {
    Array acc = Array::from_shape({B, Tq, Tv});
    std::fill(acc.begin(), acc.end(), 1.0f);
    if (o.value_mask.defined()) detail::and_mask(acc, o.value_mask, {B, 1, Tv}, who(), "the value mask");
    if (o.use_causal_mask || causal_) detail::and_causal(acc);
    mask = Tensor(std::move(acc));
  }
  const Tensor weights = ops::masked_softmax(s, mask);
  Tensor dropped = weights;
  if (training && dropout_ > 0.0) {
    const double keep = 1.0 - dropout_;
    Array m = Array::from_shape(weights.shape());
    std::bernoulli_distribution draw(keep);
    for (auto& e : m) e = draw(rng_) ? static_cast<float>(1.0 / keep) : 0.0f;
    dropped = ops::mul(weights, Tensor(std::move(m)));
  }
  Tensor out = ops::batch_matmul(dropped, value);
  if (o.query_mask.defined()) {
    Array acc = Array::from_shape({B, Tq, 1});
    std::fill(acc.begin(), acc.end(), 1.0f);
    detail::and_mask(acc, o.query_mask, {B, Tq, 1}, who(), "the query mask");
    out = ops::mul(out, Tensor(std::move(acc)));
  }
  if (o.return_attention_scores) return {out, weights};
  return {out};
}

std::vector<TensorShape> DenseAttentionImpl::compute_output_shape(const std::vector<TensorShape>& shapes) {
  check_shapes(shapes);
  return {TensorShape{shapes[0][0], shapes[0][1], shapes[1][2]}};
}

}  // namespace xkeras::layers
