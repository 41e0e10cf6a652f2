// The optimizer's variables in Keras 3's weights file, group "optimizer/vars": 0 = iterations (int64),
// 1 = learning_rate (float32; absent when Keras had a schedule), then the slot variables of each
// trainable weight in model.trainable_weights() order, then optimizer scalars (Nadam's u_product).
// Slots named in one add_optimizer_variables call are interleaved per weight ("for backward-
// compatibility": Adam's momentum/velocity, Adadelta, Adamax, Nadam, Ftrl), each further call
// (velocity_hat, RMSprop's momentum, average_gradient) is a block of its own: OptimizerImpl::slot_groups().
#pragma once

#include "saving/h5_file.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving::keras3 {

/// Writes "optimizer/vars" of a compiled model (slots the optimizer has not made yet are fresh:
/// zeros or Adagrad's/Ftrl's initial accumulator, which is what Keras holds after building it).
void write_optimizer_vars(const ModelImpl& model, h5::Group& root);

/// Restores iterations, learning rate, slots and scalars into the compiled model's optimizer. A file whose
/// variable count fits neither layout is skipped with a warning on stderr, as Keras does; a slot of
/// the wrong shape or dtype is a ConfigError naming the HDF5 path.
void read_optimizer_vars(const ModelImpl& model, const h5::Group& root);

}  // namespace xkeras::saving::keras3
