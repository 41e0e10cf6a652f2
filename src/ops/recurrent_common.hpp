// Pieces shared by the fused recurrent ops (lstm.cpp, gru.cpp, simple_rnn.cpp): input checks, the
// cell activations on raw pointers, the per-step output rule under a mask, and the tape plumbing
// that gives one fused op several outputs. Private to src/ops.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "ops/common.hpp"
#include "xkeras/ops/recurrent.hpp"

namespace xkeras::ops::detail::rnn {

/// Sizes of one call: batch, time steps, input features, units, gate blocks.
struct Dims {
  std::size_t B = 0, T = 0, D = 0, u = 0, G = 1;
  std::size_t gu() const { return G * u; }
};

/// Checks every shape of `in` for a cell with G gate blocks and n_states states. The expected bias
/// shape is (G*u,), or (2, G*u) when two_row_bias (GRU reset_after). ValueError naming `op`.
Dims validate(const char* op, const RecurrentInputs& in, std::size_t G, std::size_t n_states, bool two_row_bias);
/// The differentiable inputs of a call, in the tape's order: x, kernel, recurrent kernel, bias, initial states.
inline Tensors tape_inputs(const RecurrentInputs& in) {
  Tensors inputs{in.x, in.kernel, in.recurrent_kernel};
  if (in.bias.defined()) inputs.push_back(in.bias);
  for (const Tensor& s : in.initial_states) inputs.push_back(s);
  return inputs;
}

// ---- activations --------------------------------------------------------------------------------

/// e^x to ~2e-7 relative, branch-free so that loops over it vectorize (std::exp does not at our
/// baseline target). x is clamped to [-87, 88], where float e^x neither overflows nor flushes.
inline float fast_exp(float x) {
  x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
  const float t = x * 1.44269504088896341f + 0.5f;
  int i = static_cast<int>(t);
  i -= static_cast<int>(t < static_cast<float>(i));  // floor(t): round(x log2 e) for the centred range
  const float f = x * 1.44269504088896341f - static_cast<float>(i);  // in [-0.5, 0.5]
  // 2^f by its Taylor series in f ln 2 (degree 6; the remainder is < 1.2e-7 on [-0.5, 0.5]).
  float p = 1.5403530393381606e-4f;
  p = p * f + 1.3333558146428443e-3f;
  p = p * f + 9.6181291076284772e-3f;
  p = p * f + 5.5504108664821580e-2f;
  p = p * f + 2.4022650695910071e-1f;
  p = p * f + 6.9314718055994531e-1f;
  p = p * f + 1.0f;
  std::int32_t bits;
  std::memcpy(&bits, &p, sizeof bits);
  bits += static_cast<std::int32_t>(static_cast<std::uint32_t>(i) << 23);  // times 2^i
  std::memcpy(&p, &bits, sizeof p);
  return p;
}

/// Hot elementwise loops are compiled for AVX-512, AVX2+FMA and the baseline, picked at load time
/// (the library's baseline target is SSE2, where these loops run 4 lanes wide). Not under
/// ThreadSanitizer: the load-time pickers (IFUNC resolvers) would be instrumented and run while the
/// dynamic linker relocates the library, before TSan's runtime exists, and crash every program.
#if defined(__SANITIZE_THREAD__)
#define XKERAS_RNN_CLONES
#else
#define XKERAS_RNN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

/// y[j] = act(x[j]) for j < n (x and y may alias).
void activate(RnnActivation a, const float* x, float* y, std::size_t n);

/// g[j] *= act'(x[j]) written through the output y[j] = act(x[j]) (every supported activation's
/// derivative is a function of its output).
void mul_derivative(RnnActivation a, const float* y, float* g, std::size_t n);

// ---- masks --------------------------------------------------------------------------------------

/// Time index of processing step s (go_backwards runs t = T-1 .. 0).
inline std::size_t time_of(std::size_t s, std::size_t T, bool backwards) { return backwards ? T - 1 - s : s; }

/// Per (b, s) in processing order: keep[b*T+s] = the step updates the states (mask 1 or no mask);
/// emit[b*T+s] = the output at s is the current h state (else it is zeros): a kept step emits, a
/// masked one repeats the previous output, which is zeros before any kept step or always with
/// zero_output_for_mask (reference §2.1).
struct StepFlags {
  std::vector<std::uint8_t> keep, emit;
  bool any_masked = false;
};
StepFlags step_flags(const Dims& d, const Tensor& mask, const RecurrentOptions& o);

// ---- outputs and the tape -----------------------------------------------------------------------

/// Writes the output of processing step s for every row from the current h (B, u).
void emit_output(const Dims& d, const StepFlags& f, const RecurrentOptions& o, std::size_t s, const float* h,
                 float* y);

/// dh[b] += gradient of the output of step s (if it was the h state); gy may be null.
void add_output_grad(const Dims& d, const StepFlags& f, const RecurrentOptions& o, std::size_t s, const float* gy,
                     float* dh);

/// The initial state k (B, u) or zeros into dst.
void initial_state(const RecurrentInputs& in, std::size_t k, const Dims& d, float* dst);

/// Records a fused op with several outputs. A hidden anchor tensor is the output of the main entry
/// and the input of one small entry per output; those run first in the backward pass and note which
/// outputs received a gradient; then `backward(grads)` runs once with grads[k] = output k's gradient
/// or null when none flowed into it.
void record_multi(const char* op, const Tensors& inputs, const Tensors& outputs,
                  std::function<void(const std::vector<const float*>&)> backward);

/// The gradients every cell shares once its per-step pre-activation gradients dG (B*T, Gu) are
/// known (rows in (b, t) order): dX += dG W^T, dW += X^T dG and, when `bias_row` is not null, the
/// column sums of dG added into it. One GEMM (or one pass) each over all steps.
void input_side_grads(const Dims& d, const Tensor& x, const Tensor& kernel, const float* dG, float* bias_row);

/// dst (rows, cols) += sums over rows into out (cols).
void add_column_sums(const float* src, std::size_t rows, std::size_t cols, float* out);

/// Adds src into t's gradient when t is defined and requires grad.
void add_grad(const Tensor& t, const float* src);

}  // namespace xkeras::ops::detail::rnn
