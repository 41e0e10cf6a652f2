// Parsing the recorded calls of a functional config: Keras 3's __keras_tensor__ objects and tf.keras's
// [layer_name, node, tensor] triples, positional and keyword, into references to layers of this model.
#include "saving/functional_graph_reader.hpp"
#include "saving/model_json.hpp"
#include "saving/problems.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving::functional_detail {

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

}  // namespace xkeras::saving::functional_detail
