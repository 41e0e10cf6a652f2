// Keras 3's .keras archive: a ZIP of metadata.json, config.json (the model object of Model.to_json(),
// with compile_config) and model.weights.h5 (keras3_weights.cpp). Written stored, in Keras's order;
// read in any order, stored or deflated. tf.keras 2.13-2.15 wrote the same archive with its own
// config layout and weight paths; both are read.
#include <algorithm>
#include <ctime>
#include <iostream>

#include "keras_dialect.hpp"
#include "load_budget.hpp"
#include "models/compiled_state.hpp"
#include "saving/atomic_write.hpp"
#include "saving/formats.hpp"
#include "saving/h5_file.hpp"
#include "saving/keras3_paths.hpp"
#include "saving/model_json.hpp"
#include "saving/zip_archive.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

namespace {

// The Keras release whose layout the archive follows: vars groups with a "name" attribute, created
// even when empty (3.8+), MultiHeadAttention at "query_dense"... (3.3+), Adam's slots interleaved.
// Keras 3 reads a "2." version as a tf.keras archive, so a Keras 3 number is required.
constexpr const char* kKerasVersion = "3.10.0";

constexpr std::size_t kMaxJsonMemberBytes = std::size_t(1) << 28;

// Keras's "%Y-%m-%d@%H:%M:%S" (Keras uses local time; UTC here, so the file does not depend on the machine).
std::string date_saved() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d@%H:%M:%S", &tm);
  return buf;
}

std::string member_list(const zip::Reader& z) {
  std::string s;
  for (std::size_t i = 0; i < z.names().size() && i < 8; ++i) s += (i ? ", " : "") + std::string("\"") + z.names()[i] + "\"";
  if (z.names().size() > 8) s += ", ...";
  return s.empty() ? "no members" : "the members " + s;
}

void require(const zip::Reader& z, const char* name, const std::string& path) {
  if (!z.has(name))
    throw ConfigError(path, std::string("expected a Keras archive member \"") + name + "\", but the archive holds " +
                                member_list(z));
}

// "2.13.1" for a tf.keras archive; "" when metadata.json is absent or has no version.
std::string keras_version(const zip::Reader& z, const std::string& path) {
  if (!z.has("metadata.json")) return "";
  const json meta = parse_document(z.read("metadata.json", kMaxJsonMemberBytes), path + ": metadata.json");
  if (!meta.is_object() || !meta.contains("keras_version")) return "";
  if (!meta["keras_version"].is_string())
    throw ConfigError(path + ": metadata.json: keras_version", "expected a string, got " + shown(meta["keras_version"]));
  return meta["keras_version"].get<std::string>();
}

// Keras's compile_from_config warns and leaves the model uncompiled when it cannot compile; so do we
// for what xkeras does not support (a loss, metric or optimizer it lacks).
void restore_compile(ModelImpl& model, const json& config, const std::string& path) {
  try {
    model.set_compiled(compiled_state_from_config(config["compile_config"], "compile_config"));
  } catch (const NotImplementedError& e) {
    std::cerr << "WARNING: " << path << ": the model is loaded uncompiled: " << e.what() << "\n";
  } catch (const ConfigError& e) {
    std::cerr << "WARNING: " << path << ": config.json: the model is loaded uncompiled: " << e.what() << "\n";
  }
}

}  // namespace

void save_keras_archive(const ModelImpl& model, const std::string& path) {
  // Everything is built in memory first: a model that cannot be written never touches the file.
  ojson meta;
  meta["keras_version"] = kKerasVersion;
  meta["date_saved"] = date_saved();
  const std::string config = model_object(model, true).dump(-1, ' ', false, ojson::error_handler_t::replace);
  std::vector<std::pair<std::string, std::string>> members;
  members.emplace_back("metadata.json", meta.dump());
  members.emplace_back("config.json", config);
  members.emplace_back("model.weights.h5", keras3_weights_image(model));
  atomic_write(path, zip::write(members));
}

Model load_keras_archive(const std::string& bytes, const std::string& path, bool compile) {
  zip::Reader z(bytes, path);
  if (!z.has("model.weights.h5") && z.has("model.weights.npz"))
    throw NotImplementedError("reading \"" + path + "\": its weights are in \"model.weights.npz\" (Keras's weights_format="
                              "\"npz\"); xkeras reads the HDF5 \"model.weights.h5\"");
  require(z, "config.json", path);
  require(z, "model.weights.h5", path);
  const std::string version = keras_version(z, path);
  const json config = parse_document(z.read("config.json", kMaxJsonMemberBytes), path + ": config.json");
  const std::string image = z.read("model.weights.h5", kMaxFileBytes);
  const h5::File weights = h5::File::open_image(image, path + ": model.weights.h5");

  detail::KerasDialect dialect = detail::dialect_of(config);
  if (version.rfind("2.", 0) == 0) dialect.major = 2;  // tf.keras 2.13-2.15 (Keras 3 reads it so too)
  detail::DialectScope scope(dialect);
  // The layers may create no more weight values than the file stores (Keras writes them uncompressed,
  // at least 2 bytes each), and need not initialize them.
  detail::LoadBudget budget(std::min(keras3::stored_values(weights), image.size() / 2), false);
  std::shared_ptr<ModelImpl> model;
  try {
    model = model_from_object(config, "");
  } catch (const ConfigError& e) {
    throw ConfigError(path + ": config.json", e.what());
  }
  const bool compiled = compile && config.is_object() && config.contains("compile_config") &&
                        config["compile_config"].is_object() && !config["compile_config"].empty();
  if (compiled) restore_compile(*model, config, path);
  load_keras3_weights(*model, weights, compiled, false);
  return Model(model);
}

}  // namespace xkeras::saving
