#include "models/graph_order.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace xkeras::detail {

std::vector<LayerPtr> keras_layer_order(const KerasTensors& inputs, const KerasTensors& outputs) {
  std::unordered_set<const Node*> input_nodes;
  for (const auto& t : inputs) input_nodes.insert(t.node().get());
  // 1. Depth-first from the outputs; a layer is numbered when its first call is entered, before its
  //    inputs; calls are listed after their inputs (post-order).
  std::unordered_map<const Layer*, long> index;
  std::vector<const Node*> post_order;
  std::unordered_set<const Node*> finished;
  for (const auto& out : outputs) {
    std::vector<std::pair<const Node*, std::size_t>> stack{{out.node().get(), 0}};
    while (!stack.empty()) {
      auto& [n, next] = stack.back();
      if (next == 0) {
        if (finished.count(n)) { stack.pop_back(); continue; }
        index.emplace(n->layer.get(), static_cast<long>(index.size()));
      }
      // A model input stops the walk (its InputLayer has no inputs anyway).
      if (!input_nodes.count(n) && next < n->inputs.size()) {
        const Node* child = n->inputs[next++].node().get();
        if (!finished.count(child)) stack.emplace_back(child, 0);
        continue;
      }
      finished.insert(n);
      post_order.push_back(n);
      stack.pop_back();
    }
  }
  // 2. Depths, from the last call back: a call's inputs sit one deeper than the call; a layer takes
  //    the depth of its deepest call, and its later-visited calls are raised to it.
  std::unordered_map<const Node*, long> node_depth;
  std::unordered_map<const Layer*, long> layer_depth;
  for (auto it = post_order.rbegin(); it != post_order.rend(); ++it) {
    const Node* n = *it;
    long depth = node_depth.emplace(n, 0).first->second;
    auto [ld, fresh] = layer_depth.emplace(n->layer.get(), depth);
    if (!fresh) depth = std::max(depth, ld->second);
    ld->second = depth;
    node_depth[n] = depth;
    if (input_nodes.count(n)) continue;
    for (const auto& t : n->inputs) {
      long& parent = node_depth.emplace(t.node().get(), 0).first->second;
      parent = std::max(parent, depth + 1);
    }
  }
  // Keras 3: an input no output reads sits at depth 0 with index -1.
  std::vector<LayerPtr> layers;
  std::unordered_map<const Layer*, LayerPtr> owner;
  for (const Node* n : post_order) owner.emplace(n->layer.get(), n->layer);
  for (const auto& t : inputs) {
    const Layer* l = t.node()->layer.get();
    if (!layer_depth.count(l)) {
      layer_depth[l] = 0;
      index[l] = -1;
      owner.emplace(l, t.node()->layer);
    }
  }
  // 3. Deepest first; ties by the order of first visit.
  for (const auto& [l, p] : owner) layers.push_back(p);
  std::sort(layers.begin(), layers.end(), [&](const LayerPtr& a, const LayerPtr& b) {
    const long da = layer_depth.at(a.get()), db = layer_depth.at(b.get());
    if (da != db) return da > db;
    return index.at(a.get()) < index.at(b.get());
  });
  return layers;
}

}  // namespace xkeras::detail
