// Writing images (PNG through libpng): grids of grayscale pictures, e.g. an autoencoder's
// test images above their reconstructions.
#pragma once

#include <string>

#include "xkeras/tensor.hpp"

namespace xkeras::image {

/// Writes `images` (N, H, W) with values in [0, 1] (clipped) as one 8-bit grayscale PNG laid out
/// `columns` per row with a 2-pixel gap. Atomic (temporary file, then rename). Throws IOError/ValueError.
void save_grid_png(const std::string& path, const Tensor& images, std::size_t columns);

}  // namespace xkeras::image
