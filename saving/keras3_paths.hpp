// Where Keras 3 puts each variable of a model in model.weights.h5 (keras_reference_layers2.md §13.1):
// saving_lib walks the model and gives every saveable object a group "<path>/vars" holding its own
// variables as datasets "0", "1", ... (trainable first, then non-trainable). Paths come from Keras's
// object tree, not from layer names: "layers/<snake_case(class)>[_k]" numbered per container,
// "layers/lstm/cell" for a recurrent layer's weights, "forward_layer"/"backward_layer" in a
// Bidirectional, "layer" in a TimeDistributed, "query_dense"... in a MultiHeadAttention.
// xkeras's layers hold some of these weights directly (no cell, no EinsumDense objects), so this
// file is the one place that maps them. The writer and the reader both use it, so they agree.
#pragma once

#include <string>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving::h5 {
class Group;
}  // namespace xkeras::saving::h5

namespace xkeras::saving::keras3 {

/// One object Keras gives a "vars" group.
struct VarsEntry {
  std::string path;                    // "layers/lstm/cell"; "" for the model itself (group "/vars")
  std::vector<std::string> alt_paths;  // also accepted when reading (MHA's "_query_dense" before Keras 3.3)
  std::string name;                    // the group's "name" attribute (Keras >= 3.8): the object's name
  std::string layer;                   // the xkeras layer the variables belong to, for messages
  std::string class_name;              // its Keras class
  std::vector<VariablePtr> vars;       // in the file's order
  std::vector<bool> is_int;            // stored as int64 (Normalization's count), one per var
};

/// Which Keras wrote the layout: Keras 3, or tf.keras 2.13-2.15's .keras (its containers are named
/// "_layer_checkpoint_dependencies" and list every layer that has weights twice, so each such layer
/// consumes two numbers of its class: conv2d, conv2d_2, conv2d_4, ...).
enum class Layout { keras3, tf_keras };

/// "vars" group of an entry: "vars" for the root, else "<path>/vars".
std::string vars_path(const std::string& path);

/// Every object of `model` in Keras's walk order, each once (a shared layer keeps its first path).
std::vector<VarsEntry> walk(const ModelImpl& model, Layout layout);

/// How many values the datasets under `root` declare (saturating), walking at most 16 levels and
/// 100000 links (HDF5 links can form cycles): the LoadBudget of a file's layers.
std::size_t stored_values(const h5::Group& root);

}  // namespace xkeras::saving::keras3
