// The ops attention layers are made of: a bounded einsum (the equations Keras's MultiHeadAttention
// and EinsumDense use) and a masked softmax. Public so that a user's own attention layer can use them.
#pragma once

#include <string>

#include "xkeras/tensor.hpp"

namespace xkeras::ops {

/// Two-operand einsum for a named, bounded set of equations; letters may be renamed consistently
/// ("btnh,bsnh->bnts" is the same equation as "abcd,aecd->acbe"). Supported, with N heads:
///   "abc,cde->abde"    x (B, T, D) · kernel (D, N, H) -> (B, T, N, H)    (EinsumDense projection)
///   "abcd,cde->abe"    x (B, T, N, V) · kernel (N, V, O) -> (B, T, O)    (MHA output projection)
///   "abcd,aecd->acbe"  q (B, T, N, H), k (B, S, N, H) -> scores (B, N, T, S)
///   "abcd,aecd->aceb"  k (B, S, N, H), q (B, T, N, H) -> scores (B, N, T, S)  (Keras's operand order)
///   "abcd,adbe->acbe"  probs (B, N, T, S), v (B, S, N, V) -> (B, T, N, V)
/// Every product is a BLAS call on strided views: nothing is transposed or copied.
/// ValueError for any other equation, or when the operands' shapes do not fit the equation.
Tensor einsum(const std::string& equation, const Tensor& a, const Tensor& b);
/// A projection einsum (the first two equations) plus `bias` of the output's trailing shape ((N, H) or
/// (O,)), fused as EinsumDense does it: one BLAS call onto the broadcast bias.
Tensor einsum(const std::string& equation, const Tensor& a, const Tensor& b, const Tensor& bias);

/// Softmax over the last axis where `mask` (0/1 values, broadcastable to x by NumPy rules; an
/// undefined Tensor = no mask) is 0 the logit is replaced by -1e9 first, as Keras's Softmax does.
/// A row whose entries are all masked is uniform (Keras's dot_product_attention, tf.keras, Keras
/// < 3.10); with `zero_masked` the masked outputs are set to 0 afterwards (Keras >= 3.10's Softmax
/// layer), so such a row is all zeros. Masked logits get no gradient.
Tensor masked_softmax(const Tensor& x, const Tensor& mask, bool zero_masked = false);

}  // namespace xkeras::ops
