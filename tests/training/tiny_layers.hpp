// Small layers owned by the training tests, so they depend only on the Layer base and ops.
#pragma once

#include <xkeras/layer.hpp>
#include <xkeras/ops.hpp>

namespace xkeras::testing {

/// y = x W + b with W (in, units), from chosen initializers.
class TinyDense : public Layer {
 public:
  TinyDense(int units, Initializer kernel_init = "glorot_uniform", Regularizer reg = {})
      : Layer("TinyDense"), units_(units), kernel_init_(std::move(kernel_init)), reg_(std::move(reg)) {}
  void build(const TensorShape& s) override {
    kernel = add_weight("kernel", {static_cast<std::size_t>(s.back()), static_cast<std::size_t>(units_)}, kernel_init_,
                        true, reg_);
    bias = add_weight("bias", {static_cast<std::size_t>(units_)}, "zeros");
  }
  Tensor call(const Tensor& x, bool) override { return ops::linear(x, kernel->value, bias->value); }
  VariablePtr kernel, bias;

 private:
  int units_;
  Initializer kernel_init_;
  Regularizer reg_;
};

/// Sums its inputs (a two-input layer for multi-input models).
class SumInputs : public Layer {
 public:
  SumInputs() : Layer("SumInputs") {}
  bool takes_list() const override { return true; }
  void build_list(const std::vector<TensorShape>&) override {}
  Tensors call_list(const Tensors& xs, bool) override {
    Tensor s = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) s = ops::add(s, xs[i]);
    return {s};
  }
};

/// penalty = factor * sum(w^2), composed of ops.
class SquarePenalty : public regularizers::RegularizerImpl {
 public:
  explicit SquarePenalty(float factor) : factor_(factor) {}
  Tensor operator()(const Tensor& w) const override { return ops::scale(ops::sum(ops::square(w)), factor_); }
  std::string class_name() const override { return "L2"; }
  json get_config() const override { return json{{"l2", factor_}}; }

 private:
  float factor_;
};

}  // namespace xkeras::testing
