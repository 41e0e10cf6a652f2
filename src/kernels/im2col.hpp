// im2col / col2im for NHWC convolution: turns a 2-D convolution into one GEMM against the Keras
// kernel, whose (kh, kw, C/groups, F) layout already is the (kh*kw*C/groups, F) GEMM matrix.
#pragma once

#include <cstddef>
#include <cstdint>

namespace xkeras::kernels {

/// Geometry of one NHWC convolution (all sizes already validated by the op).
struct ConvGeometry {
  std::size_t n = 0, h = 0, w = 0, c = 0;  // input (N, H, W, C)
  std::size_t kh = 1, kw = 1;              // kernel window
  std::size_t oh = 0, ow = 0;              // output spatial size
  std::size_t sh = 1, sw = 1;              // strides
  std::size_t dh = 1, dw = 1;              // dilation
  std::int64_t pad_top = 0, pad_left = 0;  // padding before; the padding after is implied by oh/ow
  std::size_t groups = 1;

  std::size_t rows() const { return n * oh * ow; }       // one GEMM row per output pixel
  std::size_t group_cols() const { return kh * kw * (c / groups); }
  std::size_t cols() const { return group_cols() * groups; }  // == kh * kw * C
  /// True when the input itself is the column matrix (1x1 kernel, stride 1, no padding).
  bool is_pointwise() const {
    return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pad_top == 0 && pad_left == 0 && oh == h && ow == w;
  }
};

/// Writes rows [r0, r1) of the column matrix into `col` (row stride cols()). Row r is output pixel
/// (n, oh, ow) in row-major order; its column g*group_cols() + (i*kw + j)*(C/groups) + c holds
/// x[n, oh*sh + i*dh - pad_top, ow*sw + j*dw - pad_left, g*(C/groups) + c], or 0 in the padding.
/// Group-major columns make each group's block a plain sub-matrix (lda = cols()) for its GEMM.
void im2col(const ConvGeometry& g, const float* x, std::size_t r0, std::size_t r1, float* col);

/// The adjoint of im2col: adds every entry of rows [r0, r1) of `col` into the input cell it was
/// copied from (padding entries are dropped).
void col2im_add(const ConvGeometry& g, const float* col, std::size_t r0, std::size_t r1, float* dx);

}  // namespace xkeras::kernels
