// Reading, checking and writing the per-axis (before, after) amounts of the cropping and padding
// layers; private to layers/.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "layers/image_layer_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::layers::detail {

using AmountList = std::vector<std::pair<int, int>>;
inline constexpr int kMaxAmount = 1 << 24;

/// "((1, 2), (0, 0))", or "(1, 2)" for one axis, as Keras prints the tuple.
inline std::string amounts_str(const AmountList& v) {
  auto pair = [](const std::pair<int, int>& p) { return "(" + std::to_string(p.first) + ", " + std::to_string(p.second) + ")"; };
  if (v.size() == 1) return pair(v[0]);
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + pair(v[i]);
  return s + ")";
}

/// Throws (naming the layer) unless every amount is in [0, 2^24].
inline void require_amounts(const AmountList& v, const std::string& who, const char* what) {
  for (const auto& [b, a] : v)
    if (b < 0 || a < 0 || b > kMaxAmount || a > kMaxAmount)
      throw ValueError(who + ": `" + what + "` amounts must be non-negative integers. Received: " + what + "=" +
                       amounts_str(v));
}

/// Keras's JSON form: [b, a] for one axis, [[b, a], ...] for more.
inline json amounts_json(const AmountList& v) {
  if (v.size() == 1) return json::array({v[0].first, v[0].second});
  json j = json::array();
  for (const auto& [b, a] : v) j.push_back(json::array({b, a}));
  return j;
}

/// An amount argument from a config, in any form Keras accepts for `axes` axes: an int; for one
/// axis [b, a]; for more, a list of `axes` entries each an int (symmetric) or [b, a].
inline AmountList read_amounts(const ConfigReader& r, const char* key, std::size_t axes, const AmountList& def) {
  if (!r.has(key)) return def;
  const json& j = r.raw(key);
  auto amount = [&](const json& v) {
    if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > kMaxAmount)
      r.fail(key, "expected non-negative integers, got " + shown(j));
    return v.get<int>();
  };
  auto pair = [&](const json& v) -> std::pair<int, int> {
    if (v.is_number()) return {amount(v), amount(v)};
    if (!v.is_array() || v.size() != 2) r.fail(key, "expected an int or a pair of ints for each axis, got " + shown(j));
    return {amount(v[0]), amount(v[1])};
  };
  if (j.is_number()) return AmountList(axes, pair(j));
  if (axes == 1) return {pair(j)};
  if (!j.is_array() || j.size() != axes)
    r.fail(key, "expected an int, " + std::to_string(axes) + " ints or " + std::to_string(axes) + " pairs of ints, got " +
                    shown(j));
  AmountList out;
  for (const auto& e : j) out.push_back(pair(e));
  return out;
}

}  // namespace xkeras::layers::detail
