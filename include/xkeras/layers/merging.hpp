// Merge layers, called on a LIST of tensors: Add, Subtract, Multiply, Average, Concatenate.
//
//   auto y = layers::Add()({a, b});                 // symbolic (KerasTensors) or eager (Tensors)
//   auto z = layers::Concatenate(1)({a, b, c});
//
// Keras's shape rule (base_merge.py): all batch sizes must agree; when the ranks differ,
// size-1 axes are inserted at axis 1 of the lower-rank inputs until the ranks match, and then
// the non-batch axes broadcast like NumPy. So (None, 3) + (None, 5, 3) -> (None, 5, 3).
#pragma once

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

 protected:
  Tensor merge_function(const Tensors& xs) const override;
  TensorShape merged_shape(const std::vector<TensorShape>& shapes) const override;
  bool expands_ranks() const override { return false; }

 private:
  int axis_;
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

}  // namespace xkeras::layers
