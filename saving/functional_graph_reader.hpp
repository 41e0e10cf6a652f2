// The reader of a functional model's config (saving/functional_from_config.cpp): the layers' entries,
// their recorded calls, and the replay that rebuilds the graph. Private to saving/; the parsing of the
// calls lives in functional_call_parsing.cpp.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "xkeras/json.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving::functional_detail {

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

}  // namespace xkeras::saving::functional_detail
