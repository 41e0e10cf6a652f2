// NaN propagates as it does in TensorFlow (and so in Keras): relu, maximum/minimum, max/min
// reductions and max pooling keep a NaN instead of dropping it (TF >= 2.4 propagates NaN through
// Max/Min). Before, relu mapped NaN to 0: one NaN input left weights NaN while the loss looked healthy.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include <xkeras/activations.hpp>
#include <xkeras/ops.hpp>
#include <xkeras/ops/image.hpp>
#include <xkeras/tape.hpp>

#include <xtensor/xbuilder.hpp>

using namespace xkeras;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

bool is_nan(float v) { return std::isnan(v); }

}  // namespace

TEST_CASE("every activation maps NaN to NaN and keeps finite values finite") {
  const Tensor x = Tensor::from({1, 3}, {kNaN, 0.5f, -0.5f});
  for (const auto& name : activations::names()) {
    INFO(name);
    const std::string c = activations::canonical(name);  // names() lists the aliases too
    if (c == "glu") continue;  // halves the last axis (tests/activations checks its NaN)
    const auto y = activations::apply(name, x).to_vector();
    if (c == "softmax" || c == "log_softmax" || c == "sparsemax") {
      for (float v : y) CHECK(is_nan(v));  // one NaN in a row makes the whole row NaN, as in TF
    } else {
      CHECK(is_nan(y[0]));
      CHECK(std::isfinite(y[1]));
      CHECK(std::isfinite(y[2]));
    }
  }
}

TEST_CASE("relu keeps NaN, its gradient at NaN is 0, as TF's ReluGrad") {
  Tensor x(Tensor::from({3}, {kNaN, 2.0f, -1.0f}).value(), true);
  Tensor y = ops::relu(x);
  CHECK(is_nan(y.to_vector()[0]));
  CHECK(y.to_vector()[1] == 2.0f);
  CHECK(y.to_vector()[2] == 0.0f);
  Tape::current().clear();
  Tensor x2(Tensor::from({3}, {kNaN, 2.0f, -1.0f}).value(), true);
  Tape::current().backward(ops::relu(x2), Array(xt::ones<float>({3})));
  CHECK(x2.grad().data()[0] == 0.0f);
  CHECK(x2.grad().data()[1] == 1.0f);
  CHECK(x2.grad().data()[2] == 0.0f);
}

TEST_CASE("maximum, minimum and clip propagate NaN from either side") {
  const Tensor a = Tensor::from({4}, {kNaN, 1.0f, 3.0f, kNaN});
  const Tensor b = Tensor::from({4}, {1.0f, kNaN, 2.0f, kNaN});
  for (const auto& y : {ops::maximum(a, b), ops::minimum(a, b)}) {
    const auto v = y.to_vector();
    CHECK(is_nan(v[0]));
    CHECK(is_nan(v[1]));
    CHECK(!is_nan(v[2]));
    CHECK(is_nan(v[3]));
  }
  CHECK(ops::maximum(a, b).to_vector()[2] == 3.0f);
  CHECK(ops::minimum(a, b).to_vector()[2] == 2.0f);
  CHECK(is_nan(ops::clip(a, 0.0f, 1.0f).to_vector()[0]));
}

TEST_CASE("max and min reductions propagate NaN, the gradient goes to the NaN") {
  Tensor x(Tensor::from({2, 3}, {1.0f, kNaN, 5.0f, 4.0f, 2.0f, 3.0f}).value(), true);
  const auto mx = ops::max(x, {1}).to_vector();
  CHECK(is_nan(mx[0]));
  CHECK(mx[1] == 4.0f);
  CHECK(is_nan(ops::min(x, {1}).to_vector()[0]));
  CHECK(ops::min(x, {1}).to_vector()[1] == 2.0f);
  Tape::current().clear();
  Tensor s = ops::sum(ops::max(x, {1}));
  Tape::current().backward(s);
  CHECK(x.grad().data()[1] == 1.0f);  // the NaN is the row's maximum
  CHECK(x.grad().data()[2] == 0.0f);
}

TEST_CASE("max pooling and global max pooling propagate a NaN in their window") {
  // (1, 2, 2, 2): channel 0 holds a NaN, channel 1 does not.
  const Tensor x = Tensor::from({1, 2, 2, 2}, {1.0f, 1.0f, kNaN, 4.0f, 3.0f, 2.0f, 0.0f, 3.0f});
  const auto y = ops::max_pool2d(x, 2, 2).to_vector();
  REQUIRE(y.size() == 2);
  CHECK(is_nan(y[0]));
  CHECK(y[1] == 4.0f);
  const auto g = ops::global_max_pool2d(x).to_vector();
  CHECK(is_nan(g[0]));
  CHECK(g[1] == 4.0f);
  // The kernel that records where each maximum was (training) agrees.
  Tape::current().clear();
  const Tensor xg(x.value(), true);
  const auto yt = ops::max_pool2d(xg, 2, 2).to_vector();
  CHECK(is_nan(yt[0]));
  CHECK(yt[1] == 4.0f);
  Tape::current().clear();
}
