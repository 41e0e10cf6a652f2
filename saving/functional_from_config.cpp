// Rebuilding a functional graph from its config, Keras 3 or tf.keras 2.x (keras_reference.md
// §3.1, §3.5, §3.6): create every layer, then replay the recorded calls. A call waits until the
// calls it reads have run (Keras defers such nodes too); a call that can never run is an error.
#include <map>
#include <new>
#include <set>

#include "saving/model_json.hpp"
#include "saving/problems.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/models/sequential.hpp"

namespace xkeras::saving {

namespace {

struct Ref {  // output `tensor` of call `node` of layer `layer` (0-based in this model)
  std::size_t layer = 0, node = 0, tensor = 0;
  std::string path;
};

struct Call {
  std::vector<Ref> inputs;
  std::vector<std::pair<std::string, std::vector<Ref>>> kw_tensors;  // keyword tensors by name
  json kw_options = json::object();                                   // plain keyword values
  bool list_call = false;
  std::string path;
};

struct Entry {
  LayerPtr layer;
  std::string name, path;
  std::shared_ptr<layers::InputLayerImpl> input;  // set for InputLayers
  std::vector<Call> calls;
  std::size_t declared = 0;  // calls listed in the config (1 for an InputLayer)
};

using NodeKey = std::pair<std::size_t, std::size_t>;  // (layer, call)

class GraphReader {
 public:
  GraphReader(const json& config, std::string path) : config_(config), path_(std::move(path)) {}
  std::shared_ptr<ModelImpl> read();

 private:
  void create_layers();
  void parse_calls();
  void parse_call(Entry& e, const json& node, const std::string& npath);
  /// One keyword argument of a call: tensors (Keras 3 __keras_tensor__ objects, or tf.keras
  /// [layer_name, node, tensor] triples naming a layer of this model) or a plain value.
  void parse_kwarg(Call& c, const std::string& key, const json& value, const std::string& path);
  bool is_legacy_ref(const json& j) const;
  /// A reference whose first element names a layer of this model; node and tensor are read by the caller.
  Ref named_ref(const json& name, const std::string& path) const;
  Ref keras_tensor(const json& t, const std::string& path);
  void replay();
  KerasTensor resolve(const Ref& r) const;
  KerasTensors io_tensors(const char* key);
  // tf.keras counts a nested model's construction as its node 0; Keras 3 does so for a nested
  // Functional in input_layers/output_layers only (functional_config.cpp writes the same).
  std::size_t builtin_offset(std::size_t layer, bool io) const;

  const json& config_;
  std::string path_;
  std::vector<Entry> entries_;
  std::map<std::string, std::size_t> by_name_;
  std::map<std::string, std::string> layer_names_;  // the layers' own names -> entry path
  bool legacy_ = false;  // tf.keras node lists
  std::vector<std::vector<KerasTensors>> created_;
};

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

Ref GraphReader::named_ref(const json& name, const std::string& path) const {
  Ref r;
  r.path = path;
  const std::string& n = get_string(name, path + "[0]");
  auto it = by_name_.find(n);
  if (it == by_name_.end()) throw ConfigError(path + "[0]", "reference to unknown layer \"" + n + "\"");
  r.layer = it->second;
  return r;
}

Ref GraphReader::keras_tensor(const json& t, const std::string& path) {
  if (!t.is_object() || !t.contains("class_name") || t["class_name"] != "__keras_tensor__")
    throw ConfigError(path, "expected a __keras_tensor__ reference, got " + shown(t));
  const std::string cpath = join_path(path, "config");
  const json& h = member(member(t, "config", path), "keras_history", cpath);
  const std::string hpath = join_path(cpath, "keras_history");
  if (!h.is_array() || h.size() != 3) throw ConfigError(hpath, "expected [layer_name, node_index, tensor_index], got " + shown(h));
  Ref r = named_ref(h[0], hpath);
  r.node = get_index(h[1], hpath + "[1]", kMaxNodes);
  r.tensor = get_index(h[2], hpath + "[2]", kMaxNodes);
  return r;
}

bool mentions_tensor(const json& j) {
  if (j.is_object() && j.contains("class_name") && j["class_name"] == "__keras_tensor__") return true;
  if (j.is_structured())
    for (const auto& v : j) if (mentions_tensor(v)) return true;
  return false;
}

void GraphReader::parse_call(Entry& e, const json& node, const std::string& npath) {
  Call c;
  c.path = npath;
  if (node.is_array()) {  // tf.keras: [[name, node, tensor, kwargs], ...]
    if (node.empty() || node.size() > kMaxNodes) throw ConfigError(npath, "expected 1 to " + std::to_string(kMaxNodes) + " inputs");
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string rp = index_path(npath, i);
      const json& ref = node[i];
      if (!ref.is_array() || ref.size() < 3 || ref.size() > 4)
        throw ConfigError(rp, "expected [layer_name, node_index, tensor_index, kwargs], got " + shown(ref));
      Ref r = named_ref(ref[0], rp);
      r.node = get_index(ref[1], rp + "[1]", kMaxNodes);
      r.tensor = get_index(ref[2], rp + "[2]", kMaxNodes);
      c.inputs.push_back(std::move(r));
    }
    c.list_call = node.size() > 1;
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (node[i].size() < 4) continue;
      const json& kw = node[i][3];
      const std::string kp = index_path(npath, i) + "[3]";
      if (!kw.is_object()) throw ConfigError(kp, "expected an object of keyword arguments, got " + shown(kw));
      for (const auto& [key, value] : kw.items()) parse_kwarg(c, key, value, join_path(kp, key));
    }
  } else if (node.is_object()) {  // Keras 3: {"args": [...], "kwargs": {...}}
    const json& args = member(node, "args", npath);
    const std::string apath = join_path(npath, "args");
    if (!args.is_array() || args.empty() || args.size() > kMaxNodes)
      throw ConfigError(apath, "expected a non-empty list of arguments, got " + shown(args));
    if (args.size() == 1 && args[0].is_array()) {  // merge layers: one positional list
      const std::string lp = apath + "[0]";
      if (args[0].empty() || args[0].size() > kMaxNodes) throw ConfigError(lp, "expected a non-empty list of tensors");
      for (std::size_t i = 0; i < args[0].size(); ++i) c.inputs.push_back(keras_tensor(args[0][i], index_path(lp, i)));
      c.list_call = true;
    } else {
      for (std::size_t i = 0; i < args.size(); ++i) c.inputs.push_back(keras_tensor(args[i], index_path(apath, i)));
    }
    if (node.contains("kwargs")) {
      const json& kw = node["kwargs"];
      const std::string kp = join_path(npath, "kwargs");
      if (!kw.is_object()) throw ConfigError(kp, "expected an object of keyword arguments, got " + shown(kw));
      for (const auto& [key, value] : kw.items()) parse_kwarg(c, key, value, join_path(kp, key));
    }
  } else {
    throw ConfigError(npath, "expected a node ({\"args\", \"kwargs\"} or a list of inbound tensors), got " + shown(node));
  }
  // Node indices to 0-based calls in this model, range-checked against what the config lists.
  std::vector<Ref*> refs;
  for (auto& r : c.inputs) refs.push_back(&r);
  for (auto& [key, rs] : c.kw_tensors)
    for (auto& r : rs) refs.push_back(&r);
  for (Ref* rp : refs) {
    Ref& r = *rp;
    const std::size_t off = builtin_offset(r.layer, false);
    const Entry& src = entries_[r.layer];
    if (r.node < off || r.node - off >= src.declared)
      throw ConfigError(r.path, "node index " + std::to_string(r.node) + " of layer \"" + src.name +
                                    "\" is out of range (the layer has " + std::to_string(src.declared) +
                                    " call(s) in this model)");
    r.node -= off;
  }
  e.calls.push_back(std::move(c));
}

bool GraphReader::is_legacy_ref(const json& j) const {
  return j.is_array() && (j.size() == 3 || j.size() == 4) && j[0].is_string() && j[1].is_number_integer() &&
         j[2].is_number_integer() && by_name_.count(j[0].get<std::string>());
}

void GraphReader::parse_kwarg(Call& c, const std::string& key, const json& value, const std::string& path) {
  auto is_k3 = [](const json& j) {
    return j.is_object() && j.contains("class_name") && j["class_name"] == "__keras_tensor__";
  };
  auto legacy = [&](const json& j, const std::string& p) {
    Ref r = named_ref(j[0], p);
    r.node = get_index(j[1], p + "[1]", kMaxNodes);
    r.tensor = get_index(j[2], p + "[2]", kMaxNodes);
    return r;
  };
  std::vector<Ref> refs;
  if (is_k3(value)) {
    refs.push_back(keras_tensor(value, path));
  } else if (is_legacy_ref(value)) {
    refs.push_back(legacy(value, path));
  } else if (value.is_array() && !value.empty() && (is_k3(value[0]) || is_legacy_ref(value[0]))) {
    if (value.size() > kMaxNodes) throw ConfigError(path, "expected at most " + std::to_string(kMaxNodes) + " tensors");
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string p = index_path(path, i);
      if (is_k3(value[i])) refs.push_back(keras_tensor(value[i], p));
      else if (is_legacy_ref(value[i])) refs.push_back(legacy(value[i], p));
      else throw ConfigError(p, "expected a tensor reference like the other entries, got " + shown(value[i]));
    }
  } else if (mentions_tensor(value)) {
    throw ConfigError(path, "expected a tensor or a list of tensors, got " + shown(value));
  } else {
    // A mask given as nulls (Keras writes "mask": null or [null, null]) means none.
    bool all_null = value.is_null();
    if (value.is_array()) {
      all_null = true;
      for (const auto& v : value) all_null = all_null && v.is_null();
    }
    if (!(key == "mask" && all_null)) c.kw_options[key] = value;
    return;
  }
  c.kw_tensors.emplace_back(key, std::move(refs));
}

void GraphReader::parse_calls() {
  const json& list = config_["layers"];
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const json& nodes = list[i]["inbound_nodes"];
    for (std::size_t k = 0; k < nodes.size(); ++k)
      parse_call(entries_[i], nodes[k], index_path(join_path(entries_[i].path, "inbound_nodes"), k));
  }
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

}  // namespace

}  // namespace xkeras::saving

namespace xkeras {

std::shared_ptr<ModelImpl> ModelImpl::from_config(const json& config, const std::string& path) {
  saving::NestingGuard guard(path);
  return saving::GraphReader(config, path).read();
}

}  // namespace xkeras
