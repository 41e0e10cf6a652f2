// One output's loss with Keras 3's sample weights and masks ("sum_over_batch_size" reduction).
#pragma once

#include "xkeras/losses.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::training {

/// Keras's Loss.__call__(y_true, y_pred, sample_weight): the per-sample losses times the weights,
/// summed and divided by the NUMBER of loss values (not the sum of the weights; zero weights still
/// count). `sample_weight` is undefined (none), shape (N,) / (N, 1), or the per-sample losses' shape.
/// A Keras mask on y_pred leaves the masked entries out: the divisor is then the count of unmasked ones.
Tensor weighted_loss(const Loss& loss, const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight);

}  // namespace xkeras::training
