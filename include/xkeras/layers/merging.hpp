// Merge layers, called on a LIST of tensors: Add, Subtract, Multiply, Average, Maximum, Minimum,
// Concatenate, Dot. Keras's lower-case helpers (add, dot, ...) are in merge_functions.hpp.
//
//   auto y = layers::Add()({a, b});                 // symbolic (KerasTensors) or eager (Tensors)
//   auto z = layers::Concatenate(1)({a, b, c});
//
// Keras's shape rule (base_merge.py): all batch sizes must agree; when the ranks differ,
// size-1 axes are inserted at axis 1 of the lower-rank inputs until the ranks match, and then
// the non-batch axes broadcast like NumPy. So (None, 3) + (None, 5, 3) -> (None, 5, 3).
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

/// The shared logic of every merge layer: list checks, batch-size agreement, Keras's
/// rank-expansion rule, shape inference, and the eager call. A subclass supplies the merge of
/// equal-rank tensors (merge_function) and, if it is not elementwise, its own shape rule.
class MergeImpl : public Layer {
 public:
  using Layer::Layer;

  bool takes_list() const override { return true; }
  void build_list(const std::vector<TensorShape>& input_shapes) override;
  Tensors call_list(const Tensors& xs, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  bool supports_masking() const override { return true; }
  /// Keras 3's Merge.compute_mask: the OR of the inputs' masks; none when any input has none.
  Tensors compute_mask(const Tensors& xs, const Tensors& masks) override;

 protected:
  /// Merges inputs that already have equal ranks (after the axis-1 expansion).
  virtual Tensor merge_function(const Tensors& xs) const = 0;
  /// Checks the shapes (batch included) and returns the output shape; the default is the
  /// elementwise rule. Errors name the layer and list every received shape.
  virtual TensorShape merged_shape(const std::vector<TensorShape>& shapes) const;
  /// Whether lower-rank inputs get size-1 axes at axis 1 first (elementwise merges: yes).
  virtual bool expands_ranks() const { return true; }
  /// Throws unless n inputs are allowed (Keras 3: at least 1).
  virtual void check_input_count(std::size_t n) const;

  /// "[(None, 3), (None, 4)]": Keras's way of showing the received shapes in messages.
  static std::string shapes_str(const std::vector<TensorShape>& shapes);
  [[noreturn]] void fail(const std::string& what) const;

  /// from_config of a merge layer whose config is the base one (name, trainable, dtype).
  template <class T>
  static std::shared_ptr<T> from_base_config(const json& config, const std::string& path) {
    auto layer = std::make_shared<T>(config_name(config, path));
    apply_base_config(*layer, config, path);
    return layer;
  }
  static std::string config_name(const json& config, const std::string& path);
  static void apply_base_config(Layer& layer, const json& config, const std::string& path);
};

/// out = x0 + x1 + ...
class AddImpl : public MergeImpl {
 public:
  explicit AddImpl(std::string name = "") : MergeImpl("Add", std::move(name)) {}
  static std::shared_ptr<AddImpl> from_config(const json& config, const std::string& path);

 protected:
  Tensor merge_function(const Tensors& xs) const override;
};

/// out = x0 - x1 (exactly two inputs).
class SubtractImpl : public MergeImpl {
 public:
  explicit SubtractImpl(std::string name = "") : MergeImpl("Subtract", std::move(name)) {}
  static std::shared_ptr<SubtractImpl> from_config(const json& config, const std::string& path);

 protected:
  Tensor merge_function(const Tensors& xs) const override;
  void check_input_count(std::size_t n) const override;
};

/// out = x0 * x1 * ...
class MultiplyImpl : public MergeImpl {
 public:
  explicit MultiplyImpl(std::string name = "") : MergeImpl("Multiply", std::move(name)) {}
  static std::shared_ptr<MultiplyImpl> from_config(const json& config, const std::string& path);

 protected:
  Tensor merge_function(const Tensors& xs) const override;
};

/// out = (x0 + x1 + ...) / n
class AverageImpl : public MergeImpl {
 public:
  explicit AverageImpl(std::string name = "") : MergeImpl("Average", std::move(name)) {}
  static std::shared_ptr<AverageImpl> from_config(const json& config, const std::string& path);

 protected:
  Tensor merge_function(const Tensors& xs) const override;
};

/// Joins the inputs along `axis`; every other axis must match. Config: name, trainable, dtype, axis.
class ConcatenateImpl : public MergeImpl {
 public:
  explicit ConcatenateImpl(int axis = -1, std::string name = "");
  json get_config() const override;
  static std::shared_ptr<ConcatenateImpl> from_config(const json& config, const std::string& path);
  int axis() const { return axis_; }
  /// Keras 3: each input's mask spread over its shape (all ones when it has none; a mask one rank
  /// short gets the last axis), joined along `axis`, then any() over the last axis. None if no input has one.
  Tensors compute_mask(const Tensors& xs, const Tensors& masks) override;

 protected:
  Tensor merge_function(const Tensors& xs) const override;
  TensorShape merged_shape(const std::vector<TensorShape>& shapes) const override;
  bool expands_ranks() const override { return false; }

 private:
  int axis_;
};

/// out = maximum(...maximum(x0, x1)..., xn), elementwise. On ties the gradient goes to the earlier
/// input (TensorFlow's rule: d max(a, b)/da = [a >= b]); a NaN input wins.
class MaximumImpl : public MergeImpl {
 public:
  explicit MaximumImpl(std::string name = "") : MergeImpl("Maximum", std::move(name)) {}
  static std::shared_ptr<MaximumImpl> from_config(const json& config, const std::string& path);
  /// Keras 3 with masks: a masked value of an input is replaced by the running result (and the
  /// other way round) before each merge, so masked steps never win.
  Tensors call_args(const Tensors& xs, const CallArgs& args) override;

 protected:
  Tensor merge_function(const Tensors& xs) const override;
};

/// out = minimum(...minimum(x0, x1)..., xn), elementwise; ties send the gradient to the earlier input.
class MinimumImpl : public MergeImpl {
 public:
  explicit MinimumImpl(std::string name = "") : MergeImpl("Minimum", std::move(name)) {}
  static std::shared_ptr<MinimumImpl> from_config(const json& config, const std::string& path);
  /// Keras 3 with masks: a masked value of an input is replaced by the running result (and the
  /// other way round) before each merge, so masked steps never win.
  Tensors call_args(const Tensors& xs, const CallArgs& args) override;

 protected:
  Tensor merge_function(const Tensors& xs) const override;
};

/// Dot's `axes`: one axis for both inputs (`1`, `-1`) or one per input (`{1, 2}`).
struct DotAxes {
  DotAxes(int axis) : first(axis), second(axis), is_pair(false) {}  // NOLINT: Keras's int form
  DotAxes(int a0, int a1) : first(a0), second(a1), is_pair(true) {}
  int first, second;
  bool is_pair;
};

/// Batch dot product of exactly two inputs (Keras's Dot / batch_dot): per sample, the tensordot of
/// x1 and x2 over axes (a0, a1) (negative axes modulo each input's rank; the batch axis 0 is not
/// allowed), with x1's free axes first, then x2's. Output shape: x1's without a0, then x2's without
/// its batch axis and a1; a rank-1 result becomes (B, 1). With `normalize`, both inputs are first
/// L2-normalized along their contracted axis, x / max(||x||, 1e-7) (Keras 3's ops.normalize), so
/// the result is the cosine similarity. Config: name, trainable, dtype, axes (int or pair), normalize.
class DotImpl : public MergeImpl {
 public:
  explicit DotImpl(DotAxes axes, bool normalize = false, std::string name = "");
  json get_config() const override;
  static std::shared_ptr<DotImpl> from_config(const json& config, const std::string& path);
  const DotAxes& axes() const { return axes_; }
  bool normalize() const { return normalize_; }
  /// Keras 3: the output has no mask.
  Tensors compute_mask(const Tensors&, const Tensors&) override { return {Tensor()}; }

 protected:
  Tensor merge_function(const Tensors& xs) const override;
  TensorShape merged_shape(const std::vector<TensorShape>& shapes) const override;
  bool expands_ranks() const override { return false; }
  void check_input_count(std::size_t n) const override;

 private:
  /// The two contracted axes, non-negative, for inputs of these ranks; ValueError if out of range or 0.
  std::pair<std::size_t, std::size_t> resolved_axes(std::size_t rank1, std::size_t rank2) const;

  DotAxes axes_;
  bool normalize_;
};

/// Handle of a merge layer. Calling it on ONE tensor does not compile, as Keras raises for a
/// non-list call; write `layer(KerasTensors{x})` for a list of one. Eager calls return one Tensor.
template <class Impl>
class MergeHolder : public Holder<Impl> {
 public:
  using Holder<Impl>::Holder;

  KerasTensor operator()(const KerasTensors& xs) const { return (*this->ptr_)(xs); }
  Tensor operator()(const Tensors& xs, bool training = false) const {
    return (*this->ptr_)(xs, training).at(0);
  }
  KerasTensor operator()(const KerasTensor&) const = delete;  // a merge layer takes a list
  Tensor operator()(const Tensor&, bool = false) const = delete;
};

class Add : public MergeHolder<AddImpl> {
 public:
  explicit Add(const std::string& name = "");
  Add(std::shared_ptr<AddImpl> impl) : MergeHolder<AddImpl>(std::move(impl)) {}  // NOLINT
};

class Subtract : public MergeHolder<SubtractImpl> {
 public:
  explicit Subtract(const std::string& name = "");
  Subtract(std::shared_ptr<SubtractImpl> impl) : MergeHolder<SubtractImpl>(std::move(impl)) {}  // NOLINT
};

class Multiply : public MergeHolder<MultiplyImpl> {
 public:
  explicit Multiply(const std::string& name = "");
  Multiply(std::shared_ptr<MultiplyImpl> impl) : MergeHolder<MultiplyImpl>(std::move(impl)) {}  // NOLINT
};

class Average : public MergeHolder<AverageImpl> {
 public:
  explicit Average(const std::string& name = "");
  Average(std::shared_ptr<AverageImpl> impl) : MergeHolder<AverageImpl>(std::move(impl)) {}  // NOLINT
};

class Concatenate : public MergeHolder<ConcatenateImpl> {
 public:
  explicit Concatenate(int axis = -1, const std::string& name = "");
  Concatenate(std::shared_ptr<ConcatenateImpl> impl) : MergeHolder<ConcatenateImpl>(std::move(impl)) {}  // NOLINT
};

class Maximum : public MergeHolder<MaximumImpl> {
 public:
  explicit Maximum(const std::string& name = "");
  Maximum(std::shared_ptr<MaximumImpl> impl) : MergeHolder<MaximumImpl>(std::move(impl)) {}  // NOLINT
};

class Minimum : public MergeHolder<MinimumImpl> {
 public:
  explicit Minimum(const std::string& name = "");
  Minimum(std::shared_ptr<MinimumImpl> impl) : MergeHolder<MinimumImpl>(std::move(impl)) {}  // NOLINT
};

/// `layers::Dot(1)`, `layers::Dot({1, 2})`, `layers::Dot(-1, true)` (cosine similarity).
class Dot : public MergeHolder<DotImpl> {
 public:
  explicit Dot(DotAxes axes, bool normalize = false, const std::string& name = "");
  explicit Dot(int axes, bool normalize = false, const std::string& name = "")  // also `Dot(0)`: not a null pointer
      : Dot(DotAxes(axes), normalize, name) {}
  /// `Dot({1, 2})`: a braced pair (ValueError unless it holds exactly two axes).
  Dot(std::initializer_list<int> axes, bool normalize = false, const std::string& name = "");
  Dot(std::shared_ptr<DotImpl> impl) : MergeHolder<DotImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
