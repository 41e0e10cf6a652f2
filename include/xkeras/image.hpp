// Writing images (PNG through libpng): grids of grayscale pictures, e.g. an autoencoder's
// test images above their reconstructions.
#pragma once

#include <string>

#include "xkeras/tensor.hpp"

namespace xkeras::image {

/// Writes `images` (N, H, W) with values in [0, 1] (clipped) as one 8-bit grayscale PNG laid out
/// `columns` per row with a 2-pixel gap, every pixel drawn as a `scale` x `scale` square (1 to 64; the
/// gap scales too), so 28 x 28 images can be seen. Atomic (temporary file, then rename).
/// Throws IOError/ValueError.
void save_grid_png(const std::string& path, const Tensor& images, std::size_t columns, std::size_t scale = 1);

}  // namespace xkeras::image
