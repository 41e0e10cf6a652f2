// Internal pieces of the legacy Keras .h5 reader and writer (tf.keras 2.x, multi-backend Keras 1/2, and
// Keras 3's model.save("x.h5")), keras_reference_layers2.md §13.2. Layout:
//   /  attrs keras_version, backend, model_config (JSON), training_config (JSON, when compiled)
//   /model_weights  attrs layer_names (+ keras_version, backend)
//   /model_weights/<layer name>  attr weight_names; each weight a dataset at that (relative) path
// A save_weights() file is the model_weights group at the root.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "saving/h5_file.hpp"
#include "xkeras/layer.hpp"

namespace xkeras {
class ModelImpl;
}

namespace xkeras::saving::legacy {

/// tf.keras's HDF5_OBJECT_HEADER_LIMIT: string-list attributes larger than this are split in chunks.
inline constexpr std::size_t kHeaderLimit = 64512;

// ---- string-list attributes (legacy_h5_attrs.cpp) ----------------------------------------------
/// True when `name` or its first chunk `name0` exists.
bool has_string_list(const h5::Group& g, const std::string& name);
/// `name`, else the chunks name0, name1, ... concatenated (tf.keras's load_attributes_from_hdf5_group).
/// Empty when neither exists; an empty numeric array (what numpy makes of an empty list) is empty too.
std::vector<std::string> read_string_list(const h5::Group& g, const std::string& name);
/// Writes `values` as tf.keras does: one fixed-length string array, or, when it would exceed
/// kHeaderLimit bytes, np.array_split's equal chunks name0, name1, ... ValueError if one name alone is
/// longer than the limit.
void write_string_list(h5::Group& g, const std::string& name, const std::vector<std::string>& values);

// ---- one layer's arrays in a file, and what becomes of them (legacy_weight_conversions.cpp) -------
struct FileArray {
  std::string name;    // as in weight_names: a path relative to the layer's group
  std::string where;   // "<file>: /model_weights/dense/dense/kernel:0", for messages
  h5::DatasetInfo info;
  h5::Group dir;       // the group holding the dataset ("dense/kernel:0" is kernel:0 in the group dense)
  std::string leaf;    // the dataset's own name in `dir`
};

/// How one weight of the model is made from the layer's file arrays.
struct Recipe {
  enum class Op { copy, concat_last, transpose } op = Op::copy;
  std::vector<std::size_t> sources;  // indices into the layer's FileArrays
  Shape view;                        // transpose: the source seen with this shape (same size)
  std::vector<std::size_t> perm;     // transpose: output axis i is view axis perm[i] (numpy's axes)
  Shape shape;                       // the result's shape (copy: the source's, possibly reshaped)
};

/// Which Keras wrote the weights: "1.2.2", "2.4.0", "3.8.0" (tf.keras treats a missing version as 1).
struct Origin {
  int major = 2;
};

/// tf.keras's preprocess_weights_for_loading for what xkeras can meet: `arrays` are the file's arrays of
/// `layer` (in weight_names order), the result has one Recipe per weight of layer.weights() when the
/// conversion applies; otherwise one copy per array, unchanged. Keras 1: LSTM's 12 and GRU's 9 per-gate
/// arrays are concatenated, Conv1D kernels transposed; Bidirectional halves, TimeDistributed and nested
/// models are converted layer by layer. ConfigError (naming the file's arrays) when arrays that
/// must be concatenated do not fit together.
std::vector<Recipe> convert_weights(const Layer& layer, const std::vector<FileArray>& arrays, const Origin& origin);

/// Fills `out` (shape_size(r.shape) values, already checked against the model) from the recipe's sources.
void apply_recipe(const Recipe& r, const std::vector<FileArray>& arrays, float* out);

// ---- matching a file's layers to a model's (legacy_h5_weights.cpp) --------------------------------
struct FileLayer {
  std::string name;  // an entry of layer_names: the group's name, which is the layer's name
  h5::Group group;
  std::vector<FileArray> arrays;  // in weight_names order
};

/// The weights a file holds: its layer_names groups and what each stores, read from headers only.
struct WeightsIndex {
  h5::Group root;  // the group holding layer_names ("/model_weights", or "/" for a save_weights file)
  std::vector<FileLayer> layers;
  Origin origin;
  std::size_t values = 0;  // every array's element count, summed (saturating): the LoadBudget
};

/// Reads layer_names and every listed group's weight_names and dataset headers. ConfigError naming the
/// HDF5 path when a listed group is missing, an attribute is not a list of strings, or a weight_names
/// entry names no dataset. The Keras version is the weights group's "keras_version", else the file's.
WeightsIndex read_weights_index(const h5::Group& root, const h5::Group& file_root);

/// Loads the model's weights from `index`: by topology (the model's layers that have weights, in
/// model.layers order, paired with the file's layers that have weights) or by name. Every count and
/// shape is checked before the first value is written. With skip_mismatch, a layer whose count or
/// shape differs is left as it is (a warning on stderr), as Keras does. Returns the weight each file
/// array was copied into, by its weight_names entry ("dense/kernel:0"), for the optimizer's slots; null
/// for a name that two groups use for different weights.
std::map<std::string, Variable*> assign_weights(const ModelImpl& model, const WeightsIndex& index, bool by_name,
                                                bool skip_mismatch);

/// Restores the optimizer's iterations and slots from "optimizer_weights" when `model` is compiled and
/// every name there is tf.keras's "<Optimizer>/<weight>/<slot>:0" (2.2-2.10) or "<Optimizer>/<slot>/<weight>:0"
/// (2.11+) for a weight in `weights` (assign_weights's result) and a slot of the model's optimizer;
/// otherwise the optimizer stays fresh and a warning says why.
void restore_optimizer_weights(ModelImpl& model, const h5::File& file, const std::map<std::string, Variable*>& weights);

// ---- training_config (legacy_training_config.cpp) ---------------------------------------------
/// Compiles `model` from a training_config JSON text where xkeras supports its optimizer and loss;
/// otherwise leaves it uncompiled and warns on stderr (Keras warns and loads too). Metrics xkeras cannot
/// read are dropped with a warning.
void compile_from_training_config(ModelImpl& model, const std::string& text, const std::string& source);

}  // namespace xkeras::saving::legacy
