// What xkeras-convert does, apart from parsing its arguments: which format a path means, reading a
// model (whole file, TensorFlow.js folder, or architecture JSON + weights) and writing it. Only the
// public API (load_model, model_from_json, load_weights, save, save_weights, save_tfjs), so the tool
// reads and writes exactly what a C++ user of the library gets.
#pragma once

#include <string>

#include <xkeras/models/model.hpp>

namespace xkeras_convert {

enum class Format { keras, h5, weights, tfjs, xkeras };

/// "keras" -> Format::keras, ...; UsageError for an unknown name.
Format format_from_name(const std::string& name);
/// A human name for messages: "Keras 3 archive (.keras)", ...
const char* describe(Format f);
/// The format OUT's name means: ".keras", ".weights.h5", ".h5"/".hdf5", a folder (an existing one, or a
/// name ending in '/') or ".../model.json" for TensorFlow.js, any other ".json" for xkeras JSON.
/// UsageError when the name says nothing (then --to must).
Format format_from_path(const std::string& out);

/// A mistake in the command line itself (exit code 2, as CLI11's own parse errors).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// IN as a model: a whole model file (load_model reads the type from its first bytes), a folder
/// holding a TensorFlow.js model.json, or with `architecture_ok` also an architecture-only JSON
/// (Keras's to_json(), built with model_from_json; its weights are loaded next by the caller).
xkeras::Model read_model(const std::string& in, bool architecture_ok, bool compile);

/// Writes `model` to `out` in `format`. When OUT's extension is not the one the format needs (say
/// "--to h5 model.bin"), the model is saved under a sibling name with the right extension and renamed
/// onto OUT, so the result is still written atomically.
void write_model(const xkeras::Model& model, const std::string& out, Format format);

}  // namespace xkeras_convert
