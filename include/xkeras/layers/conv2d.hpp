// Conv2D lives with Conv1D/2D/3D in conv.hpp (one template on the number of spatial axes); this header keeps
// the include path.
#pragma once

#include "xkeras/layers/conv.hpp"
