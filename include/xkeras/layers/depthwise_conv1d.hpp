// DepthwiseConv1D lives with DepthwiseConv1D/2D in depthwise_conv.hpp (one template on the number of spatial axes); this
// header keeps the include path.
#pragma once

#include "xkeras/layers/depthwise_conv.hpp"
