// Everything a user needs: #include <xkeras/xkeras.hpp>
#pragma once

#include "xkeras/activations.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/initializers.hpp"
#include "xkeras/layer.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/losses.hpp"
#include "xkeras/metrics.hpp"
#include "xkeras/models/model.hpp"
#include "xkeras/models/sequential.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/optimizers.hpp"
#include "xkeras/registry.hpp"
#include "xkeras/regularizers.hpp"
#include "xkeras/tape.hpp"
#include "xkeras/tensor.hpp"
#include "xkeras/training.hpp"
