// The walk of Keras 3's saving_lib (_save_state / _save_container_state) over xkeras's layers.
#include "saving/keras3_paths.hpp"

#include <map>
#include <set>

#include "xkeras/layers/bidirectional.hpp"
#include "xkeras/layers/multi_head_attention.hpp"
#include "xkeras/layers/normalization.hpp"
#include "xkeras/layers/rnn.hpp"
#include "xkeras/layers/time_distributed.hpp"
#include "xkeras/models/sequential.hpp"

namespace xkeras::saving::keras3 {

namespace {

std::string join(const std::string& base, const std::string& name) { return base.empty() ? name : base + "/" + name; }

class Walker {
 public:
  explicit Walker(Layout layout) : layout_(layout) {}

  void visit(const Layer& layer, const std::string& path) {
    if (!seen_.insert(&layer).second) return;  // Keras: an object already visited keeps its first path
    if (const auto* model = dynamic_cast<const ModelImpl*>(&layer)) return visit_model(*model, path);
    if (const auto* rnn = dynamic_cast<const layers::RecurrentImpl*>(&layer)) return visit_rnn(*rnn, path);
    if (const auto* bi = dynamic_cast<const layers::BidirectionalImpl*>(&layer)) {
      add(layer, path, {});
      visit(*bi->forward_layer(), join(path, "forward_layer"));
      return visit(*bi->backward_layer(), join(path, "backward_layer"));
    }
    if (const auto* td = dynamic_cast<const layers::TimeDistributedImpl*>(&layer)) {
      add(layer, path, {});
      return visit(*td->layer(), join(path, "layer"));
    }
    if (const auto* mha = dynamic_cast<const layers::MultiHeadAttentionImpl*>(&layer)) return visit_mha(*mha, path);
    add(layer, path, own_in_keras_order(layer));
    // A user's layer with sub-layers: Keras would name them by attribute, which xkeras does not know;
    // they are kept as a container so that xkeras reads back what it wrote.
    const auto subs = layer.sublayers();
    if (!subs.empty()) container(subs, join(path, "layers"));
  }

  std::vector<VarsEntry> take() { return std::move(out_); }

 private:
  // Keras's _trainable_variables + _non_trainable_variables: by each variable's own flag.
  static std::vector<VariablePtr> own_in_keras_order(const Layer& layer) {
    std::vector<VariablePtr> v;
    for (const auto& w : layer.own_variables())
      if (w->trainable) v.push_back(w);
    for (const auto& w : layer.own_variables())
      if (!w->trainable) v.push_back(w);
    return v;
  }

  VarsEntry& add(const Layer& layer, const std::string& path, std::vector<VariablePtr> vars, std::string name = "") {
    VarsEntry e;
    e.path = path;
    e.name = name.empty() ? layer.name() : std::move(name);
    e.layer = layer.name();
    e.class_name = layer.class_name();
    e.vars = std::move(vars);
    for (const auto& v : e.vars)  // Keras creates Normalization's count with dtype "int"
      e.is_int.push_back(dynamic_cast<const layers::NormalizationImpl*>(&layer) != nullptr && v->name == "count");
    out_.push_back(std::move(e));
    return out_.back();
  }

  void visit_model(const ModelImpl& model, const std::string& path) {
    add(model, path, own_in_keras_order(model));
    // layers() is Keras's model.layers: a Sequential's without its InputLayer, a Functional's with.
    container(model.layers(), join(path, layout_ == Layout::tf_keras ? "_layer_checkpoint_dependencies" : "layers"));
  }

  // Keras's SimpleRNN / LSTM / GRU keep their weights in a cell object named "<class>_cell".
  void visit_rnn(const layers::RecurrentImpl& rnn, const std::string& path) {
    add(rnn, path, {});
    std::vector<VariablePtr> cell;
    for (const auto& v : {rnn.kernel(), rnn.recurrent_kernel(), rnn.bias()})
      if (v) cell.push_back(v);
    add(rnn, join(path, "cell"), std::move(cell), snake_case(rnn.class_name()) + "_cell");
  }

  // Keras's MultiHeadAttention holds four EinsumDense layers (public properties from Keras 3.3, the
  // private attributes "_query_dense"... before); xkeras names their variables "query/kernel", ...
  void visit_mha(const layers::MultiHeadAttentionImpl& mha, const std::string& path) {
    add(mha, path, {});
    static const std::pair<const char*, const char*> parts[] = {{"key", "key_dense"},
                                                                {"attention_output", "output_dense"},
                                                                {"query", "query_dense"},
                                                                {"value", "value_dense"},
                                                                {"gate", "gate_dense"}};
    for (const auto& [prefix, attr] : parts) {
      std::vector<VariablePtr> vars;
      for (const auto& v : mha.own_variables())
        if (v->name.rfind(std::string(prefix) + "/", 0) == 0) vars.push_back(v);
      if (vars.empty()) continue;
      VarsEntry& e = add(mha, join(path, attr), std::move(vars), prefix);
      e.alt_paths.push_back(join(path, std::string("_") + attr));
    }
  }

  // Keras's _save_container_state: the k-th repeat of a class in one container is "<snake>_<k>".
  void container(const std::vector<LayerPtr>& layers, const std::string& base) {
    std::map<std::string, int> used;
    for (const auto& l : layers) {
      const std::string cls = snake_case(l->class_name());
      auto it = used.find(cls);
      std::string name = cls;
      if (it == used.end()) {
        it = used.emplace(cls, 0).first;
      } else {
        name += "_" + std::to_string(++it->second);
      }
      // tf.keras lists a layer with weights a second time ("layer-i" after "layer_with_weights-k");
      // the repeat is skipped but still takes a number.
      if (layout_ == Layout::tf_keras && !l->weights().empty()) ++it->second;
      visit(*l, join(base, name));
    }
  }

  Layout layout_;
  std::set<const Layer*> seen_;
  std::vector<VarsEntry> out_;
};

}  // namespace

std::string vars_path(const std::string& path) { return join(path, "vars"); }

std::vector<VarsEntry> walk(const ModelImpl& model, Layout layout) {
  Walker w(layout);
  w.visit(model, "");
  return w.take();
}

}  // namespace xkeras::saving::keras3
