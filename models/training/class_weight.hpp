// Keras's class_weight -> sample_weight conversion (data_adapter_utils.class_weight_to_sample_weights).
#pragma once

#include "xkeras/training.hpp"

namespace xkeras::training {

/// One weight per sample: class_weight of the sample's class, 1 for a class the map does not name.
/// The class is the argmax of a one-hot row (last dim > 1), else the rounded label value.
Tensor class_weight_to_sample_weight(const Tensor& y, const ClassWeight& class_weight);

}  // namespace xkeras::training
