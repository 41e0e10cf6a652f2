// Keras's optimizer test harness (keras/src/optimizers/*_test.py) on free-standing variables.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <xkeras/optimizers.hpp>

namespace opttest {

using namespace xkeras;

/// A free-standing variable with a given value, as Keras's tests use.
inline VariablePtr variable(const std::vector<float>& value, const std::string& name = "v") {
  auto v = std::make_shared<Variable>();
  v->name = name;
  v->value = Tensor::from({value.size()}, value);
  v->value.set_requires_grad(true);
  return v;
}

inline void set_grad(const VariablePtr& v, const std::vector<float>& g) {
  v->value.zero_grad();
  Array& buf = v->value.grad_buffer();
  std::copy(g.begin(), g.end(), buf.begin());
}

/// test_single_step: vars [1, 2, 3, 4], grads [1, 6, 7, 2], one step.
inline std::vector<float> single_step(Optimizer opt) {
  auto v = variable({1, 2, 3, 4});
  set_grad(v, {1, 6, 7, 2});
  opt->apply_gradients({v});
  return v->value.to_vector();
}

/// Every element within Keras's assertAllClose(rtol, atol): |got - want| <= atol + rtol |want|.
inline void check_all_close(const std::vector<float>& got, const std::vector<float>& want, double rtol, double atol) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i << " got " << got[i] << " want " << want[i]);
    CHECK(std::fabs(double(got[i]) - want[i]) <= atol + rtol * std::fabs(double(want[i])));
  }
}

/// test_weight_decay: one variable 2.0, zero gradients, three optimizers with lr 1 and weight_decay
/// 0.004 each applying once: 2 (1 - 0.004)^3 = 1.9760959.
template <class Make>
void check_weight_decay(Make make) {
  auto v = variable({2.0f});
  for (int i = 0; i < 3; ++i) {
    Optimizer opt = make();
    set_grad(v, {0.0f});
    opt->apply_gradients({v});
  }
  CHECK(std::fabs(v->value.item() - 1.9760959f) < 1e-6);
}

/// test_correctness_with_golden: x = ones(10); first grad 0.01 everywhere, then grads 0.1 ... 1.0;
/// `rows[i]` is x before the (i+2)-th step (a one-element row means all ten equal); rtol = atol = 5e-4.
inline void check_golden(Optimizer opt, const std::vector<std::vector<float>>& rows) {
  auto x = variable(std::vector<float>(10, 1.0f));
  std::vector<float> grads;
  for (int i = 1; i <= 10; ++i) grads.push_back(0.1f * static_cast<float>(i));
  set_grad(x, std::vector<float>(10, 0.01f));
  opt->apply_gradients({x});
  for (std::size_t r = 0; r < rows.size(); ++r) {
    INFO("golden row " << r);
    const std::vector<float> want = rows[r].size() == 1 ? std::vector<float>(10, rows[r][0]) : rows[r];
    check_all_close(x->value.to_vector(), want, 5e-4, 5e-4);
    set_grad(x, grads);
    opt->apply_gradients({x});
  }
}

}  // namespace opttest
