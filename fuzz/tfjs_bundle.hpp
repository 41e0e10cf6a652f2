// The input encoding of the `tfjs` fuzz target: a TensorFlow.js model is a model.json plus binary
// shard files beside it, and the fuzzer must be able to mutate both. One input holds
//   <model.json text> [ SEP <shard 1 bytes> [ SEP <shard 2 bytes> ... ] ]      SEP = "\n#shard\n"
// SEP never occurs in valid JSON (a raw newline cannot stand inside a JSON string), so the model.json
// part ends at the first one. Shard k of n is written as "group1-shard<k>of<n>.bin" (the converter's
// and tf.LayersModel.save's names), and the first shard also as "model.weights.bin" (the browser
// download's name), so every committed fixture's manifest finds its files without rewriting. The
// manifest's paths stay untouched: mutating them is how the path checks get fuzzed.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace xkeras_fuzz {

inline const std::string kShardSeparator = "\n#shard\n";
constexpr std::size_t kMaxShards = 16;  // separators past the 16th are bytes of the last shard

/// The files (name, bytes) one input stands for; the first is "model.json".
inline std::vector<std::pair<std::string, std::string>> tfjs_files(const std::string& input) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  for (;;) {
    const std::size_t sep = parts.size() < kMaxShards ? input.find(kShardSeparator, at) : std::string::npos;
    if (sep == std::string::npos) {
      parts.push_back(input.substr(at));
      break;
    }
    parts.push_back(input.substr(at, sep - at));
    at = sep + kShardSeparator.size();
  }
  std::vector<std::pair<std::string, std::string>> files{{"model.json", parts[0]}};
  const std::size_t n = parts.size() - 1;
  for (std::size_t k = 1; k <= n; ++k)
    files.emplace_back("group1-shard" + std::to_string(k) + "of" + std::to_string(n) + ".bin", parts[k]);
  if (n >= 1) files.emplace_back("model.weights.bin", parts[1]);
  return files;
}

/// The input for a model.json and its shards in order (the seed generator's side).
inline std::string tfjs_input(const std::string& model_json, const std::vector<std::string>& shards) {
  std::string s = model_json;
  for (const auto& b : shards) s += kShardSeparator + b;
  return s;
}

}  // namespace xkeras_fuzz
