// The fused SimpleRNN op (reference §2.2): h_t = act(x_t W + b + h_{t-1} U).
#include <algorithm>
#include <memory>

#include "kernels/gemm.hpp"
#include "ops/recurrent_common.hpp"

namespace xkeras::ops {
namespace {

using detail::rnn::Dims;

struct RnnSaved {
  Array act;   // (B, T, u): h_t of each kept step
  Array hin;   // (B, T, u): h_{t-1} as the recurrent product saw it
  detail::rnn::StepFlags flags;
};

}  // namespace

RecurrentResult simple_rnn(const RecurrentInputs& in, const RecurrentOptions& o) {
  const char* op = "simple_rnn";
  const Dims d = detail::rnn::validate(op, in, 1, 1, false);
  const std::size_t B = d.B, T = d.T, u = d.u;
  const Tensors inputs = detail::rnn::tape_inputs(in);
  const bool record = Tape::wants(inputs);
  const float* rm = in.recurrent_dropout_mask.defined() ? in.recurrent_dropout_mask.data() : nullptr;

  auto sv = std::make_shared<RnnSaved>();
  sv->flags = detail::rnn::step_flags(d, in.mask, o);
  const auto& keep = sv->flags.keep;
  sv->act = detail::empty({B, T, u});
  if (record) sv->hin = detail::empty({B, T, u});
  Tensor y(detail::empty(o.return_sequences ? Shape{B, T, u} : Shape{B, u}));
  Tensor h_out(detail::empty({B, u}));
  float* h = h_out.data();
  detail::rnn::initial_state(in, 0, d, h);
  if (B == 0) return {y, {h_out}};

  float* z = sv->act.data();
  kernels::gemm(false, false, B * T, u, d.D, 1.0f, in.x.data(), d.D, in.kernel.data(), u, 0.0f, z, u);
  const float* bias = in.bias.defined() ? in.bias.data() : nullptr;
  std::vector<float> hd(rm ? B * u : 0);
  for (std::size_t s = 0; s < T; ++s) {
    const std::size_t t = detail::rnn::time_of(s, T, o.go_backwards);
    const float* hin = h;
    if (rm) {
      for (std::size_t i = 0; i < B * u; ++i) hd[i] = h[i] * rm[i];
      hin = hd.data();
    }
    if (record)
      for (std::size_t b = 0; b < B; ++b) std::copy(hin + b * u, hin + (b + 1) * u, sv->hin.data() + (b * T + t) * u);
    kernels::gemm(false, false, B, u, u, 1.0f, hin, u, in.recurrent_kernel.data(), u, 1.0f, z + t * u, T * u);
    for (std::size_t b = 0; b < B; ++b) {
      if (!keep[b * T + s]) continue;
      float* a = z + (b * T + t) * u;
      if (bias)
        for (std::size_t j = 0; j < u; ++j) a[j] += bias[j];
      detail::rnn::activate(o.activation, a, a, u);
      std::copy(a, a + u, h + b * u);
    }
    detail::rnn::emit_output(d, sv->flags, o, s, h, y.data());
  }

  if (record) {
    // Per kept step: dz = dh act'(h_t); dh_{t-1} = (dz U^T) ⊙ rmask; a masked step passes dh through.
    // Over all steps: dW = X^T dZ, dX = dZ W^T, dU = Hin^T dZ, db = column sums of dZ.
    const RecurrentInputs ins = in;
    detail::rnn::record_multi(op, inputs, {y, h_out}, [ins, o, d, sv](const std::vector<const float*>& g) {
      const std::size_t B = d.B, T = d.T, u = d.u;
      const auto& keep = sv->flags.keep;
      const float* rm = ins.recurrent_dropout_mask.defined() ? ins.recurrent_dropout_mask.data() : nullptr;
      std::vector<float> dh(B * u, 0.0f), tmp(B * u);
      if (g[1]) std::copy(g[1], g[1] + B * u, dh.begin());
      Array dz_buf = detail::empty({B, T, u});
      float* dz = dz_buf.data();
      for (std::size_t s = T; s-- > 0;) {
        const std::size_t t = detail::rnn::time_of(s, T, o.go_backwards);
        detail::rnn::add_output_grad(d, sv->flags, o, s, g[0], dh.data());
        for (std::size_t b = 0; b < B; ++b) {
          float* dg = dz + (b * T + t) * u;
          if (!keep[b * T + s]) {
            std::fill(dg, dg + u, 0.0f);
            continue;
          }
          std::copy(dh.data() + b * u, dh.data() + (b + 1) * u, dg);
          detail::rnn::mul_derivative(o.activation, sv->act.data() + (b * T + t) * u, dg, u);
        }
        kernels::gemm(false, true, B, u, u, 1.0f, dz + t * u, T * u, ins.recurrent_kernel.data(), u, 0.0f, tmp.data(), u);
        for (std::size_t b = 0; b < B; ++b) {
          if (!keep[b * T + s]) continue;
          for (std::size_t j = 0; j < u; ++j) dh[b * u + j] = tmp[b * u + j] * (rm ? rm[b * u + j] : 1.0f);
        }
      }
      if (!ins.initial_states.empty()) detail::rnn::add_grad(ins.initial_states[0], dh.data());
      float* gb = ins.bias.defined() && ins.bias.requires_grad() ? ins.bias.grad_buffer().data() : nullptr;
      detail::rnn::input_side_grads(d, ins.x, ins.kernel, dz, gb);
      if (ins.recurrent_kernel.requires_grad())
        kernels::gemm(true, false, u, u, B * T, 1.0f, sv->hin.data(), u, dz, u, 1.0f,
                      ins.recurrent_kernel.grad_buffer().data(), u);
    });
  }
  return {y, {h_out}};
}

}  // namespace xkeras::ops
