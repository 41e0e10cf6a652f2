// The GEMM work of the W1/W2 training steps, written down once so that the FLOP counts of the
// training benchmarks and the sgemm reference (bench_sgemm) use the same shapes.
//
// A Dense layer (in -> out) on a batch of B is one (B x in)(in x out) product; a 3x3 convolution
// as im2col + GEMM is a (B*OH*OW x 9*Cin)(9*Cin x Cout) product. Training adds the kernel
// gradient X^T dY (same FLOPs) and the input gradient dY W^T (same FLOPs), the latter for every
// layer except the first (the images need no gradient). Elementwise work (bias, activations, batch
// norm, oneDNN's layout reorders, Adam) is not counted: the GFLOP/s figures are GEMM-work per second.
#pragma once

#include <string>
#include <vector>

namespace bench {

struct GemmShape {
  std::string name;
  long rows_per_sample;  // M per sample: 1 for Dense, OH*OW for a convolution
  long k, n;             // (M x k)(k x n)
  bool input_grad;       // the backward pass computes dY W^T for this layer
};

inline std::vector<GemmShape> autoencoder_gemms(long width) {
  return {{"dense_784x" + std::to_string(width), 1, 784, width, false},
          {"dense_" + std::to_string(width) + "x64", 1, width, 64, true},
          {"dense_64x" + std::to_string(width), 1, 64, width, true},
          {"dense_" + std::to_string(width) + "x784", 1, width, 784, true}};
}

/// Seed-003 CNN: [conv 1->8, conv 8->8, conv 8->8 /2], [8->32, 32->32, 32->32 /2], [32->64, 64->64], Dense 3136->10.
inline std::vector<GemmShape> cnn_gemms() {
  return {{"conv_28x28_1to8", 28 * 28, 9 * 1, 8, false},    {"conv_28x28_8to8", 28 * 28, 9 * 8, 8, true},
          {"conv_s2_14x14_8to8", 14 * 14, 9 * 8, 8, true},  {"conv_14x14_8to32", 14 * 14, 9 * 8, 32, true},
          {"conv_14x14_32to32", 14 * 14, 9 * 32, 32, true}, {"conv_s2_7x7_32to32", 7 * 7, 9 * 32, 32, true},
          {"conv_7x7_32to64", 7 * 7, 9 * 32, 64, true},     {"conv_7x7_64to64", 7 * 7, 9 * 64, 64, true},
          {"dense_3136x10", 1, 7 * 7 * 64, 10, true}};
}

/// FLOPs per sample: forward only, and a whole training step (forward + both gradients).
struct Flops {
  double forward = 0, train = 0;
};

inline Flops count_flops(const std::vector<GemmShape>& gemms) {
  Flops f;
  for (const auto& g : gemms) {
    const double one = 2.0 * double(g.rows_per_sample) * double(g.k) * double(g.n);
    f.forward += one;
    f.train += one * (g.input_grad ? 3 : 2);
  }
  return f;
}

}  // namespace bench
