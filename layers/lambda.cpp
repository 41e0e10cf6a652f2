#include "xkeras/layers/lambda.hpp"

#include <map>
#include <mutex>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

// ---- the function registry -------------------------------------------------------------------

namespace {

std::mutex lambda_mutex;
std::map<std::string, LambdaFunction>& lambda_table() {
  static std::map<std::string, LambdaFunction> table;
  return table;
}

std::string registered_list() {
  std::string s;
  for (const auto& n : registered_lambdas()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

const char* kHowToRegister =
    "Register the function under a name with xkeras::layers::register_lambda(\"my_fn\", fn), where fn is "
    "Tensor(const Tensor& x, const json& arguments) or Tensors(const Tensors& xs, const json& arguments) "
    "composed of xkeras::ops, and build the layer as xkeras::layers::Lambda(\"my_fn\", arguments)";

}  // namespace

bool register_lambda(const std::string& name, LambdaFunction fn) {
  if (name.empty() || !fn) throw ValueError("register_lambda: expected a non-empty name and a function");
  std::lock_guard<std::mutex> lock(lambda_mutex);
  lambda_table()[name] = std::move(fn);
  return true;
}

bool register_lambda(const std::string& name, UnaryLambdaFunction fn) {
  if (!fn) throw ValueError("register_lambda: expected a function for \"" + name + "\"");
  return register_lambda(name, LambdaFunction([name, fn](const Tensors& xs, const json& args) -> Tensors {
    if (xs.size() != 1)
      throw ValueError("function \"" + name + "\" takes one input, but it received " + std::to_string(xs.size()));
    return {fn(xs[0], args)};
  }));
}

bool has_lambda(const std::string& name) {
  std::lock_guard<std::mutex> lock(lambda_mutex);
  return lambda_table().count(name) > 0;
}

std::vector<std::string> registered_lambdas() {
  std::lock_guard<std::mutex> lock(lambda_mutex);
  std::vector<std::string> out;
  for (const auto& [k, v] : lambda_table()) out.push_back(k);
  return out;
}

LambdaFunction get_lambda(const std::string& name) {
  {
    std::lock_guard<std::mutex> lock(lambda_mutex);
    auto it = lambda_table().find(name);
    if (it != lambda_table().end()) return it->second;
  }
  throw ValueError("Unknown Lambda function \"" + name + "\". Registered functions: " + registered_list() + ". " +
                   kHowToRegister + ".");
}

// ---- the layer -------------------------------------------------------------------------------

namespace {

json checked_arguments(const json& arguments, const std::string& layer_name) {
  if (arguments.is_null()) return json::object();
  if (!arguments.is_object())
    throw ValueError("Layer \"" + layer_name + "\" (Lambda): `arguments` must be a JSON object, got " + arguments.dump());
  return arguments;
}

}  // namespace

LambdaImpl::LambdaImpl(const std::string& function, json arguments, LambdaOptions options)
    : Layer("Lambda", options.name), function_name_(function), arguments_(checked_arguments(arguments, name())),
      fn_(get_lambda(function)), output_shape_(std::move(options.output_shape)) {}

LambdaImpl::LambdaImpl(std::function<Tensors(const Tensors&)> closure, LambdaOptions options)
    : Layer("Lambda", options.name), arguments_(json::object()), output_shape_(std::move(options.output_shape)) {
  if (!closure) throw ValueError("Layer \"" + name() + "\" (Lambda): the function is empty");
  fn_ = [closure](const Tensors& xs, const json&) { return closure(xs); };
}

Tensors LambdaImpl::call_list(const Tensors& xs, bool) {
  const std::string who = "Layer \"" + name() + "\" (Lambda" +
                          (function_name_.empty() ? std::string(")") : ", function \"" + function_name_ + "\")");
  Tensors outs;
  try {
    outs = fn_(xs, arguments_);
  } catch (const ValueError& e) {
    throw ValueError(who + ": " + e.what());
  }
  if (outs.empty()) throw ValueError(who + ": the function returned no tensor");
  for (const auto& t : outs)
    if (!t.defined()) throw ValueError(who + ": the function returned an undefined tensor");
  return outs;
}

std::vector<TensorShape> LambdaImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  // Always trace: it infers the shape and rejects outputs that do not depend on the inputs.
  std::vector<TensorShape> traced = Layer::compute_output_shape(input_shapes);
  if (!output_shape_) return traced;
  if (traced.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (Lambda): `output_shape` describes one output, but the function returned " +
                     std::to_string(traced.size()));
  // Keras: a tuple output_shape excludes the batch dimension, which comes from the first input.
  TensorShape declared{input_shapes.empty() || input_shapes[0].empty() ? None : input_shapes[0][0]};
  declared.insert(declared.end(), output_shape_->begin(), output_shape_->end());
  const TensorShape& got = traced[0];
  bool ok = got.size() == declared.size();
  for (std::size_t d = 1; ok && d < got.size(); ++d) ok = got[d] < 0 || declared[d] < 0 || got[d] == declared[d];
  if (!ok)
    throw ValueError("Layer \"" + name() + "\" (Lambda): the declared output_shape " + shape_str(*output_shape_) +
                     " (batch excluded) does not match the function's output shape " + shape_str(got));
  return {declared};
}

json LambdaImpl::get_config() const {
  if (function_name_.empty())
    throw ValueError("Layer \"" + name() + "\" (Lambda) wraps an unnamed C++ closure, which cannot be saved. " +
                     kHowToRegister + "; loading then finds the function by that name.");
  json c = base_config();
  c["function"] = json{{"module", "builtins"}, {"class_name", "function"}, {"config", function_name_},
                       {"registered_name", "function"}};
  if (output_shape_) c["output_shape"] = shape_to_json(*output_shape_);
  c["arguments"] = arguments_;
  return c;
}

namespace {

[[noreturn]] void refuse_python_code(const std::string& path) {
  throw ConfigError(path,
                    "this Lambda layer holds a serialized Python lambda (marshalled bytecode). xkeras will never decode "
                    "or execute it: running code from a model file allows arbitrary code execution (Keras refuses it "
                    "too in safe mode), and the bytecode is CPython-specific anyway. Rewrite the function in C++ with "
                    "xkeras::ops, register it with xkeras::layers::register_lambda(\"my_fn\", fn), and in the model "
                    "file replace this value by the name \"my_fn\" (its parameters go in \"arguments\")");
}

// The function's registered name from any layout Keras writes; refuses Python bytecode.
std::string function_name_from(const ConfigReader& r) {
  const json& f = r.raw("function");
  const std::string type = r.get_string("function_type", "");  // tf.keras 2.x only
  if (type == "lambda") refuse_python_code(r.path("function"));
  if (type == "function") {
    if (!f.is_string()) r.fail("function", "function_type \"function\" needs the function's name as a string");
    return f.get<std::string>();
  }
  if (!type.empty()) r.fail("function_type", "expected \"function\" or \"lambda\", got \"" + type + "\"");
  if (f.is_string()) return f.get<std::string>();
  if (f.is_array()) refuse_python_code(r.path("function"));  // tf.keras [code, defaults, closure]
  if (f.is_object()) {
    if (f.contains("class_name") && f["class_name"] == "__lambda__") refuse_python_code(r.path("function"));
    if (f.contains("config") && f["config"].is_string()) return f["config"].get<std::string>();
  }
  r.fail("function", "expected a registered function name, got " + f.dump().substr(0, 80));
}

}  // namespace

std::shared_ptr<LambdaImpl> LambdaImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const std::string fn = function_name_from(r);
  if (!has_lambda(fn))
    r.fail("function", "unknown Lambda function \"" + fn + "\". Registered functions: " + registered_list() + ". " +
                           kHowToRegister + " before loading the model");
  if (r.has("mask")) r.fail("mask", "Lambda masks are not supported");
  LambdaOptions options;
  options.name = r.name();
  if (r.get_string("output_shape_type", "raw") == "lambda") refuse_python_code(r.path("output_shape"));
  if (r.has("output_shape")) {
    const json& s = r.raw("output_shape");
    if (s.is_object() && s.contains("class_name") && s["class_name"] == "__lambda__")
      refuse_python_code(r.path("output_shape"));
    // A named Python function for output_shape cannot run here; the shape is inferred by tracing instead.
    if (s.is_array()) options.output_shape = r.shape("output_shape");
  }
  json arguments = json::object();
  if (r.has("arguments")) {
    arguments = r.raw("arguments");
    if (!arguments.is_object()) r.fail("arguments", "expected an object, got " + arguments.dump().substr(0, 80));
  }
  auto layer = std::make_shared<LambdaImpl>(fn, arguments, options);
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(LambdaImpl, "Lambda");

Lambda::Lambda(const std::string& function, json arguments, LambdaOptions options)
    : Holder<LambdaImpl>(std::make_shared<LambdaImpl>(function, std::move(arguments), std::move(options))) {}

Lambda::Lambda(std::function<Tensor(const Tensor&)> closure, LambdaOptions options)
    : Holder<LambdaImpl>(nullptr) {
  if (!closure) throw ValueError("Lambda: the function is empty");
  ptr_ = std::make_shared<LambdaImpl>(
      [closure](const Tensors& xs) -> Tensors {
        if (xs.size() != 1)
          throw ValueError("the function takes one input, but it received " + std::to_string(xs.size()));
        return {closure(xs[0])};
      },
      std::move(options));
}

Lambda::Lambda(std::function<Tensors(const Tensors&)> closure, LambdaOptions options)
    : Holder<LambdaImpl>(std::make_shared<LambdaImpl>(std::move(closure), std::move(options))) {}

}  // namespace xkeras::layers
