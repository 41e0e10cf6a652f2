// The tape side of every oneDNN convolution op (conv1d/2d, depthwise, transposed): the shapes and
// padding are the caller's business; these run a validated kernels::ConvGeometry and record the
// backward. Private to src/.
#pragma once

#include <string>

#include "kernels/conv2d.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::ops::detail {

/// y (shape `y_shape`, the memory of (N, [OD,] OH, OW, F)) = conv(x, kernel) + bias under geometry g.
/// x and the kernel are read as raw memory, so a (N, T, C) input is the (N, 1, T, C) image and a
/// depthwise kernel (kh, kw, C, M) is the grouped kernel (kh, kw, 1, C * M). Records `name` on the tape.
Tensor conv_forward(const char* name, const Tensor& x, const Tensor& kernel, const Tensor& bias,
                    const kernels::ConvGeometry& g, const Shape& y_shape);

/// The transposed convolution: y = the input-gradient of the convolution g whose *input* is y
/// (N, g.h, g.w, g.c) and whose *output* is x (N, g.oh, g.ow, g.f); the kernel is g's (kh, kw, g.c, g.f),
/// which is Keras's transposed layout (kh, kw, filters, in_channels). bias (g.c,) is added to y.
/// A volumetric g has the depth axes (g.id, g.od, g.kd) in front of H.
Tensor conv_transpose_forward(const char* name, const Tensor& x, const Tensor& kernel, const Tensor& bias,
                              const kernels::ConvGeometry& g, const Shape& y_shape);

/// One spatial axis of a geometry: input length, window, output length, stride, dilation, padding before.
struct ConvAxis {
  std::size_t in = 1, k = 1, out = 1, s = 1, d = 1;
  std::int64_t before = 0;
};
/// The geometry of an NHWC convolution; a 1-D op passes ConvAxis{} (length 1) as the height.
kernels::ConvGeometry make_geometry(std::size_t n, ConvAxis h, ConvAxis w, std::size_t c, std::size_t f,
                                    std::size_t groups, bool bias);

/// The geometry of an NDHWC convolution (Conv3D).
kernels::ConvGeometry make_geometry3(std::size_t n, ConvAxis d, ConvAxis h, ConvAxis w, std::size_t c, std::size_t f,
                                     std::size_t groups, bool bias);

/// Throws unless t is a defined tensor of rank `rank`; `what` describes the expected axes.
void require_rank(const Tensor& t, std::size_t rank, const char* op, const char* what);
/// Throws unless bias is undefined or of shape (n,).
void require_bias(const Tensor& bias, std::size_t n, const char* op);

/// The geometry in words, for error messages.
std::string geometry_str(const kernels::ConvGeometry& g);

}  // namespace xkeras::ops::detail
