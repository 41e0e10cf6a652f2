// xkeras-convert's work: formats from names, reading and writing models (convert.hpp).
#include "convert.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <xkeras/errors.hpp>

namespace fs = std::filesystem;

namespace xkeras_convert {

namespace {

bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

bool is_h5_name(const std::string& p) { return (ends_with(p, ".h5") || ends_with(p, ".hdf5")) && !ends_with(p, ".weights.h5"); }

// The extension Model::save / save_weights need to pick `f` by themselves.
const char* extension(Format f) {
  switch (f) {
    case Format::keras: return ".keras";
    case Format::h5: return ".h5";
    case Format::weights: return ".weights.h5";
    default: return ".json";
  }
}

// True when Model::save (save_weights for weights) writes `f` at `out` as named.
bool name_selects(const std::string& out, Format f) {
  switch (f) {
    case Format::keras: return ends_with(out, ".keras");
    case Format::h5: return is_h5_name(out);
    case Format::weights: return ends_with(out, ".weights.h5");
    case Format::xkeras: return !ends_with(out, ".keras") && !ends_with(out, ".h5") && !ends_with(out, ".hdf5");
    case Format::tfjs: return true;
  }
  return false;
}

// At most `limit` bytes of the file (the whole file when it is smaller).
std::string read_prefix(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw xkeras::IOError(path + ": cannot open the file for reading");
  // In chunks: a small file costs a small buffer, whatever the limit.
  std::string bytes;
  char chunk[1 << 16];
  while (bytes.size() < limit) {
    in.read(chunk, static_cast<std::streamsize>(std::min(sizeof chunk, limit - bytes.size())));
    bytes.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (!in) break;
  }
  return bytes;
}

bool looks_like_archive_or_hdf5(const std::string& head) {
  static const char hdf5[] = "\x89HDF\r\n\x1a\n";
  return head.rfind("PK\x03\x04", 0) == 0 || head.rfind(std::string(hdf5, 8), 0) == 0;
}

// A JSON object that is a model config (Keras's to_json()), not a whole-model file: it has
// "class_name" and neither xkeras's "format" nor TensorFlow.js's "modelTopology".
bool is_architecture_only(const std::string& text) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  return doc.is_object() && doc.contains("class_name") && !doc.contains("format") && !doc.contains("modelTopology");
}

// Architecture-only files are small; a bigger one is not a to_json() file.
constexpr std::size_t kMaxArchitectureBytes = std::size_t(64) << 20;

}  // namespace

Format format_from_name(const std::string& name) {
  if (name == "keras") return Format::keras;
  if (name == "h5") return Format::h5;
  if (name == "weights") return Format::weights;
  if (name == "tfjs") return Format::tfjs;
  if (name == "xkeras") return Format::xkeras;
  throw UsageError("--to " + name + ": expected one of keras, h5, weights, tfjs, xkeras");
}

const char* describe(Format f) {
  switch (f) {
    case Format::keras: return "Keras 3 archive (.keras)";
    case Format::h5: return "legacy Keras HDF5 (.h5)";
    case Format::weights: return "Keras 3 weights (.weights.h5)";
    case Format::tfjs: return "TensorFlow.js layers model";
    case Format::xkeras: return "xkeras JSON";
  }
  return "?";
}

Format format_from_path(const std::string& out) {
  std::error_code ec;
  if (ends_with(out, "/") || fs::is_directory(out, ec)) return Format::tfjs;
  if (fs::path(out).filename() == "model.json") return Format::tfjs;
  if (ends_with(out, ".weights.h5")) return Format::weights;
  if (ends_with(out, ".keras")) return Format::keras;
  if (is_h5_name(out)) return Format::h5;
  if (ends_with(out, ".json")) return Format::xkeras;
  throw UsageError("cannot tell the output format from the name \"" + out +
                   "\": end it in .keras, .h5, .weights.h5 or .json (xkeras), give a folder or FOLDER/model.json "
                   "(TensorFlow.js), or say --to keras|h5|weights|tfjs|xkeras");
}

xkeras::Model read_model(const std::string& in, bool architecture_ok, bool compile) {
  std::error_code ec;
  std::string path = in;
  if (fs::is_directory(in, ec)) {
    path = (fs::path(in) / "model.json").string();
    if (!fs::exists(path, ec))
      throw xkeras::IOError(in + ": is a folder without model.json (a TensorFlow.js model is read from its folder or "
                                 "its model.json)");
  }
  if (!architecture_ok) {
    try {
      return xkeras::load_model(path, compile);
    } catch (const xkeras::ConfigError&) {
      // An architecture-only file fails as "not an xkeras file"; say what it is and what to add.
      const std::string head = read_prefix(path, kMaxArchitectureBytes + 1);
      if (head.size() <= kMaxArchitectureBytes && !looks_like_archive_or_hdf5(head) && is_architecture_only(head))
        throw xkeras::ValueError(path + ": holds a model's architecture only (Keras's to_json()), no weights: give "
                                        "its weights file with --weights FILE");
      throw;
    }
  }
  // load_model's own reader refuses what is not a regular file (a FIFO would block here).
  if (!fs::is_regular_file(path, ec)) return xkeras::load_model(path, compile);
  const std::string head = read_prefix(path, kMaxArchitectureBytes + 1);
  if (looks_like_archive_or_hdf5(head) || head.size() > kMaxArchitectureBytes || !is_architecture_only(head))
    return xkeras::load_model(path, compile);
  try {
    return xkeras::model_from_json(head);
  } catch (const xkeras::ConfigError& e) {
    // model_from_json names the JSON path only; the user needs the file too.
    const std::string what = e.what(), lead = e.path() + ": ";
    throw xkeras::ConfigError(path + ": " + e.path(), what.rfind(lead, 0) == 0 ? what.substr(lead.size()) : what);
  }
}

void write_model(const xkeras::Model& model, const std::string& out, Format format) {
  if (format == Format::tfjs) {
    fs::path dir(out);
    if (dir.filename() == "model.json") {
      dir = dir.parent_path();
      if (dir.empty()) dir = ".";
    } else if (ends_with(out, ".json")) {
      throw UsageError("--to tfjs writes a folder holding model.json and its weight shards: give \"" +
                       fs::path(out).replace_extension().string() + "\" or FOLDER/model.json, not \"" + out + "\"");
    }
    model.save_tfjs(dir.string());
    return;
  }
  auto save = [&](const std::string& p) {
    if (format == Format::weights)
      model.save_weights(p);
    else
      model.save(p);
  };
  if (name_selects(out, format)) return save(out);
  // The name asks for another format: save under a hidden sibling with the right extension, then
  // rename it onto OUT (same folder, so the rename is atomic and OUT is never half written).
  const fs::path target(out);
  const fs::path tmp = target.parent_path() /
                       ("." + target.filename().string() + ".xkeras-convert-" + std::to_string(getpid()) + extension(format));
  try {
    save(tmp.string());
    fs::rename(tmp, target);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

}  // namespace xkeras_convert
