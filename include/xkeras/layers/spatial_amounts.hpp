// Keras's (before, after) amount arguments of the cropping and zero-padding layers, for 1 and 3
// spatial axes (2 axes: Padding2D in zero_padding2d.hpp, used by ZeroPadding2D and Cropping2D).
#pragma once

#include <utility>
#include <vector>

#include "xkeras/layers/zero_padding2d.hpp"

namespace xkeras::layers {

/// One axis: an int (both ends) or (before, after): `1`, `{1, 2}`.
struct Amounts1D {
  int before = 1, after = 1;
  Amounts1D(int both) : before(both), after(both) {}  // NOLINT: Keras accepts an int
  Amounts1D(int b, int a) : before(b), after(a) {}
  std::vector<std::pair<int, int>> list() const { return {{before, after}}; }
};

/// Three axes: an int (everywhere), three ints (symmetric per axis) or three (before, after) pairs:
/// `1`, `{1, 2, 3}`, `{{1, 0}, {2, 2}, {0, 3}}`.
struct Amounts3D {
  std::pair<int, int> d{1, 1}, h{1, 1}, w{1, 1};
  Amounts3D(int all) : d(all, all), h(all, all), w(all, all) {}  // NOLINT: Keras accepts an int
  Amounts3D(int dd, int hh, int ww) : d(dd, dd), h(hh, hh), w(ww, ww) {}
  Amounts3D(std::pair<int, int> dd, std::pair<int, int> hh, std::pair<int, int> ww) : d(dd), h(hh), w(ww) {}
  std::vector<std::pair<int, int>> list() const { return {d, h, w}; }
};

inline std::vector<std::pair<int, int>> amounts_list(const Padding2D& p) {
  return {{p.top, p.bottom}, {p.left, p.right}};
}

}  // namespace xkeras::layers
