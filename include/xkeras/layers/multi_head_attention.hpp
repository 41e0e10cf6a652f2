// MultiHeadAttention: Keras's multi-head scaled dot-product attention (Vaswani et al.).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's MultiHeadAttention keyword arguments after num_heads and key_dim, with Keras's defaults.
struct MultiHeadAttentionOptions {
  XKERAS_OPTION(int, value_dim, 0)                                ///< 0: key_dim (Keras's None)
  XKERAS_OPTION(double, dropout, 0.0)
  XKERAS_OPTION(bool, use_bias, true)
  XKERAS_OPTION(std::optional<int>, output_shape)                 ///< none: the query's feature size
  XKERAS_OPTION(std::optional<std::vector<int>>, attention_axes)  ///< none: every axis between batch and features; only [1] for rank 3
  XKERAS_OPTION(Initializer, kernel_initializer, "glorot_uniform")
  XKERAS_OPTION(Initializer, bias_initializer, "zeros")
  XKERAS_OPTION(Regularizer, kernel_regularizer)
  XKERAS_OPTION(Regularizer, bias_regularizer)
  XKERAS_OPTION(Constraint, kernel_constraint)
  XKERAS_OPTION(Constraint, bias_constraint)
  XKERAS_OPTION(bool, use_gate, false)                            ///< Keras >= 3.14: sigmoid gate (Dq, N, V) on the attention output
  XKERAS_OPTION(std::optional<std::uint64_t>, seed)               ///< attention dropout's seed
  XKERAS_OPTION(std::string, name)
};

/// The per-call arguments of Keras's MultiHeadAttention.call besides the tensors. Masks are 0/1
/// float tensors; undefined = none.
struct AttentionCallOptions {
  XKERAS_OPTION(Tensor, attention_mask)  ///< (B, T, S) or broadcastable to it
  XKERAS_OPTION(Tensor, query_mask)      ///< (B, T)
  XKERAS_OPTION(Tensor, value_mask)      ///< (B, S)
  XKERAS_OPTION(Tensor, key_mask)        ///< (B, S)
  XKERAS_OPTION(bool, use_causal_mask, false)
  XKERAS_OPTION(bool, return_attention_scores, false)
};

class MultiHeadAttentionImpl : public Layer {
 public:
  /// Throws ValueError when num_heads, key_dim, value_dim or output_shape is not positive, the
  /// dropout is outside [0, 1), or attention_axes is not the rank-3 default.
  MultiHeadAttentionImpl(int num_heads, int key_dim, MultiHeadAttentionOptions options = {});

  /// [query (B, T, Dq), value (B, S, Dv)] or [query, value, key (B, S, Dk)]: creates, in Keras's order,
  /// query/kernel (Dq, N, H), query/bias (N, H), key/kernel (Dk, N, H), key/bias (N, H),
  /// [gate/kernel (Dq, N, V), gate/bias (N, V)], value/kernel (Dv, N, V), value/bias (N, V),
  /// attention_output/kernel (N, V, O), attention_output/bias (O,).
  void build_list(const std::vector<TensorShape>& input_shapes) override;
  /// [query, value(, key)] without masks: {output (B, T, O)}.
  Tensors call_list(const Tensors& xs, bool training) override;
  /// Keras's call: positional [query, value(, key)] (tf.keras's {"value": t} binds by name), their
  /// masks (args.masks), keyword tensors attention_mask / query_mask / value_mask / key_mask, options
  /// use_causal_mask and return_attention_scores.
  Tensors call_args(const Tensors& xs, const CallArgs& args) override;
  std::vector<std::string> call_arg_names() const override { return {"query", "value", "key"}; }
  /// The output carries the query's mask (the scores carry none).
  bool supports_masking() const override { return true; }
  Tensors compute_mask(const Tensors& xs, const Tensors& masks) override;
  /// With return_attention_scores: {(B, T, O), (B, N, T, S)}.
  std::vector<TensorShape> compute_output_shape_args(const std::vector<TensorShape>& input_shapes,
                                                     const ShapeKwargs& kwargs) override;
  /// The full call: {output} or, with return_attention_scores, {output, scores (B, N, T, S)}.
  Tensors attend(const Tensor& query, const Tensor& value, const Tensor& key, const AttentionCallOptions& options,
                 bool training);
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 order: name, trainable, dtype, num_heads, key_dim, value_dim, dropout, use_bias, use_gate,
  /// output_shape, attention_axes ([1] once built), sliding_window, kernel_initializer, bias_initializer,
  /// kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, seed.
  json get_config() const override;
  /// {"shapes_dict": {"query_shape", "value_shape"[, "key_shape"]}} once built.
  json build_config() const override;

  /// Reads Keras 3's, tf.keras's (query_shape/key_shape/value_shape build the weights at once;
  /// softmax_robust_masking) and TensorFlow.js's configs.
  static std::shared_ptr<MultiHeadAttentionImpl> from_config(const json& config, const std::string& path);

  int num_heads() const { return num_heads_; }
  int key_dim() const { return key_dim_; }
  int value_dim() const { return options_.value_dim; }

 private:
  std::string who() const;
  void check_inputs(const Tensor& query, const Tensor& value, const Tensor& key) const;
  Tensor combined_mask(const Tensor& query, const Tensor& value, const AttentionCallOptions& o) const;

  int num_heads_, key_dim_;
  MultiHeadAttentionOptions options_;
  bool key_given_ = false;  // build saw a separate key (for build_config)
  std::size_t query_dim_ = 0, key_feat_ = 0, value_feat_ = 0, out_dim_ = 0;
  VariablePtr query_kernel_, query_bias_, key_kernel_, key_bias_, gate_kernel_, gate_bias_, value_kernel_, value_bias_,
      output_kernel_, output_bias_;
  std::mt19937_64 rng_;
};

/// `layers::MultiHeadAttention(4, 32)` or with `{.dropout = 0.1}`; call `mha({query, value})`.
class MultiHeadAttention : public Holder<MultiHeadAttentionImpl> {
 public:
  MultiHeadAttention(int num_heads, int key_dim, MultiHeadAttentionOptions options = {});
  MultiHeadAttention(std::shared_ptr<MultiHeadAttentionImpl> impl) : Holder<MultiHeadAttentionImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
