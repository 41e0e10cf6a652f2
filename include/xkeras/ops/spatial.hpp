// Ops over the spatial axes of channels-last tensors of any spatial rank: sequences (N, T, C),
// images (N, H, W, C) and volumes (N, D, H, W, C). Keras's 1-D and 3-D pooling, cropping, zero
// padding and upsampling layers are each one of these fused ops (forward kernel + hand-written
// backward). Per-axis arguments are lists with one entry per spatial axis, in axis order.
// Windows follow the TF "valid"/"same" rule of image.hpp (extra padding at the end of an axis).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "xkeras/ops/image.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::ops {

/// Max over each window of a rank 3, 4 or 5 tensor; `pool_size` and `strides` hold one positive
/// entry per spatial axis. Padded cells never win; the gradient goes to the first maximum of each
/// window (row-major order within the window). A NaN in a window is its maximum.
Tensor max_pool(const Tensor& x, const std::vector<int>& pool_size, const std::vector<int>& strides,
                const std::string& padding = "valid");
/// Mean over each window, dividing by the number of cells inside the input ("same" padding is not counted).
Tensor avg_pool(const Tensor& x, const std::vector<int>& pool_size, const std::vector<int>& strides,
                const std::string& padding = "valid");

/// Max / mean over every spatial axis: (N, ..., C) -> (N, C), or (N, 1, ..., 1, C) with keepdims.
/// The max's gradient goes to the first maximum of each channel.
Tensor global_max_pool(const Tensor& x, bool keepdims = false);
Tensor global_avg_pool(const Tensor& x, bool keepdims = false);

/// Zeros before/after each spatial axis: `pads[k] = {before, after}` for spatial axis k (all >= 0).
Tensor spatial_zero_pad(const Tensor& x, const std::vector<std::pair<int, int>>& pads);
/// Removes `crops[k] = {before, after}` cells from spatial axis k; the amounts must leave at least one cell.
Tensor spatial_crop(const Tensor& x, const std::vector<std::pair<int, int>>& crops);

/// Nearest-neighbour upsampling: spatial axis k repeated `sizes[k]` times per cell
/// ((N, T, C) -> (N, s*T, C) for one axis), Keras's ops.repeat along each axis.
Tensor upsample_nearest(const Tensor& x, const std::vector<int>& sizes);

/// Bilinear resize of (N, H, W, C) images to (N, out_h, out_w, C) with half-pixel centres, as
/// tf.image.resize / Keras 3's ops.image.resize(interpolation="bilinear", antialias=False):
/// source coordinate s = (o + 0.5) * in / out - 0.5, neighbours floor(s) and floor(s) + 1 clamped to
/// the input, weight s - floor(s) on the second.
Tensor resize_bilinear(const Tensor& x, std::size_t out_h, std::size_t out_w);

}  // namespace xkeras::ops
