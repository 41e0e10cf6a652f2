// NHWC 2-D (and NDHWC 3-D) convolution through oneDNN (the library PyTorch uses for its CPU convolutions).
// Activations stay in our NHWC buffers; only the small kernel is reordered into the layout oneDNN's
// kernels want. Primitives are built once per geometry and cached per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace xkeras::kernels {

/// Geometry of one NHWC convolution (all sizes already validated by the op, all non-zero).
struct ConvGeometry {
  std::size_t n = 0, h = 0, w = 0, c = 0;  // input (N, H, W, C)
  std::size_t kh = 1, kw = 1;              // kernel window
  std::size_t f = 0;                       // filters (output channels)
  std::size_t oh = 0, ow = 0;              // output spatial size
  std::size_t sh = 1, sw = 1;              // strides
  std::size_t dh = 1, dw = 1;              // dilation
  std::int64_t pad_top = 0, pad_left = 0;  // padding before; the padding after is implied by oh/ow
  std::size_t groups = 1;
  bool bias = false;
  // A third spatial axis in front of H (Conv3D, NDHWC): input depth, window, output, stride,
  // dilation and padding before. 2-D geometries leave volumetric false and these at 1 / 0.
  bool volumetric = false;
  std::size_t id = 1, kd = 1, od = 1, sd = 1, dd = 1;
  std::int64_t pad_front = 0;
};

/// The oneDNN primitives of one geometry (opaque; shared by a forward and its backward).
struct ConvPlan;
std::shared_ptr<ConvPlan> conv2d_plan(const ConvGeometry& g);

/// y (N, [OD,] OH, OW, F) = conv(x, kernel) + bias. `kernel` is in Keras layout ([kd,] kh, kw, C/groups, F);
/// `bias` may be null when the geometry has none. y is overwritten.
void conv2d_forward(ConvPlan& p, const float* x, const float* kernel, const float* bias, float* y);
/// Builds the backward-data primitive now (conv2d_backward_data would on first use), so a caller can
/// fail before it touches a gradient buffer.
void conv2d_prepare_backward_data(ConvPlan& p);
/// dx (N, H, W, C) = the input gradient for output gradient dy; dx is overwritten.
void conv2d_backward_data(ConvPlan& p, const float* dy, const float* kernel, float* dx);
/// dkernel (Keras layout) and dbias (may be null) from x and dy; both are overwritten.
void conv2d_backward_weights(ConvPlan& p, const float* x, const float* dy, float* dkernel, float* dbias);

}  // namespace xkeras::kernels
