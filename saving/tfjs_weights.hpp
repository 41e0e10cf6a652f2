// TensorFlow.js weights: the "weightsManifest" groups of a model.json and their binary shards, both
// ways (keras_reference_layers2.md §12.2). Each group's shard files, concatenated in order, hold its
// entries back to back, little-endian, row-major: float32 or int32, or quantized as uint8/uint16 (affine:
// x = q * scale + min) or float16. Shards are untrusted input: their names must stay in the model's
// folder, and their sizes must match what the manifest declares before anything is read.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "saving/json_util.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::saving {

struct TfjsEntry {
  std::string name;       // as written, e.g. "dense_Dense1/kernel" or "lstm/lstm_cell/kernel"
  Shape shape;
  std::string json_path;  // "weightsManifest[0].weights[3]", for messages
  bool optimizer = false; // "group": "optimizer" (tfjs-layers' includeOptimizer): not a model weight
  std::size_t group = 0, offset = 0;  // bytes into its group's buffer
  std::string stored;     // "float32", "int32", "uint8", "uint16" or "float16"
  double min = 0, scale = 1;
};

struct TfjsManifest {
  std::vector<TfjsEntry> entries;
  std::vector<std::vector<std::string>> group_files;  // per group, the shard paths as written
  std::vector<std::size_t> group_bytes;               // what each group's entries need
  std::size_t total_values = 0;                       // over every entry: what the file holds
};

/// Reads and checks the manifest (`weightsManifest`, JSON path "weightsManifest"). ConfigError on any
/// malformed entry; sizes are computed without overflow.
TfjsManifest parse_tfjs_manifest(const json& manifest);

/// Reads every group's shards from `dir` (the model.json's folder) after checking that their sizes add
/// up to what the group needs; IOError / ConfigError otherwise. One buffer per group.
std::vector<std::string> read_tfjs_shards(const TfjsManifest& m, const std::string& dir);

/// Decodes one entry from its group buffer into `out` (shape_size(entry.shape) floats).
void decode_tfjs_entry(const TfjsEntry& e, const std::string& group_buffer, float* out);

/// Shard names for `bytes` bytes of group 1 cut every `shard_bytes` (the converter's 4 MiB):
/// "group1-shard1of2.bin", ...
std::vector<std::string> tfjs_shard_names(std::size_t bytes, std::size_t shard_bytes);

}  // namespace xkeras::saving
