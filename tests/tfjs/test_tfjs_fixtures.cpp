// Models that TensorFlow.js 4.22 built, saved and ran (tests/data/tfjs, made by tools/tfjs/gen_fixtures.js):
// load_model reads each whole (topology, manifest, shards; quantized, sharded, converter-wrapped variants)
// and predicts what tfjs predicted, within 1e-5. Where tfjs deviates from Keras, xkeras follows Keras and
// the case says so.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "xkeras/json.hpp"
#include "xkeras/models/model.hpp"

using namespace xkeras;
namespace fs = std::filesystem;

namespace {

const fs::path kDir = fs::path(XKERAS_SOURCE_DIR) / "tests" / "data" / "tfjs";

json read_json(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return json::parse(s.str());
}

Tensor tensor_of(const json& j) {
  Shape shape = j.at("shape").get<Shape>();
  Tensor t = Tensor::zeros(shape);
  const auto& data = j.at("data");
  REQUIRE(data.size() == t.size());
  for (std::size_t i = 0; i < data.size(); ++i) t.data()[i] = data[i].get<float>();
  return t;
}

// Keras 3 / TF2's bilinear resize (half-pixel centres, edges clamped), written out independently of
// xkeras's op: tfjs samples without half-pixel centres, so its numbers are not Keras's here.
Tensor keras_bilinear(const Tensor& x, std::size_t sh, std::size_t sw) {
  const auto s = x.shape();
  const std::size_t N = s[0], H = s[1], W = s[2], C = s[3];
  Tensor y = Tensor::zeros({N, H * sh, W * sw, C});
  auto src = [](std::size_t o, std::size_t in, std::size_t out) {
    double p = (o + 0.5) * double(in) / double(out) - 0.5;
    return std::min(std::max(p, 0.0), double(in - 1));
  };
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t i = 0; i < H * sh; ++i)
      for (std::size_t j = 0; j < W * sw; ++j)
        for (std::size_t c = 0; c < C; ++c) {
          const double py = src(i, H, H * sh), px = src(j, W, W * sw);
          const std::size_t y0 = std::size_t(py), x0 = std::size_t(px);
          const std::size_t y1 = std::min(y0 + 1, H - 1), x1 = std::min(x0 + 1, W - 1);
          const double fy = py - y0, fx = px - x0;
          auto at = [&](std::size_t a, std::size_t b) { return double(x.data()[((n * H + a) * W + b) * C + c]); };
          const double v = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
          y.data()[((n * H * sh + i) * W * sw + j) * C + c] = float(v);
        }
  return y;
}

}  // namespace

TEST_CASE("TensorFlow.js fixtures load with their weights and predict what tfjs predicted", "[tfjs]") {
  std::map<std::string, double> worst;
  std::size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (!fs::exists(entry.path() / "expected.json")) continue;
    const std::string name = entry.path().filename().string();
    const json expected = read_json(entry.path() / "expected.json");
    std::optional<Model> loaded;
    try {
      loaded = load_model((entry.path() / "model.json").string());
    } catch (const std::exception& e) {
      FAIL_CHECK("case " << name << ": " << e.what());
      continue;
    }
    Model& m = *loaded;
    INFO("case " << name);
    Tensors xs;
    for (const auto& in : expected.at("inputs")) xs.push_back(tensor_of(in));
    const Tensors ys = m.predict(xs);
    REQUIRE(ys.size() == expected.at("outputs").size());
    double err = 0;
    for (std::size_t k = 0; k < ys.size(); ++k) {
      Tensor want = tensor_of(expected["outputs"][k]);
      if (name == "upsampling2d_bilinear") want = keras_bilinear(xs[0], 2, 2);  // tfjs deviates: follow Keras 3
      REQUIRE(ys[k].shape() == want.shape());
      for (std::size_t i = 0; i < want.size(); ++i) {
        const double d = std::fabs(double(ys[k].data()[i]) - double(want.data()[i]));
        err = std::max(err, std::isnan(d) ? INFINITY : d / std::max(1.0, std::fabs(double(want.data()[i]))));
      }
    }
    worst[name] = err;
    CHECK(err <= 1e-5);
    ++cases;
  }
  for (const auto& [k, v] : worst) std::cout << "TFJS-WORST " << k << " " << v << "\n";
  CHECK(cases >= 70);
}
