// Layer: the base class of every layer and model (subclass it for a custom layer), the
// symbolic KerasTensor/Node graph vocabulary, Variable, and the cheap Holder handle.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "xkeras/json.hpp"

#include "xkeras/initializers.hpp"
#include "xkeras/regularizers.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras {

class Layer;
struct Node;
using LayerPtr = std::shared_ptr<Layer>;

/// A layer weight. `value` requires grad when the weight is trainable.
struct Variable {
  std::string name;  // Keras weight name: "kernel", "bias", "gamma", "moving_mean", ...
  Tensor value;
  bool trainable = true;
  Regularizer regularizer;
  Constraint constraint;
  Layer* owner = nullptr;

  const Shape shape() const { return value.shape(); }
  /// "dense/kernel"
  std::string path() const;
};
using VariablePtr = std::shared_ptr<Variable>;

/// A symbolic tensor: output `index` of one call (`node`) of a layer while a graph is built.
class KerasTensor {
 public:
  KerasTensor() = default;
  KerasTensor(std::shared_ptr<Node> node, int index) : node_(std::move(node)), index_(index) {}

  bool defined() const { return node_ != nullptr; }
  const TensorShape& shape() const;
  DType dtype() const;
  const std::shared_ptr<Node>& node() const { return node_; }
  int index() const { return index_; }
  Layer& layer() const;

  friend bool operator==(const KerasTensor& a, const KerasTensor& b) {
    return a.node_ == b.node_ && a.index_ == b.index_;
  }

 private:
  friend struct Node;  // frees chains of nodes iteratively
  std::shared_ptr<Node> node_;
  int index_ = 0;
};
using KerasTensors = std::vector<KerasTensor>;

/// The keyword arguments of one call, as Keras records them in a node's "kwargs": tensors by name
/// ("initial_state" -> {h0, c0}, "attention_mask" -> {m}) and plain values ({"use_causal_mask": true}).
template <class T>
struct CallKwargsT {
  std::vector<std::pair<std::string, std::vector<T>>> tensors;
  json options = json::object();

  bool empty() const { return tensors.empty() && options.empty(); }
  /// The tensors given for `name`, or null.
  const std::vector<T>* find(const std::string& name) const {
    for (const auto& [k, v] : tensors)
      if (k == name) return &v;
    return nullptr;
  }
};
using CallKwargs = CallKwargsT<Tensor>;
using SymbolicKwargs = CallKwargsT<KerasTensor>;
using ShapeKwargs = CallKwargsT<TensorShape>;

/// Everything one eager call passes to Layer::call_args besides the positional inputs.
struct CallArgs {
  Tensors masks;      // masks[i]: the Keras mask of positional input i (undefined when it has none)
  CallKwargs kwargs;  // keyword tensors and values of this call
  bool training = false;
};

/// One call of a layer on symbolic inputs (Keras's "node"). A node owns the nodes of its inputs.
struct Node {
  Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  /// Frees the chain of input nodes with a loop: a graph of 150 000 calls would otherwise free
  /// itself recursively, one stack frame per call, and overflow the stack.
  ~Node();

  LayerPtr layer;
  KerasTensors inputs;           // empty for an InputLayer's node
  bool list_call = false;        // called with a list (merge layers): serialized as args [[...]]
  std::vector<TensorShape> output_shapes;
  std::vector<DType> output_dtypes;  // one per output
  /// Keyword arguments of the call: names and counts of the keyword tensors, which follow the
  /// positional ones in `inputs`, and the plain values.
  std::vector<std::pair<std::string, std::size_t>> kwarg_tensors;
  json kwarg_options = json::object();
  std::size_t positional = 0;    // inputs[0, positional) are positional
  int index = 0;                 // position among the layer's nodes
};

/// What a layer requires of each input (Keras's InputSpec); checked on every call.
struct InputSpec {
  std::optional<int> ndim;
  std::optional<int> min_ndim;
  std::map<int, Dim> axes;  // axis (negative counts from the end) -> required size
};

class Layer : public std::enable_shared_from_this<Layer> {
 public:
  /// `class_name` is Keras's ("Dense"); the auto-name is its snake_case form with a counter.
  explicit Layer(std::string class_name, std::string name = "");
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  // ---- what a subclass overrides -------------------------------------------------------
  /// Creates the weights for an input shape (batch dimension included, usually None).
  virtual void build(const TensorShape& input_shape) {}
  /// Several inputs: the default requires exactly one and calls build().
  virtual void build_list(const std::vector<TensorShape>& input_shapes);
  /// The forward computation, composed of xkeras::ops so that it differentiates on the tape.
  virtual Tensor call(const Tensor& x, bool training);
  /// Several inputs/outputs: the default requires exactly one input and calls call().
  virtual Tensors call_list(const Tensors& xs, bool training);
  /// Output shapes for input shapes. The default traces call_list on a small dummy batch,
  /// which also checks that every output is connected to an input.
  virtual std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes);
  /// Output shapes of a call with keyword arguments; the default uses compute_output_shape when there
  /// are none and traces call_args on a dummy batch otherwise.
  virtual std::vector<TensorShape> compute_output_shape_args(const std::vector<TensorShape>& input_shapes,
                                                             const ShapeKwargs& kwargs);
  /// Output dtypes for input dtypes (one per output); the default is float32 for every output.
  virtual std::vector<DType> compute_output_dtype(const std::vector<DType>& input_dtypes, std::size_t outputs);
  /// False (the default): int32 inputs are cast to float32 before call (Keras layers compute in
  /// float). True for layers that read integers: Embedding, InputLayer.
  virtual bool accepts_int_inputs() const { return false; }

  // ---- masks and keyword arguments (Keras's mask=, initial_state=, attention_mask=, ...) --------
  /// The full call: positional inputs, their masks, the keyword arguments, training. The default
  /// ignores the masks, refuses keyword tensors, and calls call_list.
  virtual Tensors call_args(const Tensors& xs, const CallArgs& args);
  /// Keras's supports_masking: when true, each call's outputs get compute_mask's masks; when false
  /// they get none (Keras 3 drops the mask there).
  virtual bool supports_masking() const { return false; }
  /// The masks of the outputs (one per output; undefined = none). Default: the first input's mask.
  virtual Tensors compute_mask(const Tensors& xs, const Tensors& masks);
  /// Names of call()'s positional tensor parameters, in order (MultiHeadAttention: query, value, key).
  /// A keyword tensor named like the next positional parameter is passed positionally, so the
  /// tf.keras ({"value": t} kwargs) and Keras 3 (positional) spellings of a call agree.
  virtual std::vector<std::string> call_arg_names() const { return {}; }
  /// Keras's get_config: base keys (name, trainable, dtype) then the layer's own.
  virtual json get_config() const;
  /// Merge layers take a list even for Keras's JSON ("args": [[...]]).
  virtual bool takes_list() const { return false; }
  /// Keras 3 "module" in the JSON: "keras.layers" for Keras's own classes; for a user's class, the
  /// package of registered_name() ("Custom" by default), as Keras writes a user's module, not keras.layers.
  virtual std::string module() const;
  /// Null for Keras's own classes; for a user's class "package>ClassName", by default "Custom>ClassName"
  /// (the package Keras's register_keras_serializable uses when none is given).
  virtual json registered_name() const;
  /// {"input_shape": ...} once built from a call, or null for layers built at construction.
  virtual json build_config() const;
  /// Sub-layers whose weights this layer owns (models); the default has none.
  virtual std::vector<LayerPtr> sublayers() const { return {}; }

  // ---- identity --------------------------------------------------------------------------
  const std::string& name() const { return name_; }
  void set_name(const std::string& n) { name_ = n; }
  const std::string& class_name() const { return class_name_; }
  bool trainable() const { return trainable_; }
  /// Also sets every sub-layer, as Keras does (a frozen model freezes its BatchNormalization).
  virtual void set_trainable(bool t);
  bool built() const { return built_.load(std::memory_order_acquire); }
  const std::optional<InputSpec>& input_spec() const { return input_spec_; }

  // ---- weights: trainable first, then non-trainable, each in creation order ---------------
  VariablePtr add_weight(const std::string& name, const Shape& shape, const Initializer& init,
                         bool trainable = true, Regularizer regularizer = {}, Constraint constraint = {});
  std::vector<VariablePtr> weights() const;
  std::vector<VariablePtr> trainable_weights() const;
  std::vector<VariablePtr> non_trainable_weights() const;
  std::vector<Array> get_weights() const;
  void set_weights(const std::vector<Array>& values);
  std::size_t count_params() const;
  /// This layer's own variables (not its sub-layers'), in creation order.
  const std::vector<VariablePtr>& own_variables() const { return variables_; }
  /// Sum of every weight regularizer's penalty of this layer and its sub-layers (on the tape).
  std::vector<Tensor> regularization_losses() const;

  // ---- calling ---------------------------------------------------------------------------
  /// Eager call on concrete tensors (records on the tape unless inside NoGrad).
  Tensor operator()(const Tensor& x, bool training = false);
  Tensors operator()(const Tensors& xs, bool training = false);
  /// Eager call with keyword arguments (masks come from the inputs' keras_mask()).
  Tensors operator()(const Tensors& xs, const CallKwargs& kwargs, bool training = false);
  /// Symbolic call while building a functional graph.
  KerasTensor operator()(const KerasTensor& x);
  KerasTensor operator()(const KerasTensors& xs);
  /// General symbolic call (several outputs); `list_call` says the inputs came as a list.
  KerasTensors apply(const KerasTensors& xs, bool list_call, const SymbolicKwargs& kwargs = {});

  /// The forward/backward pair: forward keeps its input, backward returns dL/dinput for a given
  /// dL/doutput and leaves dL/dweight in each trainable weight's grad.
  Tensor forward(const Tensor& x, bool training = false);
  Tensor backward(const Array& grad_output);

  /// Nodes created by symbolic calls of this layer, in call order.
  std::vector<std::shared_ptr<Node>> inbound_nodes() const;

  /// Keras-style error for an input that does not satisfy the layer: names layer, expectation, shape.
  [[noreturn]] void incompatible(int input_index, const std::string& expected, const TensorShape& got) const;

 protected:
  /// {name, trainable, dtype}: what every config starts with.
  json base_config() const;
  void set_input_spec(InputSpec spec) { input_spec_ = std::move(spec); }
  /// Builds (once, under the layer's build lock, so that threads calling an unbuilt layer at the
  /// same time build it once) and checks the input specs; shared by the eager and symbolic paths.
  void maybe_build(const std::vector<TensorShape>& shapes, const std::vector<DType>& dtypes = {});
  /// Builds for these input shapes and dtypes; the default ignores the dtypes and calls build_list
  /// (a Sequential without an Input uses them for the InputLayer it makes).
  virtual void build_for(const std::vector<TensorShape>& shapes, const std::vector<DType>& dtypes) {
    (void)dtypes;
    build_list(shapes);
  }
  void mark_built() { built_.store(true, std::memory_order_release); }
  /// Held while the layer builds; a subclass that builds lazily elsewhere (Sequential) takes it too.
  std::recursive_mutex& build_mutex() const { return build_mutex_; }

  std::optional<std::vector<TensorShape>> build_shapes_;  // recorded for build_config()

 private:
  std::vector<TensorShape> trace_output_shapes(const std::vector<TensorShape>& input_shapes, const ShapeKwargs& kwargs);
  Tensors call_resolved(Tensors xs, CallKwargs kwargs, bool training);

  std::string class_name_;
  std::string name_;
  bool trainable_ = true;
  std::atomic<bool> built_{false};
  mutable std::recursive_mutex build_mutex_;
  std::optional<InputSpec> input_spec_;
  std::vector<VariablePtr> variables_;
  std::vector<std::weak_ptr<Node>> nodes_;
  Tensor fwd_input_, fwd_output_;
};

/// "Dense" -> "dense", then "dense_1", "dense_2", ... (one counter per prefix, like Keras).
std::string unique_name(const std::string& prefix);
std::string snake_case(const std::string& class_name);
/// Resets the auto-name counters (tests that compare names; Keras's clear_session()).
void clear_session();

/// A cheap handle onto a layer: copies share the layer (and so its weights).
template <class Impl>
class Holder {
 public:
  using element_type = Impl;
  Holder(std::shared_ptr<Impl> p) : ptr_(std::move(p)) {}  // NOLINT: implicit by design

  Impl* operator->() const { return ptr_.get(); }
  Impl& operator*() const { return *ptr_; }
  Impl* get() const { return ptr_.get(); }
  const std::shared_ptr<Impl>& ptr() const { return ptr_; }
  operator LayerPtr() const { return ptr_; }  // NOLINT

  KerasTensor operator()(const KerasTensor& x) const { return (*ptr_)(x); }
  KerasTensor operator()(const KerasTensors& xs) const { return (*ptr_)(xs); }
  Tensor operator()(const Tensor& x, bool training = false) const { return (*ptr_)(x, training); }
  Tensors operator()(const Tensors& xs, bool training = false) const { return (*ptr_)(xs, training); }
  /// Calls with keyword arguments: `lstm.call({x}, {{{"initial_state", {h, c}}}})`.
  Tensors call(const Tensors& xs, const CallKwargs& kw, bool training = false) const { return (*ptr_)(xs, kw, training); }
  KerasTensors apply(const KerasTensors& xs, const SymbolicKwargs& kw = {}) const { return ptr_->apply(xs, false, kw); }

 protected:
  std::shared_ptr<Impl> ptr_;
};

using LayerHandle = Holder<Layer>;

/// Makes a layer of a user's class: `auto l = make_layer<MyLayer>(args...)`.
template <class T, class... Args>
Holder<T> make_layer(Args&&... args) {
  return Holder<T>(std::make_shared<T>(std::forward<Args>(args)...));
}

}  // namespace xkeras
