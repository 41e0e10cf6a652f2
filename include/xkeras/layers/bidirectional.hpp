// Bidirectional: a recurrent layer run forwards and a copy run backwards over the same sequence,
// their outputs merged, Keras's layers.Bidirectional.
//
//   auto y = layers::Bidirectional(layers::LSTM(8))(x);                        // (None, T, D) -> (None, 16)
//   auto s = layers::Bidirectional(layers::GRU(4, {.return_sequences = true}), {.merge_mode = "sum"})(x);
#pragma once

#include <string>

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

struct BidirectionalOptions {
  /// "concat" (default), "sum", "mul", "ave", or "" for Keras's None (the two outputs kept apart).
  XKERAS_OPTION(std::string, merge_mode, "concat")
  /// The layer to run backwards; null (default): a copy of `layer` with go_backwards = true.
  XKERAS_OPTION(LayerPtr, backward_layer)
  XKERAS_OPTION(std::string, name)  ///< empty: auto-name "bidirectional", ...
};

/// Generic over the wrapped layer's Keras config: it must have go_backwards, return_sequences,
/// return_state and stateful (SimpleRNN, LSTM, GRU). As Keras 3: the forward layer is a fresh copy of
/// `layer` (from its config) named "forward_<name>"; the backward one a copy with go_backwards = true
/// named "backward_<name>" unless given; both get zero_output_for_mask = return_sequences. Initial
/// states split in half (forward's first); the mask goes to both; with return_sequences the backward
/// output is flipped back along time before merging. Outputs: merged (or forward, backward when
/// merge_mode is None), then with return_state the forward states then the backward ones. Weights:
/// forward's then backward's. Masks as Keras 3's compute_mask: with return_sequences the merged output (both
/// outputs when merge_mode is None) carries the input's mask; otherwise, and for the states, none.
class BidirectionalImpl : public Layer {
 public:
  BidirectionalImpl(const LayerPtr& layer, BidirectionalOptions options = {});

  void build_list(const std::vector<TensorShape>& input_shapes) override;
  Tensors call_list(const Tensors& xs, bool training) override;
  /// xs = [sequence, states...] (tf.keras's layout) or the states as kwargs "initial_state".
  Tensors call_args(const Tensors& xs, const CallArgs& args) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  bool supports_masking() const override { return true; }
  Tensors compute_mask(const Tensors& xs, const Tensors& masks) override;
  std::vector<LayerPtr> sublayers() const override { return {forward_, backward_}; }
  /// Keras 3: name, trainable, dtype, merge_mode, layer (the forward copy), backward_layer.
  json get_config() const override;
  /// Reads Keras 3 (layer = forward copy, backward_layer always), tf.keras / Keras 2 / TFJS (layer =
  /// the original, backward_layer only when one was given).
  static std::shared_ptr<BidirectionalImpl> from_config(const json& config, const std::string& path);

  const LayerPtr& forward_layer() const { return forward_; }
  const LayerPtr& backward_layer() const { return backward_; }
  /// "" for Keras's None.
  const std::string& merge_mode() const { return merge_mode_; }
  bool return_sequences() const { return return_sequences_; }
  bool return_state() const { return return_state_; }

 private:
  Tensor merge(const Tensor& f, const Tensor& b) const;

  LayerPtr forward_, backward_;
  std::string merge_mode_;
  bool return_sequences_ = false, return_state_ = false, stateful_ = false;
};

/// `layers::Bidirectional(layers::LSTM(8))`, `layers::Bidirectional(layer, {.merge_mode = "ave"})`.
class Bidirectional : public Holder<BidirectionalImpl> {
 public:
  explicit Bidirectional(const LayerPtr& layer, BidirectionalOptions options = {});
  Bidirectional(std::shared_ptr<BidirectionalImpl> impl) : Holder<BidirectionalImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
