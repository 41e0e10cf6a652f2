// Fused per-sample loss ops (private to src/losses). Each reduces the last axis in one pass and
// records one tape entry whose backward is written out above it in loss_ops.cpp. Gradients flow to
// y_pred only (targets are data); MSE and MAE also differentiate y_true, which costs nothing.
#pragma once

#include <string>

#include "xkeras/tensor.hpp"

namespace xkeras::losses::detail {

/// Keras's squeeze_or_expand_to_same_rank: when the ranks differ by one and the longer shape ends
/// in 1, both are read with that shape. Returns the common shape, or throws ValueError naming
/// `loss` and both shapes when they still differ.
Shape common_shape(const Tensor& y_true, const Tensor& y_pred, const std::string& loss);

/// mean((t - p)^2, axis=-1)
Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred, const std::string& loss);
/// mean(|t - p|, axis=-1)
Tensor mean_absolute_error(const Tensor& y_true, const Tensor& y_pred, const std::string& loss);
/// mean(bce(t', p), axis=-1) with t' = t (1 - ls) + ls / 2; probabilities are clipped to
/// [1e-7, 1 - 1e-7] (float32), logits use max(x, 0) - x t + log1p(exp(-|x|)).
Tensor binary_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits, float label_smoothing,
                           const std::string& loss);
/// -sum(t' log q, axis=-1) with t' = t (1 - ls) + ls / C; q = clip(p / sum(p)) or log_softmax(x).
Tensor categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits, float label_smoothing,
                                const std::string& loss);
/// The same with integer labels (stored as floats) of shape y_pred.shape[:-1] (or with a trailing 1).
Tensor sparse_categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                                       const std::string& loss);

}  // namespace xkeras::losses::detail
