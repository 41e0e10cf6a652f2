// Attention (Luong, dot-product) and AdditiveAttention (Bahdanau), Keras's dense attention layers.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// The per-call arguments of Keras's Attention.call besides the tensors (masks: 0/1 floats; undefined = none).
struct DenseAttentionCall {
  Tensor query_mask;  // (B, Tq): rows of masked query steps are zeroed
  Tensor value_mask;  // (B, Tv): masked value steps get no attention
  bool use_causal_mask = false;
  bool return_attention_scores = false;
};

/// Keras's BaseDenseAttention: [query (B, Tq, D), value (B, Tv, Dv)(, key (B, Tv, D))] -> (B, Tq, Dv),
/// softmax over the value steps of scores() with -1e9 on masked keys. Subclasses give the scores.
class DenseAttentionImpl : public Layer {
 public:
  Tensors call_list(const Tensors& xs, bool training) override;
  /// Keras's call: [query, value(, key)], masks [query_mask, value_mask(, ignored key mask)] from
  /// args.masks, options use_causal_mask and return_attention_scores.
  Tensors call_args(const Tensors& xs, const CallArgs& args) override;
  /// The output carries the query's mask (the scores carry none).
  bool supports_masking() const override { return true; }
  Tensors compute_mask(const Tensors& xs, const Tensors& masks) override;
  /// With return_attention_scores: {(B, Tq, Dv), (B, Tq, Tv)}.
  std::vector<TensorShape> compute_output_shape_args(const std::vector<TensorShape>& input_shapes,
                                                     const ShapeKwargs& kwargs) override;
  /// The full call: {output} or, with return_attention_scores, {output, scores (B, Tq, Tv)}.
  Tensors attend(const Tensors& xs, const DenseAttentionCall& options, bool training);
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  bool takes_list() const override { return true; }

  bool use_scale() const { return use_scale_; }
  double dropout() const { return dropout_; }

 protected:
  DenseAttentionImpl(const std::string& class_name, bool use_scale, double dropout, std::optional<std::uint64_t> seed,
                     std::string name);
  /// Scores (B, Tq, Tv) of query (B, Tq, D) against key (B, Tv, D).
  virtual Tensor scores(const Tensor& query, const Tensor& key) const = 0;
  std::string who() const;
  void check_shapes(const std::vector<TensorShape>& shapes) const;

  bool use_scale_;
  double dropout_;
  std::optional<std::uint64_t> seed_;
  bool causal_ = false;  // tf.keras < 2.11's `causal` argument: every call is causal
  std::mt19937_64 rng_;
};

/// Keras's Attention(use_scale=False, score_mode="dot", dropout=0.0, seed=None).
struct AttentionOptions {
  XKERAS_OPTION(bool, use_scale, false)
  XKERAS_OPTION(std::string, score_mode, "dot")  ///< "dot": q·k; "concat": c · sum(tanh(s · (q + k)))
  XKERAS_OPTION(double, dropout, 0.0)
  XKERAS_OPTION(std::optional<std::uint64_t>, seed)
  XKERAS_OPTION(std::string, name)
};

class AttentionImpl : public DenseAttentionImpl {
 public:
  explicit AttentionImpl(AttentionOptions options = {});
  /// scale () when use_scale, then concat_score_weight () for score_mode "concat", both initialized to 1.
  void build_list(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 order: name, trainable, dtype, use_scale, score_mode, dropout, seed.
  json get_config() const override;
  static std::shared_ptr<AttentionImpl> from_config(const json& config, const std::string& path);

  const std::string& score_mode() const { return score_mode_; }

 protected:
  Tensor scores(const Tensor& query, const Tensor& key) const override;

 private:
  std::string score_mode_;
  VariablePtr scale_, concat_score_weight_;
};

/// Keras's AdditiveAttention(use_scale=True, dropout=0.0): scores sum_d scale_d tanh(q_d + k_d).
struct AdditiveAttentionOptions {
  XKERAS_OPTION(bool, use_scale, true)
  XKERAS_OPTION(double, dropout, 0.0)
  XKERAS_OPTION(std::optional<std::uint64_t>, seed)
  XKERAS_OPTION(std::string, name)
};

class AdditiveAttentionImpl : public DenseAttentionImpl {
 public:
  explicit AdditiveAttentionImpl(AdditiveAttentionOptions options = {});
  /// scale (D,), glorot_uniform, when use_scale (D: the query's last dimension).
  void build_list(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 order: name, trainable, dtype, use_scale, dropout, seed.
  json get_config() const override;
  static std::shared_ptr<AdditiveAttentionImpl> from_config(const json& config, const std::string& path);

 protected:
  Tensor scores(const Tensor& query, const Tensor& key) const override;

 private:
  VariablePtr scale_;
};

/// `layers::Attention()` or `layers::Attention({.use_scale = true, .score_mode = "concat"})`; call it on {q, v(, k)}.
class Attention : public Holder<AttentionImpl> {
 public:
  explicit Attention(AttentionOptions options = {});
  Attention(std::shared_ptr<AttentionImpl> impl) : Holder<AttentionImpl>(std::move(impl)) {}  // NOLINT
};

class AdditiveAttention : public Holder<AdditiveAttentionImpl> {
 public:
  explicit AdditiveAttention(AdditiveAttentionOptions options = {});
  AdditiveAttention(std::shared_ptr<AdditiveAttentionImpl> impl) : Holder<AdditiveAttentionImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
