// The shared machinery of the merge layers (Keras's base_merge.py).
#include <set>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/ops.hpp"

namespace xkeras::layers {

std::string MergeImpl::shapes_str(const std::vector<TensorShape>& shapes) {
  std::string s = "[";
  for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shape_str(shapes[i]);
  return s + "]";
}

void MergeImpl::fail(const std::string& what) const {
  throw ValueError("Layer \"" + name() + "\" (" + class_name() + "): " + what);
}

void MergeImpl::check_input_count(std::size_t n) const {
  if (n < 1) fail("A merge layer should be called on a list of at least 1 input. Received 0 inputs.");
}

TensorShape MergeImpl::merged_shape(const std::vector<TensorShape>& shapes) const {
  for (const auto& s : shapes)
    if (s.empty()) fail("merge inputs need a batch dimension. Received tensors with shapes " + shapes_str(shapes));
  std::set<Dim> batches;
  for (const auto& s : shapes)
    if (s[0] >= 0) batches.insert(s[0]);
  if (batches.size() > 1)
    fail("Cannot merge tensors with different batch sizes. Received tensors with shapes " + shapes_str(shapes));
  // Non-batch axes, right-aligned (the same as inserting size-1 axes at axis 1 first), then
  // broadcast: 1 takes the other size, an unknown (None) size stays unknown, else sizes must match.
  TensorShape out(shapes[0].begin() + 1, shapes[0].end());
  for (std::size_t i = 1; i < shapes.size(); ++i) {
    TensorShape a = out, b(shapes[i].begin() + 1, shapes[i].end());
    if (a.size() < b.size()) std::swap(a, b);
    const std::size_t offset = a.size() - b.size();
    for (std::size_t d = 0; d < b.size(); ++d) {
      Dim& o = a[offset + d];
      const Dim j = b[d];
      if (o < 0 || j < 0) o = None;
      else if (o == 1) o = j;
      else if (j != 1 && o != j)
        fail("Inputs have incompatible shapes. Received tensors with shapes " + shapes_str(shapes));
    }
    out = a;
  }
  out.insert(out.begin(), batches.empty() ? None : *batches.begin());
  return out;
}

void MergeImpl::build_list(const std::vector<TensorShape>& input_shapes) {
  // Used purely for validation, as in Keras; merges have no weights.
  check_input_count(input_shapes.size());
  merged_shape(input_shapes);
}

std::vector<TensorShape> MergeImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  check_input_count(input_shapes.size());
  return {merged_shape(input_shapes)};
}

Tensors MergeImpl::call_list(const Tensors& xs, bool) {
  check_input_count(xs.size());
  std::vector<TensorShape> shapes;
  std::size_t max_rank = 0;
  for (const auto& x : xs) {
    const Shape s = x.shape();
    shapes.emplace_back(s.begin(), s.end());
    max_rank = std::max(max_rank, s.size());
  }
  merged_shape(shapes);  // batch sizes and broadcast compatibility, with this layer's messages
  if (!expands_ranks()) return {merge_function(xs)};
  // Keras: expand_dims(x, axis=1) until the ranks match (a reshape, so it stays on the tape).
  Tensors same_rank;
  for (const auto& x : xs) {
    Shape s = x.shape();
    if (s.size() < max_rank) s.insert(s.begin() + 1, max_rank - s.size(), 1);
    same_rank.push_back(s.size() == x.ndim() ? x : ops::reshape(x, s));
  }
  return {merge_function(same_rank)};
}

std::string MergeImpl::config_name(const json& config, const std::string& path) {
  return ConfigReader(config, path).name();
}

void MergeImpl::apply_base_config(Layer& layer, const json& config, const std::string& path) {
  ConfigReader(config, path).apply_base(layer);
}

}  // namespace xkeras::layers
