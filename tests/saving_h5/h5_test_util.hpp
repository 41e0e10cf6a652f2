// Shared helpers of the legacy .h5 tests: where the fixtures are, the values tools/make_h5_fixtures.py
// computed with numpy, and comparing a prediction with them.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "xkeras/json.hpp"
#include "xkeras/models/model.hpp"

namespace h5test {

inline std::string fixture(const std::string& name) { return XKERAS_SOURCE_DIR "/tests/data/h5/" + name; }

inline const xkeras::json& expected() {
  static const xkeras::json doc = [] {
    std::ifstream f(fixture("expected.json"));
    std::stringstream s;
    s << f.rdbuf();
    return xkeras::json::parse(s.str());
  }();
  return doc;
}

inline xkeras::Shape shape_of(const xkeras::json& j) {
  xkeras::Shape s;
  for (const auto& d : j) s.push_back(d.get<std::size_t>());
  return s;
}

/// The numpy input of `name`, flattened row-major into a tensor of its shape.
inline xkeras::Tensor input_of(const std::string& name) {
  const auto& e = expected().at(name);
  std::vector<float> flat;
  // depth-first, in order: the nested lists are row-major
  std::function<void(const xkeras::json&)> walk = [&](const xkeras::json& j) {
    if (j.is_array()) for (const auto& x : j) walk(x);
    else flat.push_back(static_cast<float>(j.get<double>()));
  };
  walk(e.at("input"));
  return xkeras::Tensor::from(shape_of(e.at("input_shape")), flat);
}

/// Checks `y` against the numpy output of `name` within `tol` (absolute); returns the worst error.
inline double check_output(const std::string& name, const xkeras::Tensor& y, double tol) {
  const auto& e = expected().at(name);
  const auto want = e.at("output");
  REQUIRE(y.shape() == shape_of(e.at("output_shape")));
  double worst = 0;
  for (std::size_t i = 0; i < want.size(); ++i) worst = std::max(worst, std::abs(double(y.data()[i]) - want[i].get<double>()));
  INFO(name << ": worst absolute error " << worst);
  CHECK(worst <= tol);
  return worst;
}

}  // namespace h5test
