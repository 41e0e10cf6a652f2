// The TensorFlow.js layers-model format (model.json + binary weight shards), both ways.
#pragma once

#include <string>

#include "saving/json_util.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving {

/// True for a parsed document that is a TensorFlow.js model.json.
inline bool is_tfjs_document(const json& doc) { return doc.is_object() && doc.contains("modelTopology"); }

/// Reads the model a TensorFlow.js model.json at `path` describes, with its weights from the shards
/// beside it (tfjs_reader.cpp).
Model load_tfjs(const json& doc, const std::string& path);

/// The model object in tf.keras 2.x's layout, which TensorFlow.js reads (keras2_layout.cpp): nodes as
/// [[name, node, tensor, {}]] lists, batch_input_shape, dtype strings, no module/registered_name.
/// NotImplementedError for what tfjs cannot express (Keras 3's hard_sigmoid).
ojson to_keras2_layout(const ojson& model_object);

}  // namespace xkeras::saving
