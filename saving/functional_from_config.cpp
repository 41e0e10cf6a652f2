// Rebuilding a functional graph from its config, Keras 3 or tf.keras 2.x (keras_reference.md
// §3.1, §3.5, §3.6): create every layer, then replay the recorded calls. A call waits until the
// calls it reads have run (Keras defers such nodes too); a call that can never run is an error.
#include <map>
#include <new>
#include <set>

#include "saving/functional_graph_reader.hpp"
#include "saving/model_json.hpp"
#include "saving/problems.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/models/sequential.hpp"

namespace xkeras::saving {

namespace functional_detail {

void GraphReader::create_layers() {
  const std::string lpath = join_path(path_, "layers");
  const json& list = member(config_, "layers", path_);
  if (!list.is_array()) throw ConfigError(lpath, "expected a list of layers, got " + shown(list));
  if (list.size() > kMaxLayers) throw ConfigError(lpath, "more than " + std::to_string(kMaxLayers) + " layers");
  Problems problems;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Entry e;
    e.path = index_path(lpath, i);
    const json& entry = list[i];
    if (!entry.is_object()) throw ConfigError(e.path, "expected a layer object, got " + shown(entry));
    // The entry's "name" is what keras_history refers to; older files only have config.name.
    if (entry.contains("name")) e.name = get_string(entry["name"], join_path(e.path, "name"));
    else e.name = get_string(member(member(entry, "config", e.path), "name", join_path(e.path, "config")),
                             join_path(e.path, "config.name"));
    auto [it, fresh] = by_name_.emplace(e.name, i);
    if (!fresh)
      throw ConfigError(join_path(e.path, "name"), "duplicate layer name \"" + e.name + "\" (also " +
                                                       entries_[it->second].path + ")");
    try {
      e.layer = layer_from_object(entry, e.path);
    } catch (const ConfigError& err) {  // read the other layers too: report every problem at once
      problems.add(err);
      entries_.push_back(std::move(e));
      if (problems.full()) break;
      continue;
    }
    if (problems.any()) {  // the graph will not be built; only the layers' own problems are still wanted
      entries_.push_back(std::move(e));
      continue;
    }
    // A config without a name gave the layer an auto-name that may equal another layer's; the
    // entry's name is the one the graph uses, so the layer takes it.
    const json& config = entry["config"];
    if (config.is_object() && (!config.contains("name") || config["name"].is_null())) e.layer->set_name(e.name);
    auto [prev, unique] = layer_names_.emplace(e.layer->name(), e.path);
    if (!unique)
      throw ConfigError(join_path(e.path, "config.name"), "the layer name \"" + e.layer->name() + "\" is used twice (also " +
                                                             prev->second + "); all layer names in a model must be unique");
    e.input = std::dynamic_pointer_cast<layers::InputLayerImpl>(e.layer);
    const json& nodes = member(entry, "inbound_nodes", e.path);
    const std::string npath = join_path(e.path, "inbound_nodes");
    if (!nodes.is_array()) throw ConfigError(npath, "expected a list of nodes, got " + shown(nodes));
    if (nodes.size() > kMaxNodes) throw ConfigError(npath, "more than " + std::to_string(kMaxNodes) + " calls");
    if (e.input && !nodes.empty()) throw ConfigError(npath, "an InputLayer has no inbound nodes");
    for (const auto& n : nodes) legacy_ = legacy_ || n.is_array();
    e.declared = e.input ? 1 : nodes.size();
    entries_.push_back(std::move(e));
  }
  problems.throw_if_any();
}

std::size_t GraphReader::builtin_offset(std::size_t layer, bool io) const {
  const Layer* l = entries_[layer].layer.get();
  auto* model = dynamic_cast<const ModelImpl*>(l);
  if (!model) return 0;
  auto* seq = dynamic_cast<const SequentialImpl*>(l);
  if (legacy_) return (!seq || seq->has_graph()) ? 1 : 0;  // tf.keras _should_skip_first_node
  return io && !seq ? 1 : 0;
}

KerasTensor GraphReader::resolve(const Ref& r) const {
  const KerasTensors& outs = created_[r.layer][r.node];
  if (r.tensor >= outs.size())
    throw ConfigError(r.path, "tensor index " + std::to_string(r.tensor) + " is out of range: layer \"" +
                                  entries_[r.layer].name + "\" has " + std::to_string(outs.size()) + " output(s)");
  return outs[r.tensor];
}

void GraphReader::replay() {
  created_.assign(entries_.size(), {});
  std::map<NodeKey, std::vector<NodeKey>> waiters;  // created key -> calls waiting for it
  std::map<NodeKey, std::size_t> unmet;
  std::set<NodeKey> ready;  // ordered like Keras's passes: by layer, then call
  std::size_t total = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].input) created_[i].push_back({entries_[i].input->output()});
    for (std::size_t k = 0; k < entries_[i].calls.size(); ++k, ++total) {
      std::set<NodeKey> deps;
      if (k > 0) deps.insert({i, k - 1});  // a layer's calls happen in order
      for (const auto& r : entries_[i].calls[k].inputs)
        if (!entries_[r.layer].input) deps.insert({r.layer, r.node});
      for (const auto& [key, rs] : entries_[i].calls[k].kw_tensors)
        for (const auto& r : rs)
          if (!entries_[r.layer].input) deps.insert({r.layer, r.node});
      for (const auto& d : deps) waiters[d].push_back({i, k});
      unmet[{i, k}] = deps.size();
      if (deps.empty()) ready.insert({i, k});
    }
  }
  std::size_t done = 0;
  while (!ready.empty()) {
    const NodeKey key = *ready.begin();
    ready.erase(ready.begin());
    Entry& e = entries_[key.first];
    const Call& c = e.calls[key.second];
    KerasTensors xs;
    for (const auto& r : c.inputs) xs.push_back(resolve(r));
    SymbolicKwargs kw;
    kw.options = c.kw_options;
    for (const auto& [name, rs] : c.kw_tensors) {
      KerasTensors ts;
      for (const auto& r : rs) ts.push_back(resolve(r));
      kw.tensors.emplace_back(name, std::move(ts));
    }
    try {
      created_[key.first].push_back(e.layer->apply(xs, c.list_call, kw));
    } catch (const ConfigError&) {
      throw;
    } catch (const std::bad_alloc&) {
      throw ConfigError(c.path, "layer \"" + e.name + "\" is too large to allocate");
    } catch (const std::exception& ex) {
      throw ConfigError(c.path, "calling layer \"" + e.name + "\" failed: " + ex.what());
    }
    ++done;
    for (const auto& w : waiters[key])
      if (--unmet[w] == 0) ready.insert(w);
  }
  if (done == total) return;
  for (std::size_t i = 0; i < entries_.size(); ++i)
    for (std::size_t k = created_[i].size() - (entries_[i].input ? 1 : 0); k < entries_[i].calls.size(); ++k)
      for (const auto& r : entries_[i].calls[k].inputs)
        if (created_[r.layer].size() <= r.node)
          throw ConfigError(r.path, "this call of layer \"" + entries_[i].name + "\" reads call " +
                                        std::to_string(r.node) + " of layer \"" + entries_[r.layer].name +
                                        "\", which can never run (the graph has a cycle)");
  throw ConfigError(path_, "the graph has a cycle");
}

KerasTensors GraphReader::io_tensors(const char* key) {
  const std::string kpath = join_path(path_, key);
  const json& j = member(config_, key, path_);
  if (j.is_object()) throw ConfigError(kpath, "dict-structured model inputs/outputs are not supported");
  if (!j.is_array() || j.empty()) throw ConfigError(kpath, "expected [layer_name, node_index, tensor_index] or a list of them, got " + shown(j));
  // One tensor is a flat triple in Keras 3 (its first element is a string).
  const bool flat = j[0].is_string();
  if (!flat && j.size() > kMaxNodes) throw ConfigError(kpath, "too many tensors");
  KerasTensors out;
  const std::size_t n = flat ? 1 : j.size();
  for (std::size_t i = 0; i < n; ++i) {
    const json& t = flat ? j : j[i];
    const std::string tpath = flat ? kpath : index_path(kpath, i);
    if (!t.is_array() || t.size() < 3 || t.size() > 4)
      throw ConfigError(tpath, "expected [layer_name, node_index, tensor_index], got " + shown(t));
    Ref r = named_ref(t[0], tpath);
    const std::size_t node = get_index(t[1], tpath + "[1]", kMaxNodes);
    r.tensor = get_index(t[2], tpath + "[2]", kMaxNodes);
    const std::size_t off = builtin_offset(r.layer, true);
    if (node < off || node - off >= created_[r.layer].size())
      throw ConfigError(tpath + "[1]", "node index " + std::to_string(node) + " of layer \"" + entries_[r.layer].name +
                                           "\" is out of range (the layer has " + std::to_string(created_[r.layer].size()) +
                                           " call(s) in this model)");
    r.node = node - off;
    out.push_back(resolve(r));
    if (std::string(key) == "input_layers" && !entries_[r.layer].input)
      throw ConfigError(tpath, "expected an InputLayer, got layer \"" + entries_[r.layer].name + "\" (" +
                                   entries_[r.layer].layer->class_name() + ")");
  }
  return out;
}

std::shared_ptr<ModelImpl> GraphReader::read() {
  ConfigReader r(config_, path_);
  const std::string name = r.name();
  const bool trainable = r.get_bool("trainable", true);
  create_layers();
  parse_calls();
  replay();
  const KerasTensors inputs = io_tensors("input_layers");
  const KerasTensors outputs = io_tensors("output_layers");
  std::shared_ptr<ModelImpl> model;
  try {
    model = std::make_shared<ModelImpl>(inputs, outputs, name);
  } catch (const std::exception& e) {
    throw ConfigError(path_, e.what());
  }
  model->set_trainable(trainable);
  return model;
}

}  // namespace functional_detail

}  // namespace xkeras::saving

namespace xkeras {

std::shared_ptr<ModelImpl> ModelImpl::from_config(const json& config, const std::string& path) {
  saving::NestingGuard guard(path);
  return saving::functional_detail::GraphReader(config, path).read();
}

}  // namespace xkeras
