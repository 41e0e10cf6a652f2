#include <png.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "xkeras/errors.hpp"
#include "xkeras/image.hpp"

namespace xkeras::image {

void save_grid_png(const std::string& path, const Tensor& images, std::size_t columns, std::size_t scale) {
  if (images.ndim() != 3)
    throw ValueError("save_grid_png: expected images of shape (N, H, W), got " + shape_str(images.shape()));
  const std::size_t n = images.dim(0), h = images.dim(1), w = images.dim(2);
  if (n == 0 || columns == 0) throw ValueError("save_grid_png: need at least one image and one column");
  if (scale < 1 || scale > 64) throw ValueError("save_grid_png: scale must be in [1, 64], got " + std::to_string(scale));
  const std::size_t gap = 2 * scale, cols = std::min(columns, n), rows = (n + cols - 1) / cols;
  // Checked before multiplying by the scale, so a huge N or H cannot wrap the sizes around.
  if (cols * w + (cols + 1) * 2 > 65535 / scale || rows * h + (rows + 1) * 2 > 65535 / scale)
    throw ValueError("save_grid_png: the grid would be larger than 65535 pixels");
  const std::size_t width = (cols * w + (cols + 1) * 2) * scale, height = (rows * h + (rows + 1) * 2) * scale;
  std::vector<png_byte> pixels(width * height, 255);  // white background between tiles
  const float* p = images.data();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t top = gap + (k / cols) * (h * scale + gap), left = gap + (k % cols) * (w * scale + gap);
    for (std::size_t i = 0; i < h; ++i)
      for (std::size_t j = 0; j < w; ++j) {
        const float v = std::clamp(p[(k * h + i) * w + j], 0.0f, 1.0f);
        const png_byte g = static_cast<png_byte>(v * 255.0f + 0.5f);
        for (std::size_t a = 0; a < scale; ++a)
          std::fill_n(&pixels[(top + i * scale + a) * width + left + j * scale], scale, g);
      }
  }
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  img.width = static_cast<png_uint_32>(width);
  img.height = static_cast<png_uint_32>(height);
  img.format = PNG_FORMAT_GRAY;
  const std::string tmp = path + ".tmp-" + std::to_string(std::random_device{}());
  if (!png_image_write_to_file(&img, tmp.c_str(), 0, pixels.data(), static_cast<png_int_32>(width), nullptr)) {
    std::remove(tmp.c_str());
    throw IOError("cannot write PNG " + path + ": " + img.message);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw IOError("cannot move PNG into place: " + path);
  }
}

}  // namespace xkeras::image
