// Shared by the Keras 3 file tests: the models they save, scratch folders, weight comparison, and
// where the real files of ../shared/wild_keras_files are.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace k3test {

using namespace xkeras;

/// A fresh empty folder under the build tree.
std::string scratch_dir(const std::string& name);
/// ../shared/wild_keras_files (XKERAS_SHARED_DIR overrides the shared folder); throws if missing.
std::filesystem::path wild_dir();
/// Every weight of the model set to distinct, non-round values (seeded).
void randomize_weights(const Model& m, unsigned seed);
/// Inference-mode outputs without the tape.
Tensors run(const Model& m, const Tensors& xs);
/// Same shapes and the same float bits.
bool bit_equal(const Tensor& a, const Tensor& b);
/// Every weight of `a` equals the weight at the same position of `b`, bit for bit.
bool same_weights(const Model& a, const Model& b);
/// The message of the ConfigError `f` throws; fails the test on anything else.
std::string config_error(const std::function<void()>& f);
/// Random inputs for the model's inputs (batch 2; None axes of a sequence become 5; int32 inputs get ids < 8).
Tensors inputs_for(const Model& m, unsigned seed);

// ---- the models the round-trip tests and the h5py check save --------------------------------
/// Input(5) -> Dense(4, relu) -> BatchNormalization -> Dropout -> Dense(2), as a Sequential.
Model sequential_mlp();
/// Two inputs (3) and (4), a Dense on each, Concatenate, Dense(2).
Model functional_two_inputs();
/// A Functional that calls a Sequential (Dense, Dense) and a Functional (Dense) inside it.
Model nested_models();
/// Input(6, 3) -> LSTM -> GRU -> Bidirectional(SimpleRNN) -> TimeDistributed(Dense).
Model recurrent_stack();
/// Token ids (6) -> Embedding(8, 4) -> MultiHeadAttention(2, 3) self-attention -> LayerNormalization -> Dense(3).
Model attention_model();
/// Input(5) -> Dense(4, relu) -> BatchNormalization -> Dense(2) compiled with Adam(0.01) and trained
/// 3 steps (optimizer slots and iterations set).
Model trained_adam_mlp();
/// The same model with another optimizer, trained 3 steps.
Model trained_mlp(const Optimizer& optimizer);

}  // namespace k3test
