// MultiHeadAttention: construction, weights and the call (Keras's multi_head_attention.py).
// The config reader/writer is in multi_head_attention_config.cpp.
#include "xkeras/layers/multi_head_attention.hpp"

#include <cmath>

#include "attention_masks.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/attention.hpp"

namespace xkeras::layers {

namespace {
constexpr int kMaxDim = 1 << 20;  // heads, key_dim, value_dim, output_shape: the weights are bounded by add_weight too

std::string shapes_str(const std::vector<TensorShape>& shapes) {
  std::string s;
  for (const auto& x : shapes) s += (s.empty() ? "" : ", ") + shape_str(x);
  return s;
}
}  // namespace

MultiHeadAttentionImpl::MultiHeadAttentionImpl(int num_heads, int key_dim, MultiHeadAttentionOptions options)
    : Layer("MultiHeadAttention", options.name), num_heads_(num_heads), key_dim_(key_dim), options_(std::move(options)),
      rng_(options_.seed ? *options_.seed : draw_seed()) {
  auto check = [&](const char* what, int v) {
    if (v <= 0 || v > kMaxDim)
      throw ValueError(who() + ": expected `" + what + "` to be a positive integer (at most " + std::to_string(kMaxDim) +
                       "), received " + what + "=" + std::to_string(v));
  };
  check("num_heads", num_heads_);
  check("key_dim", key_dim_);
  if (options_.value_dim == 0) options_.value_dim = key_dim_;  // Keras: value_dim=None means key_dim
  check("value_dim", options_.value_dim);
  if (options_.output_shape) check("output_shape", *options_.output_shape);
  if (!(options_.dropout >= 0.0 && options_.dropout < 1.0))
    throw ValueError(who() + ": expected `dropout` in [0, 1), received dropout=" + std::to_string(options_.dropout));
  if (options_.attention_axes) {
    const auto& ax = *options_.attention_axes;
    if (ax.size() != 1 || (ax[0] != 1 && ax[0] != -2))
      throw ValueError(who() + ": only attention over axis 1 of rank-3 inputs is supported (attention_axes=[1]); "
                       "received attention_axes=" + int_list_json(ax).dump());
  }
}

std::string MultiHeadAttentionImpl::who() const { return "Layer \"" + name() + "\" (MultiHeadAttention)"; }

void MultiHeadAttentionImpl::build_list(const std::vector<TensorShape>& shapes) {
  if (shapes.size() != 2 && shapes.size() != 3)
    throw ValueError(who() + " expects [query, value] or [query, value, key], but it received " +
                     std::to_string(shapes.size()) + " input tensors");
  static const char* names[] = {"query", "value", "key"};
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    if (shapes[i].size() != 3)
      throw ValueError(who() + ": expected the " + names[i] + " to have rank 3 (batch, steps, features), got shape " +
                       shape_str(shapes[i]) + "; attention over several axes is not supported");
    if (shapes[i][2] <= 0)
      throw ValueError(who() + ": the last dimension of the " + names[i] + " must be defined and positive, got shape " +
                       shape_str(shapes[i]));
  }
  key_given_ = shapes.size() == 3;
  query_dim_ = static_cast<std::size_t>(shapes[0][2]);
  value_feat_ = static_cast<std::size_t>(shapes[1][2]);
  key_feat_ = static_cast<std::size_t>(shapes[key_given_ ? 2 : 1][2]);
  out_dim_ = options_.output_shape ? static_cast<std::size_t>(*options_.output_shape) : query_dim_;
  const auto N = static_cast<std::size_t>(num_heads_), H = static_cast<std::size_t>(key_dim_),
             V = static_cast<std::size_t>(options_.value_dim);
  const MultiHeadAttentionOptions& o = options_;
  auto kernel = [&](const std::string& n, const Shape& s) {
    return add_weight(n + "/kernel", s, o.kernel_initializer, true, o.kernel_regularizer, o.kernel_constraint);
  };
  auto bias = [&](const std::string& n, const Shape& s) {
    return o.use_bias ? add_weight(n + "/bias", s, o.bias_initializer, true, o.bias_regularizer, o.bias_constraint)
                      : VariablePtr();
  };
  // Keras's sub-layer order: query, key, (gate), value, attention_output.
  query_kernel_ = kernel("query", {query_dim_, N, H});
  query_bias_ = bias("query", {N, H});
  key_kernel_ = kernel("key", {key_feat_, N, H});
  key_bias_ = bias("key", {N, H});
  if (o.use_gate) {
    gate_kernel_ = kernel("gate", {query_dim_, N, V});
    gate_bias_ = bias("gate", {N, V});
  }
  value_kernel_ = kernel("value", {value_feat_, N, V});
  value_bias_ = bias("value", {N, V});
  output_kernel_ = kernel("attention_output", {N, V, out_dim_});
  output_bias_ = bias("attention_output", {out_dim_});
  options_.attention_axes = std::vector<int>{1};  // Keras stores the resolved axes once built
}

void MultiHeadAttentionImpl::check_inputs(const Tensor& query, const Tensor& value, const Tensor& key) const {
  const Shape q = query.shape(), v = value.shape(), k = key.shape();
  if (q.size() != 3 || v.size() != 3 || k.size() != 3)
    throw ValueError(who() + ": expected rank-3 query, value and key, got shapes " + shape_str(q) + ", " + shape_str(v) +
                     " and " + shape_str(k));
  if (q[2] != query_dim_ || v[2] != value_feat_ || k[2] != key_feat_)
    throw ValueError(who() + ": the layer was built for query, value and key features " + std::to_string(query_dim_) +
                     ", " + std::to_string(value_feat_) + " and " + std::to_string(key_feat_) + ", got shapes " +
                     shape_str(q) + ", " + shape_str(v) + " and " + shape_str(k));
  if (v[0] != q[0] || k[0] != q[0] || k[1] != v[1])
    throw ValueError(who() + ": the query, value and key must share the batch size and the value and key the number "
                     "of steps, got shapes " + shape_str(q) + ", " + shape_str(v) + " and " + shape_str(k));
}

// Keras's _compute_attention_mask: query_mask (B, T, 1) & value_mask (B, 1, S) & key_mask (B, 1, S)
// & causal (T, S) & attention_mask (B, T, S), returned as (B, 1, T, S) to broadcast over the heads.
Tensor MultiHeadAttentionImpl::combined_mask(const Tensor& query, const Tensor& value, const AttentionCallOptions& o) const {
  if (!o.query_mask.defined() && !o.value_mask.defined() && !o.key_mask.defined() && !o.attention_mask.defined() &&
      !o.use_causal_mask)
    return Tensor();
  const std::size_t B = query.shape()[0], T = query.shape()[1], S = value.shape()[1];
  Array acc = Array::from_shape({B, T, S});
  std::fill(acc.begin(), acc.end(), 1.0f);
  if (o.query_mask.defined()) detail::and_mask(acc, o.query_mask, {B, T, 1}, who(), "the query mask");
  if (o.value_mask.defined()) detail::and_mask(acc, o.value_mask, {B, 1, S}, who(), "the value mask");
  if (o.key_mask.defined()) detail::and_mask(acc, o.key_mask, {B, 1, S}, who(), "the key mask");
  if (o.use_causal_mask) detail::and_causal(acc);
  if (o.attention_mask.defined()) detail::and_mask(acc, o.attention_mask, {}, who(), "the attention_mask");
  return Tensor(Array(acc.reshape({B, 1, T, S})));
}

Tensors MultiHeadAttentionImpl::call_list(const Tensors& xs, bool training) {
  CallArgs args;
  args.training = training;
  return call_args(xs, args);
}

Tensors MultiHeadAttentionImpl::call_args(const Tensors& xs, const CallArgs& args) {
  if (xs.size() != 2 && xs.size() != 3)
    throw ValueError(who() + " expects [query, value] or [query, value, key], but it received " +
                     std::to_string(xs.size()) + " input tensors");
  AttentionCallOptions o;
  Tensor* masks[] = {&o.query_mask, &o.value_mask, &o.key_mask};
  for (std::size_t i = 0; i < xs.size() && i < args.masks.size(); ++i) *masks[i] = detail::float_mask(args.masks[i]);
  for (const auto& [name, ts] : args.kwargs.tensors) {
    Tensor* slot = name == "attention_mask" ? &o.attention_mask
                   : name == "query_mask"   ? &o.query_mask
                   : name == "value_mask"   ? &o.value_mask
                   : name == "key_mask"     ? &o.key_mask
                                            : nullptr;
    if (!slot || ts.size() != 1)
      throw ValueError(who() + " does not take the keyword tensor argument \"" + name + "\"" +
                       (slot ? " as a list of " + std::to_string(ts.size()) + " tensors" : std::string()));
    *slot = detail::float_mask(ts[0]);
  }
  detail::read_call_options(args.kwargs.options, who(), o.use_causal_mask, o.return_attention_scores);
  return attend(xs[0], xs[1], xs.size() == 3 ? xs[2] : Tensor(), o, args.training);
}

Tensors MultiHeadAttentionImpl::compute_mask(const Tensors&, const Tensors& masks) {
  return {masks.empty() ? Tensor() : masks[0], Tensor()};
}

std::vector<TensorShape> MultiHeadAttentionImpl::compute_output_shape_args(const std::vector<TensorShape>& shapes,
                                                                           const ShapeKwargs& kwargs) {
  std::vector<TensorShape> out = compute_output_shape(shapes);
  bool causal = false, scores = false;
  detail::read_call_options(kwargs.options, who(), causal, scores);
  if (scores) out.push_back(TensorShape{shapes[0][0], num_heads_, shapes[0][1], shapes[1][1]});
  return out;
}

Tensors MultiHeadAttentionImpl::attend(const Tensor& query, const Tensor& value, const Tensor& key_in,
                                       const AttentionCallOptions& o, bool training) {
  if (!query.defined() || !value.defined()) throw ValueError(who() + " was called with an undefined query or value");
  const Tensor key = key_in.defined() ? key_in : value;
  if (!built()) {  // attend may be called directly, not through operator()
    std::vector<TensorShape> shapes;
    for (const Tensor* t : {&query, &value, &key_in}) {
      if (!t->defined()) continue;
      const Shape s = t->shape();
      shapes.emplace_back(s.begin(), s.end());
    }
    maybe_build(shapes);
  }
  check_inputs(query, value, key);
  auto project = [](const Tensor& x, const VariablePtr& kernel, const VariablePtr& bias) {
    return ops::einsum("abc,cde->abde", x, kernel->value, bias ? bias->value : Tensor());
  };
  // Keras scales the query (not the scores) by 1/sqrt(key_dim).
  const Tensor q = ops::scale(project(query, query_kernel_, query_bias_), 1.0f / std::sqrt(static_cast<float>(key_dim_)));
  const Tensor k = project(key, key_kernel_, key_bias_);
  const Tensor v = project(value, value_kernel_, value_bias_);
  const Tensor scores = ops::einsum("abcd,aecd->acbe", q, k);  // (B, N, T, S)
  // Keras 3 routes a dropout-free call that returns no scores through dot_product_attention (a fully
  // masked row averages the values); otherwise through its Softmax layer, which zeroes masked entries.
  const bool zero_masked = options_.dropout > 0.0 || o.return_attention_scores;
  const Tensor probs = ops::masked_softmax(scores, combined_mask(query, value, o), zero_masked);
  Tensor dropped = probs;
  if (training && options_.dropout > 0.0) {
    const double keep = 1.0 - options_.dropout;
    Array m = Array::from_shape(probs.shape());
    std::bernoulli_distribution draw(keep);
    for (auto& e : m) e = draw(rng_) ? static_cast<float>(1.0 / keep) : 0.0f;
    dropped = ops::mul(probs, Tensor(std::move(m)));
  }
  Tensor context = ops::einsum("abcd,adbe->acbe", dropped, v);  // (B, T, N, V)
  if (gate_kernel_) context = ops::mul(context, ops::sigmoid(project(query, gate_kernel_, gate_bias_)));
  const Tensor out = ops::einsum("abcd,cde->abe", context, output_kernel_->value, output_bias_ ? output_bias_->value : Tensor());
  if (o.return_attention_scores) return {out, probs};
  return {out};
}

std::vector<TensorShape> MultiHeadAttentionImpl::compute_output_shape(const std::vector<TensorShape>& shapes) {
  if (shapes.size() != 2 && shapes.size() != 3)
    throw ValueError(who() + " expects [query, value] or [query, value, key], but it received " +
                     std::to_string(shapes.size()) + " input shapes");
  const TensorShape& q = shapes[0];
  if (q.size() != 3 || shapes[1].size() != 3 || shapes.back().size() != 3)
    throw ValueError(who() + ": expected rank-3 query, value and key, got shapes " + shapes_str(shapes));
  if (shapes.size() == 3 && shapes[1][1] >= 0 && shapes[2][1] >= 0 && shapes[1][1] != shapes[2][1])
    throw ValueError(who() + ": the value and key must have the same number of steps, got shapes " + shapes_str(shapes));
  const Dim out = options_.output_shape ? *options_.output_shape : q[2];
  return {TensorShape{q[0], q[1], out}};
}

MultiHeadAttention::MultiHeadAttention(int num_heads, int key_dim, MultiHeadAttentionOptions options)
    : Holder<MultiHeadAttentionImpl>(std::make_shared<MultiHeadAttentionImpl>(num_heads, key_dim, std::move(options))) {}

}  // namespace xkeras::layers
