// Keras's order of a functional model's layers: the depth order of map_graph (keras_reference_layers2.md
// §11). model.layers, get_weights()/set_weights() and config["layers"] all follow it, so a list of weights
// that Keras wrote lands on the layers Keras meant, even when two branches hold equal weight shapes.
#pragma once

#include <vector>

#include "xkeras/layer.hpp"

namespace xkeras::detail {

/// Walks from `outputs` (in order) depth-first, numbering each layer on first entry and recursing into
/// each call's inputs in argument order; gives every call a depth (0 for the last, +1 per step back; a
/// shared layer sits at its deepest call) and returns the layers by depth descending, ties by number.
/// `inputs` that no output reads get depth 0 and index -1 (first among depth 0), as in Keras 3.
/// Iterative: no recursion.
std::vector<LayerPtr> keras_layer_order(const KerasTensors& inputs, const KerasTensors& outputs);

}  // namespace xkeras::detail
