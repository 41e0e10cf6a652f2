// Embedding: integer ids -> rows of a trainable (input_dim, output_dim) table, Keras's layers.Embedding.
//
//   auto tokens = Input({200}, "int32");
//   auto e = layers::Embedding(20000, 128, {.mask_zero = true})(tokens);   // (None, 200, 128), masked where id == 0
#pragma once

#include <string>

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's Embedding keyword arguments, with Keras's defaults.
struct EmbeddingOptions {
  XKERAS_OPTION(Initializer, embeddings_initializer, "uniform")  ///< RandomUniform(-0.05, 0.05)
  XKERAS_OPTION(Regularizer, embeddings_regularizer)
  XKERAS_OPTION(Constraint, embeddings_constraint)
  /// Index 0 is padding: the output carries the mask ids != 0 (row 0 is still E[0]).
  XKERAS_OPTION(bool, mask_zero, false)
  XKERAS_OPTION(std::string, name)                               ///< empty: auto-name "embedding", "embedding_1", ...
};

class EmbeddingImpl : public Layer {
 public:
  /// Throws ValueError unless input_dim and output_dim are positive.
  EmbeddingImpl(int input_dim, int output_dim, EmbeddingOptions options = {});

  /// Creates `embeddings` (input_dim, output_dim); any input shape.
  void build(const TensorShape& input_shape) override;
  /// out[..., :] = E[ids[...], :] (ops::take on axis 0). Float ids are truncated as Keras casts them;
  /// an id outside [-input_dim, input_dim) is a ValueError naming it (negative ids count from the end, as ops.take).
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  bool accepts_int_inputs() const override { return true; }
  bool supports_masking() const override { return options_.mask_zero; }
  /// mask_zero: ids != 0 (the input's shape); otherwise none.
  Tensors compute_mask(const Tensors& xs, const Tensors& masks) override;
  /// Keras 3 order: name, trainable, dtype, input_dim, output_dim, embeddings_initializer,
  /// embeddings_regularizer, activity_regularizer, embeddings_constraint, mask_zero.
  json get_config() const override;
  /// Also reads tf.keras / Keras 2 / TFJS configs (input_length is read and dropped, as Keras 3 does).
  static std::shared_ptr<EmbeddingImpl> from_config(const json& config, const std::string& path);

  int input_dim() const { return input_dim_; }
  int output_dim() const { return output_dim_; }
  bool mask_zero() const { return options_.mask_zero; }
  const VariablePtr& embeddings() const { return embeddings_; }

 private:
  int input_dim_, output_dim_;
  EmbeddingOptions options_;
  VariablePtr embeddings_;
};

/// `layers::Embedding(1000, 64)` or `layers::Embedding(1000, 64, {.mask_zero = true})`.
class Embedding : public Holder<EmbeddingImpl> {
 public:
  Embedding(int input_dim, int output_dim, EmbeddingOptions options = {});
  Embedding(std::shared_ptr<EmbeddingImpl> impl) : Holder<EmbeddingImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
