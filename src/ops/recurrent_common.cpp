// Shared helpers of the fused recurrent ops (see recurrent_common.hpp).
#include "ops/recurrent_common.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "kernels/gemm.hpp"

namespace xkeras::ops {

namespace {
struct ActName {
  RnnActivation a;
  const char* name;
};
constexpr ActName kActs[] = {{RnnActivation::tanh, "tanh"},         {RnnActivation::sigmoid, "sigmoid"},
                             {RnnActivation::hard_sigmoid, "hard_sigmoid"},
                             {RnnActivation::hard_sigmoid_keras2, "hard_sigmoid_keras2"},
                             {RnnActivation::relu, "relu"},         {RnnActivation::linear, "linear"},
                             {RnnActivation::softsign, "softsign"}, {RnnActivation::elu, "elu"}};
}  // namespace

RnnActivation rnn_activation(const std::string& name, const std::string& who) {
  if (name.empty()) return RnnActivation::linear;  // Keras: activation=None
  for (const auto& e : kActs)
    if (name == e.name) return e.a;
  std::string list;
  for (const auto& e : kActs) list += std::string(list.empty() ? "" : ", ") + e.name;
  throw ValueError(who + ": the activation \"" + name + "\" is not supported inside a recurrent cell; supported: " + list);
}

const char* rnn_activation_name(RnnActivation a) {
  for (const auto& e : kActs)
    if (e.a == a) return e.name;
  return "?";
}

namespace detail::rnn {

namespace {
void expect(const char* op, const char* what, const Tensor& t, const Shape& want) {
  if (t.shape() != want)
    throw ValueError(std::string(op) + ": expected " + what + " of shape " + shape_str(want) + ", got " +
                     shape_str(t.shape()));
}
}  // namespace

Dims validate(const char* op, const RecurrentInputs& in, std::size_t G, std::size_t n_states, bool two_row_bias) {
  require_defined(op, in.x);
  require_defined(op, in.kernel);
  require_defined(op, in.recurrent_kernel);
  const Shape xs = in.x.shape(), ks = in.kernel.shape();
  if (xs.size() != 3) throw ValueError(std::string(op) + ": expected an input of rank 3 (batch, timesteps, features), got " + shape_str(xs));
  if (xs[1] == 0) throw ValueError(std::string(op) + ": expected at least one time step, got an input of shape " + shape_str(xs));
  if (ks.size() != 2 || ks[0] != xs[2] || ks[1] == 0 || ks[1] % G != 0)
    throw ValueError(std::string(op) + ": expected a kernel of shape (" + std::to_string(xs[2]) + ", " +
                     std::to_string(G) + " * units) for an input of shape " + shape_str(xs) + ", got " + shape_str(ks));
  Dims d{xs[0], xs[1], xs[2], ks[1] / G, G};
  expect(op, "a recurrent_kernel", in.recurrent_kernel, {d.u, d.gu()});
  if (in.bias.defined()) expect(op, "a bias", in.bias, two_row_bias ? Shape{2, d.gu()} : Shape{d.gu()});
  if (!in.initial_states.empty()) {
    if (in.initial_states.size() != n_states)
      throw ValueError(std::string(op) + ": expected " + std::to_string(n_states) + " initial state(s), got " +
                       std::to_string(in.initial_states.size()));
    for (const Tensor& s : in.initial_states) {
      require_defined(op, s);
      expect(op, "an initial state", s, {d.B, d.u});
    }
  }
  if (in.mask.defined()) expect(op, "a mask", in.mask, {d.B, d.T});
  if (in.recurrent_dropout_mask.defined()) expect(op, "a recurrent dropout mask", in.recurrent_dropout_mask, {d.B, d.u});
  shape_size({d.B, d.T, d.gu()});  // overflow check before any buffer is sized
  shape_size({d.B, d.T, d.D});
  return d;
}

XKERAS_RNN_CLONES void activate(RnnActivation a, const float* x, float* y, std::size_t n) {
  switch (a) {
    case RnnActivation::tanh:
      for (std::size_t j = 0; j < n; ++j) y[j] = 1.0f - 2.0f / (fast_exp(2.0f * x[j]) + 1.0f);
      return;
    case RnnActivation::sigmoid:
      for (std::size_t j = 0; j < n; ++j) y[j] = 1.0f / (1.0f + fast_exp(-x[j]));
      return;
    case RnnActivation::hard_sigmoid:  // Keras 3: relu6(x + 3) / 6
      for (std::size_t j = 0; j < n; ++j) y[j] = std::min(std::max(x[j] + 3.0f, 0.0f), 6.0f) / 6.0f;
      return;
    case RnnActivation::hard_sigmoid_keras2:  // Keras 2: clip(0.2 x + 0.5, 0, 1)
      for (std::size_t j = 0; j < n; ++j) y[j] = std::min(std::max(0.2f * x[j] + 0.5f, 0.0f), 1.0f);
      return;
    case RnnActivation::relu:
      for (std::size_t j = 0; j < n; ++j) y[j] = std::max(x[j], 0.0f);
      return;
    case RnnActivation::linear:
      if (x != y) std::copy(x, x + n, y);
      return;
    case RnnActivation::softsign:
      for (std::size_t j = 0; j < n; ++j) y[j] = x[j] / (1.0f + std::fabs(x[j]));
      return;
    case RnnActivation::elu:  // alpha 1
      for (std::size_t j = 0; j < n; ++j) y[j] = x[j] > 0.0f ? x[j] : fast_exp(x[j]) - 1.0f;
      return;
  }
}

// In terms of y = act(x): tanh' = 1 - y^2; sigmoid' = y (1 - y); hard sigmoids: their slope (1/6 or
// 0.2) where 0 < y < 1, else 0; relu' = [y > 0]; linear' = 1; softsign' = 1 / (1 + |x|)^2 = (1 - |y|)^2;
// elu' = 1 for y > 0, else e^x = y + 1.
XKERAS_RNN_CLONES void mul_derivative(RnnActivation a, const float* y, float* g, std::size_t n) {
  switch (a) {
    case RnnActivation::tanh:
      for (std::size_t j = 0; j < n; ++j) g[j] *= 1.0f - y[j] * y[j];
      return;
    case RnnActivation::sigmoid:
      for (std::size_t j = 0; j < n; ++j) g[j] *= y[j] * (1.0f - y[j]);
      return;
    case RnnActivation::hard_sigmoid:
      for (std::size_t j = 0; j < n; ++j) g[j] *= (y[j] > 0.0f && y[j] < 1.0f) ? 1.0f / 6.0f : 0.0f;
      return;
    case RnnActivation::hard_sigmoid_keras2:
      for (std::size_t j = 0; j < n; ++j) g[j] *= (y[j] > 0.0f && y[j] < 1.0f) ? 0.2f : 0.0f;
      return;
    case RnnActivation::relu:
      for (std::size_t j = 0; j < n; ++j) g[j] *= y[j] > 0.0f ? 1.0f : 0.0f;
      return;
    case RnnActivation::linear:
      return;
    case RnnActivation::softsign:
      for (std::size_t j = 0; j < n; ++j) g[j] *= (1.0f - std::fabs(y[j])) * (1.0f - std::fabs(y[j]));
      return;
    case RnnActivation::elu:
      for (std::size_t j = 0; j < n; ++j) g[j] *= y[j] > 0.0f ? 1.0f : y[j] + 1.0f;
      return;
  }
}

StepFlags step_flags(const Dims& d, const Tensor& mask, const RecurrentOptions& o) {
  StepFlags f;
  f.keep.assign(d.B * d.T, 1);
  f.emit.assign(d.B * d.T, 1);
  if (!mask.defined()) return f;
  const float* m = mask.data();
  for (std::size_t b = 0; b < d.B; ++b) {
    bool seen = false;
    for (std::size_t s = 0; s < d.T; ++s) {
      const bool k = m[b * d.T + time_of(s, d.T, o.go_backwards)] != 0.0f;
      f.any_masked = f.any_masked || !k;
      seen = seen || k;
      f.keep[b * d.T + s] = k;
      f.emit[b * d.T + s] = k || (seen && !o.zero_output_for_mask);
    }
  }
  return f;
}

void emit_output(const Dims& d, const StepFlags& f, const RecurrentOptions& o, std::size_t s, const float* h,
                 float* y) {
  if (!o.return_sequences && s + 1 != d.T) return;
  const std::size_t u = d.u;
  for (std::size_t b = 0; b < d.B; ++b) {
    float* dst = o.return_sequences ? y + (b * d.T + s) * u : y + b * u;
    if (f.emit[b * d.T + s]) std::copy(h + b * u, h + (b + 1) * u, dst);
    else std::fill(dst, dst + u, 0.0f);
  }
}

void add_output_grad(const Dims& d, const StepFlags& f, const RecurrentOptions& o, std::size_t s, const float* gy,
                     float* dh) {
  if (!gy || (!o.return_sequences && s + 1 != d.T)) return;
  const std::size_t u = d.u;
  for (std::size_t b = 0; b < d.B; ++b) {
    if (!f.emit[b * d.T + s]) continue;  // a zero output has no gradient
    const float* src = o.return_sequences ? gy + (b * d.T + s) * u : gy + b * u;
    float* dst = dh + b * u;
    for (std::size_t j = 0; j < u; ++j) dst[j] += src[j];
  }
}

void initial_state(const RecurrentInputs& in, std::size_t k, const Dims& d, float* dst) {
  if (in.initial_states.empty()) std::fill(dst, dst + d.B * d.u, 0.0f);
  else std::copy(in.initial_states[k].data(), in.initial_states[k].data() + d.B * d.u, dst);
}

void record_multi(const char* op, const Tensors& inputs, const Tensors& outputs,
                  std::function<void(const std::vector<const float*>&)> backward) {
  Tensor anchor(Array::from_shape({1}));
  auto flowed = std::make_shared<std::vector<bool>>(outputs.size(), false);
  Tape::current().record(op, inputs, anchor, [outputs, flowed, backward = std::move(backward)]() {
    std::vector<const float*> grads(outputs.size(), nullptr);
    // An output's gradient buffer stays allocated after its tap ran (only its flag was reset).
    for (std::size_t k = 0; k < outputs.size(); ++k)
      if ((*flowed)[k]) grads[k] = outputs[k].impl()->grad.data();
    backward(grads);
  });
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    Tensor out = outputs[k];
    Tape::current().record(op, {anchor}, out, [anchor, flowed, k]() {
      (*flowed)[k] = true;
      anchor.grad_buffer();  // gives the main entry a gradient, so that it runs
    });
  }
}

void input_side_grads(const Dims& d, const Tensor& x, const Tensor& kernel, const float* dG, float* bias_row) {
  const std::size_t rows = d.B * d.T, gu = d.gu();
  if (rows == 0) return;
  if (x.requires_grad())
    kernels::gemm(false, true, rows, d.D, gu, 1.0f, dG, gu, kernel.data(), gu, 1.0f, x.grad_buffer().data(), d.D);
  if (kernel.requires_grad())
    kernels::gemm(true, false, d.D, gu, rows, 1.0f, x.data(), d.D, dG, gu, 1.0f, kernel.grad_buffer().data(), gu);
  if (bias_row) add_column_sums(dG, rows, gu, bias_row);
}

void add_column_sums(const float* src, std::size_t rows, std::size_t cols, float* out) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = src + r * cols;
    for (std::size_t j = 0; j < cols; ++j) out[j] += row[j];
  }
}

void add_grad(const Tensor& t, const float* src) {
  if (!t.defined() || !t.requires_grad()) return;
  float* g = t.grad_buffer().data();
  for (std::size_t i = 0, n = t.size(); i < n; ++i) g[i] += src[i];
}

}  // namespace detail::rnn
}  // namespace xkeras::ops
