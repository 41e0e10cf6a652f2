// Model::save_tfjs(dir): the TensorFlow.js layers-model format, as tfjs-layers' own save writes it:
// dir/model.json (format, generatedBy, convertedBy, modelTopology in tf.keras 2.x's layout,
// weightsManifest) and the weights as little-endian float32 in group1-shard<i>of<n>.bin files of at
// most 4 MiB (the converter's shard size), named "<layer>/<weight>" as tfjs matches them.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include "saving/atomic_write.hpp"
#include "saving/model_json.hpp"
#include "saving/tfjs.hpp"
#include "saving/tfjs_names.hpp"
#include "saving/tfjs_weights.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

namespace {

constexpr std::size_t kShardBytes = std::size_t(4) << 20;

void append_le_floats(std::string& out, const float* v, std::size_t n) {
  const std::size_t at = out.size();
  out.resize(at + 4 * n);
  auto* p = reinterpret_cast<unsigned char*>(&out[at]);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, v + i, 4);
    p[4 * i] = bits & 0xff;
    p[4 * i + 1] = (bits >> 8) & 0xff;
    p[4 * i + 2] = (bits >> 16) & 0xff;
    p[4 * i + 3] = bits >> 24;
  }
}

// "group<g>-shard<i>of<n>.bin" or "group<g>-shard<i>of<n>-<letter>.bin" (see shard_names_beside):
// only files named like ours are ever deleted.
bool is_shard_name(const std::string& name) {
  unsigned long g = 0, i = 0, n = 0;
  if (std::sscanf(name.c_str(), "group%lu-shard%luof%lu", &g, &i, &n) != 3) return false;
  // Printed back the same: no signs, spaces, leading zeros or trailing text.
  const std::string base = "group" + std::to_string(g) + "-shard" + std::to_string(i) + "of" + std::to_string(n);
  if (name == base + ".bin") return true;
  return name.size() == base.size() + 6 && name.compare(0, base.size(), base) == 0 && name[base.size()] == '-' &&
         name[base.size() + 1] >= 'b' && name[base.size() + 1] <= 'z' && name.compare(base.size() + 2, 4, ".bin") == 0;
}

// The converter's shard names, unless an earlier model.json in the folder uses one of them: then the same
// names with a letter ("group1-shard1of1-b.bin"), so that the new shards never overwrite the old model's.
// The old model stays whole until the new model.json replaces it in one rename: a save that fails half
// way loses nothing.
std::vector<std::string> shard_names_beside(const std::vector<std::string>& earlier, std::size_t bytes) {
  const std::vector<std::string> plain = tfjs_shard_names(bytes, kShardBytes);
  for (char tag = 'a'; tag <= 'z'; ++tag) {
    std::vector<std::string> names = plain;
    if (tag != 'a')
      for (auto& n : names) n = n.substr(0, n.size() - 4) + "-" + tag + ".bin";
    bool free = true;
    for (const auto& n : names) free = free && std::find(earlier.begin(), earlier.end(), n) == earlier.end();
    if (free) return names;
  }
  throw IOError("cannot choose shard names: the earlier model.json in the folder lists every candidate");
}

// The shard files an earlier model.json in `dir` lists, named like ours (a manifest path with a folder
// in it, another file name, or a model.json we cannot read names nothing we would delete).
std::vector<std::string> earlier_shards(const std::string& dir) {
  std::vector<std::string> out;
  struct stat st {};
  const std::string path = dir + "/model.json";
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return out;
  try {
    const json doc = parse_document(read_file(path), path);
    for (const auto& group : doc.at("weightsManifest"))
      for (const auto& p : group.at("paths")) {
        std::string name = p.get<std::string>();
        if (name.rfind("./", 0) == 0) name = name.substr(2);
        if (is_shard_name(name)) out.push_back(name);
      }
  } catch (const std::exception&) {
    out.clear();  // not a TensorFlow.js model.json: leave the folder's other files alone
  }
  return out;
}

// A Reshape's -1 written as the size it has in this model: TensorFlow.js 4.22 leaves -1 unresolved
// whenever the batch size is unknown (its Reshape.computeOutputShape looks at the batch dimension too),
// so the next layer's weights would get a null dimension. Only where every call gives the same, fully
// known output shape; nested models are followed by name.
void resolve_reshapes(ojson& object, const ModelImpl& model) {
  if (!object.contains("config") || !object["config"].is_object() || !object["config"].contains("layers")) return;
  std::map<std::string, LayerPtr> by_name;  // one pass: get_layer per entry would be quadratic
  for (const auto& l : model.layers()) by_name.emplace(l->name(), l);
  for (auto& entry : object["config"]["layers"]) {
    const ojson& config = entry["config"];
    const std::string name = config.is_object() && config.contains("name") ? config.value("name", "") : entry.value("name", "");
    const auto it = by_name.find(name);
    if (it == by_name.end()) continue;
    const LayerPtr& layer = it->second;
    if (const auto* inner = dynamic_cast<const ModelImpl*>(layer.get())) {
      resolve_reshapes(entry, *inner);
      continue;
    }
    if (layer->class_name() != "Reshape") continue;
    const auto nodes = layer->inbound_nodes();
    if (nodes.empty() || nodes[0]->output_shapes.size() != 1) continue;
    const TensorShape shape = nodes[0]->output_shapes[0];
    bool known = shape.size() >= 2;
    for (std::size_t i = 1; i < shape.size(); ++i) known = known && shape[i] > 0;
    for (const auto& n : nodes) known = known && n->output_shapes.size() == 1 && n->output_shapes[0] == shape;
    if (!known) continue;
    ojson target = ojson::array();
    for (std::size_t i = 1; i < shape.size(); ++i) target.push_back(shape[i]);
    entry["config"]["target_shape"] = std::move(target);
  }
}

}  // namespace

}  // namespace xkeras::saving

namespace xkeras {

void Model::save_tfjs(const std::string& dir) const {
  namespace s = saving;
  // Everything is built in memory first: a model tfjs cannot express never touches the folder.
  s::ojson object = s::model_object(*ptr_, false);
  s::resolve_reshapes(object, *ptr_);
  s::ojson topology = s::to_keras2_layout(object);
  topology["keras_version"] = "xkeras " + std::string(XKERAS_VERSION_STRING);
  topology["backend"] = "tensor_flow.js";  // tfjs's semantics (Keras 2's hard_sigmoid), as tfjs writes it
  s::WeightNames names(*ptr_);
  std::string data;
  s::ojson entries = s::ojson::array();
  for (const auto& [v, name] : names.written()) {
    s::ojson e;
    e["name"] = name;
    e["shape"] = s::ojson::array();
    for (auto d : v->shape()) e["shape"].push_back(d);
    e["dtype"] = "float32";
    entries.push_back(std::move(e));
    s::append_le_floats(data, v->value.data(), v->value.size());
  }
  // The folder is checked and the earlier model's shards listed before the manifest names the new ones.
  if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
    throw IOError("cannot create the folder " + dir + ": " + std::strerror(errno));
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) throw IOError(dir + " is not a folder");
  const std::vector<std::string> earlier = s::earlier_shards(dir);
  const auto shard_names = s::shard_names_beside(earlier, data.size());
  s::ojson group;
  group["paths"] = s::ojson::array();
  for (const auto& n : shard_names) group["paths"].push_back(n);
  group["weights"] = std::move(entries);
  s::ojson doc;
  doc["format"] = "layers-model";
  doc["generatedBy"] = "xkeras v" + std::string(XKERAS_VERSION_STRING);
  doc["convertedBy"] = nullptr;
  doc["modelTopology"] = std::move(topology);
  doc["weightsManifest"] = s::ojson::array({std::move(group)});
  const std::string text = doc.dump(-1, ' ', false, s::ojson::error_handler_t::replace);

  // Shards first, model.json last: a reader never sees a model.json whose shards are not written yet.
  for (std::size_t i = 0; i < shard_names.size(); ++i) {
    const std::size_t from = i * s::kShardBytes;
    s::atomic_write(dir + "/" + shard_names[i], data.substr(from, std::min(s::kShardBytes, data.size() - from)));
  }
  s::atomic_write(dir + "/model.json", text);
  // Saving over an earlier model replaces it: the shards only the old model.json named go too.
  for (const auto& old : earlier)
    if (std::find(shard_names.begin(), shard_names.end(), old) == shard_names.end()) std::remove((dir + "/" + old).c_str());
}

}  // namespace xkeras
