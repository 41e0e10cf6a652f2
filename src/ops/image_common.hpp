// Checks shared by the NHWC image ops (conv2d, pooling, padding, upsampling); private to src/.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>

#include "ops/common.hpp"
#include "xkeras/ops/image.hpp"

namespace xkeras::ops::detail {

/// Throws unless x is a defined rank-4 (N, H, W, C) tensor.
inline void require_nhwc(const Tensor& x, const char* who) {
  if (!x.defined()) throw ValueError(std::string(who) + ": the input tensor is undefined");
  if (x.ndim() != 4)
    throw ValueError(std::string(who) + ": expected a 4-D input (batch, height, width, channels), got shape " +
                     shape_str(x.shape()));
}

/// Throws unless both entries of `v` are positive (and small enough that index arithmetic cannot overflow).
inline void require_positive(Size2 v, const char* who, const char* what) {
  constexpr int kMax = 1 << 24;
  if (v.h <= 0 || v.w <= 0 || v.h > kMax || v.w > kMax)
    throw ValueError(std::string(who) + ": expected `" + what + "` to be positive integers, got (" +
                     std::to_string(v.h) + ", " + std::to_string(v.w) + ")");
}

/// Throws when an output of `dims` would be absurdly large (or its size would overflow) instead of
/// letting the allocation fail or wrap around.
inline void require_sane_size(std::initializer_list<std::size_t> dims, const char* who) {
  double total = 1;
  for (auto d : dims) total *= static_cast<double>(d);
  if (total > static_cast<double>(std::size_t(1) << 36))
    throw ValueError(std::string(who) + ": the output would hold " + std::to_string(total) +
                     " elements, more than this framework allows (2^36)");
}

/// Output size of both spatial axes; throws when a window does not fit (Keras: "negative output size").
struct Window2D {
  Window1D h, w;
};
inline Window2D windows_2d(const Shape& xs, Size2 k, Size2 s, Size2 d, const std::string& padding, const char* who) {
  Window2D r{conv_window(static_cast<std::int64_t>(xs[1]), k.h, s.h, d.h, padding),
             conv_window(static_cast<std::int64_t>(xs[2]), k.w, s.w, d.w, padding)};
  if ((r.h.out <= 0 || r.w.out <= 0) && xs[1] > 0 && xs[2] > 0)
    throw ValueError(std::string(who) + ": the window (" + std::to_string(k.h) + ", " + std::to_string(k.w) +
                     ") with dilation (" + std::to_string(d.h) + ", " + std::to_string(d.w) +
                     ") does not fit the input of shape " + shape_str(xs) + " with padding=\"" + padding +
                     "\": the output size would be zero or negative");
  return r;
}

}  // namespace xkeras::ops::detail
