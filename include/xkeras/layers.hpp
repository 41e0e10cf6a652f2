// Every built-in layer: #include <xkeras/layers.hpp>
#pragma once

#include "xkeras/layers/activation.hpp"
#include "xkeras/layers/activation_layers.hpp"
#include "xkeras/layers/batch_normalization.hpp"
#include "xkeras/layers/conv2d.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/dropout.hpp"
#include "xkeras/layers/flatten.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/layers/lambda.hpp"
#include "xkeras/layers/layer_normalization.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/layers/pooling.hpp"
#include "xkeras/layers/reshape.hpp"
#include "xkeras/layers/unit_normalization.hpp"
#include "xkeras/layers/up_sampling2d.hpp"
#include "xkeras/layers/zero_padding2d.hpp"
