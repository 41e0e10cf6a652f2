// Lambda: a layer that applies a function composed of xkeras::ops. Its gradient comes from the
// tape, so any such function trains exactly.
//
// Saving: Keras pickles a Python function's bytecode, and loading that runs code. xkeras instead
// resolves the function BY NAME in a registry, with a JSON object of arguments:
//
//   layers::Lambda("l2_normalize", {{"axis", 1}})               // saves and loads
//   layers::Lambda("scale", {{"factor", 0.8}})
//
//   // your own function: register it once (e.g. at the start of main, or in a static initializer)
//   xkeras::layers::register_lambda("shift", [](const Tensor& x, const json& args) {
//     return ops::add_scalar(x, args.value("by", 1.0f));
//   });
//   layers::Lambda("shift", {{"by", 2.0}})
//
//   layers::Lambda([](const Tensor& x) { return ops::scale(x, 2.0f); })  // unnamed closure: trains
//                                                                       // fine, but cannot be saved
//
// Built-in functions (arguments in brackets, with defaults):
//   l2_normalize  [axis: int or list = -1, epsilon = 1e-12]  TF/tf.keras semantics: x * rsqrt(max(sum(x^2), epsilon))
//   scale         [factor (required)]                        x * factor
//   softmax       [axis = -1]
//   min_max_normalize [axes: int or list = all axes]         (x - min(x, axes, keepdims)) / max(x, axes, keepdims)
//                 (divides by the max of the ORIGINAL input, as the answer code of the user's question does)
//   antirectifier [-]                                         x -= mean(x, axis=1); x = l2_normalize(x, axis=1);
//                                                             concatenate([relu(x), relu(-x)], axis=1)
//   square        [-]                                         x * x
// Unknown argument names are errors, so a typo never silently falls back to a default.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// A function of several inputs to several outputs; `arguments` is the layer's JSON object.
using LambdaFunction = std::function<Tensors(const Tensors& inputs, const json& arguments)>;
/// A function of one input to one output.
using UnaryLambdaFunction = std::function<Tensor(const Tensor& input, const json& arguments)>;

/// Registers (or replaces) a named function. Returns true so it can initialize a static:
///   static const bool registered = xkeras::layers::register_lambda("my_fn", my_fn);
bool register_lambda(const std::string& name, LambdaFunction fn);
bool register_lambda(const std::string& name, UnaryLambdaFunction fn);
bool has_lambda(const std::string& name);
std::vector<std::string> registered_lambdas();
/// The registered function; ValueError listing every registered name when unknown.
LambdaFunction get_lambda(const std::string& name);

struct LambdaOptions {
  /// The output shape WITHOUT the batch dimension, as Keras's tuple `output_shape` (None allowed).
  /// Without it the shape is inferred by tracing the function.
  XKERAS_OPTION(std::optional<TensorShape>, output_shape)
  XKERAS_OPTION(std::string, name)  ///< empty: auto-name "lambda", "lambda_1", ...
};

class LambdaImpl : public Layer {
 public:
  /// A registered function by name (ValueError when unknown); `arguments` must be a JSON object.
  LambdaImpl(const std::string& function, json arguments, LambdaOptions options = {});
  /// An unnamed C++ closure: trains, but get_config() (and so saving) throws.
  LambdaImpl(std::function<Tensors(const Tensors&)> closure, LambdaOptions options = {});

  /// Any number of inputs; no weights.
  void build_list(const std::vector<TensorShape>&) override {}
  Tensors call_list(const Tensors& xs, bool training) override;
  /// Traces the function (which also rejects an output not connected to the input); with
  /// `output_shape` the traced shape must agree with it, and the declared shape is returned.
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 layout: name, trainable, dtype, function, [output_shape], arguments, with
  /// function = {"module": "builtins", "class_name": "function", "config": the function's name, "registered_name": "function"}.
  /// ValueError for an unnamed closure, explaining how to register it.
  json get_config() const override;

  /// Reads the Keras 3 layout and tf.keras's (function_type "function"). A serialized Python
  /// lambda (Keras 3 "__lambda__", tf.keras function_type "lambda") is refused with ConfigError:
  /// its bytecode is never decoded or executed.
  static std::shared_ptr<LambdaImpl> from_config(const json& config, const std::string& path);

  /// The registered name, or "" for a closure.
  const std::string& function_name() const { return function_name_; }
  const json& arguments() const { return arguments_; }
  const std::optional<TensorShape>& output_shape() const { return output_shape_; }

 private:
  std::string function_name_;
  json arguments_;
  LambdaFunction fn_;
  std::optional<TensorShape> output_shape_;
};

/// `layers::Lambda("l2_normalize", {{"axis", 1}})` or `layers::Lambda([](const Tensor& x) { ... })`.
class Lambda : public Holder<LambdaImpl> {
 public:
  explicit Lambda(const std::string& function, json arguments = json::object(), LambdaOptions options = {});
  explicit Lambda(std::function<Tensor(const Tensor&)> closure, LambdaOptions options = {});
  explicit Lambda(std::function<Tensors(const Tensors&)> closure, LambdaOptions options = {});
  Lambda(std::shared_ptr<LambdaImpl> impl) : Holder<LambdaImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
