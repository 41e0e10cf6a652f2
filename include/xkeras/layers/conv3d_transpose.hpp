// Conv3DTranspose lives with Conv1D/2D/3DTranspose in conv_transpose.hpp (one template on the number of spatial
// axes); this header keeps the include path.
#pragma once

#include "xkeras/layers/conv_transpose.hpp"
