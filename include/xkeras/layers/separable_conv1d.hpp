// SeparableConv1D lives with SeparableConv1D/2D in separable_conv.hpp (one template on the number of spatial axes); this
// header keeps the include path.
#pragma once

#include "xkeras/layers/separable_conv.hpp"
