// The Lambda functions every xkeras build knows by name (see the list in layers/lambda.hpp).
// Each reads its arguments strictly: an unknown key or a wrong type is a ValueError.
#include <cmath>
#include <set>

#include "xkeras/errors.hpp"
#include "xkeras/layers/lambda.hpp"
#include "xkeras/ops.hpp"

namespace xkeras::layers {

namespace {

/// Reads a Lambda function's arguments, naming the function in every error.
class Args {
 public:
  Args(const char* fn, const json& args, std::set<std::string> allowed) : fn_(fn), args_(args) {
    for (const auto& [key, value] : args.items())
      if (!allowed.count(key)) {
        std::string known;
        for (const auto& k : allowed) known += (known.empty() ? "" : ", ") + k;
        fail(key, "is not an argument of this function (its arguments: " + (known.empty() ? "none" : known) + ")");
      }
  }

  float number(const char* key, std::optional<float> def = std::nullopt) const {
    if (!args_.contains(key) || args_[key].is_null()) {
      if (!def) fail(key, "is required");
      return *def;
    }
    const json& v = args_[key];
    if (!v.is_number() || !std::isfinite(v.get<double>())) fail(key, "must be a number, got " + v.dump());
    return v.get<float>();
  }

  int axis(const char* key, int def) const {
    if (!args_.contains(key) || args_[key].is_null()) return def;
    return checked_axis(key, args_[key]);
  }

  /// An int or a list of ints; `def` when absent (an empty list means every axis).
  ops::Axes axes(const char* key, ops::Axes def) const {
    if (!args_.contains(key) || args_[key].is_null()) return def;
    const json& v = args_[key];
    if (!v.is_array()) return {checked_axis(key, v)};
    if (v.empty() || v.size() > 32) fail(key, "must be an integer or a non-empty list of integers, got " + v.dump());
    ops::Axes out;
    for (const auto& a : v) out.push_back(checked_axis(key, a));
    return out;
  }

 private:
  int checked_axis(const char* key, const json& v) const {
    if (!v.is_number_integer() || std::llabs(v.get<long long>()) > 64)
      fail(key, "must be an integer axis or a list of them, got " + v.dump());
    return v.get<int>();
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw ValueError("argument \"" + key + "\" of Lambda function \"" + fn_ + "\" " + what);
  }

  const char* fn_;
  const json& args_;
};

// TF/tf.keras semantics (K.l2_normalize, tf.math.l2_normalize): the squared sum is clamped at epsilon.
Tensor l2_normalize(const Tensor& x, const json& a) {
  Args args("l2_normalize", a, {"axis", "epsilon"});
  return ops::l2_normalize(x, args.axes("axis", {-1}), args.number("epsilon", 1e-12f));
}

Tensor scale(const Tensor& x, const json& a) { return ops::scale(x, Args("scale", a, {"factor"}).number("factor")); }

Tensor softmax(const Tensor& x, const json& a) { return ops::softmax(x, Args("softmax", a, {"axis"}).axis("axis", -1)); }

// Seed 003: (x - min(x, axes, keepdims)) / max(x, axes, keepdims). The divisor is the max of the
// ORIGINAL input, exactly as the question's answer code (tf.reduce_max(inp)); it is not a range.
Tensor min_max_normalize(const Tensor& x, const json& a) {
  const ops::Axes axes = Args("min_max_normalize", a, {"axes"}).axes("axes", {});
  return ops::div(ops::sub(x, ops::min(x, axes, true)), ops::max(x, axes, true));
}

// Seed 002 (Keras's antirectifier example): centre each sample, L2-normalize it, then keep the
// positive and the negative parts side by side, doubling axis 1.
Tensor antirectifier(const Tensor& x, const json& a) {
  Args("antirectifier", a, {});
  if (x.ndim() < 2) throw ValueError("antirectifier needs inputs of rank >= 2, got shape " + shape_str(x.shape()));
  const Tensor centred = ops::sub(x, ops::mean(x, {1}, true));
  const Tensor n = ops::l2_normalize(centred, {1});
  return ops::concatenate({ops::relu(n), ops::relu(ops::neg(n))}, 1);
}

Tensor square(const Tensor& x, const json& a) {
  Args("square", a, {});
  return ops::square(x);
}

const bool registered = [] {
  register_lambda("l2_normalize", UnaryLambdaFunction(l2_normalize));
  register_lambda("scale", UnaryLambdaFunction(scale));
  register_lambda("softmax", UnaryLambdaFunction(softmax));
  register_lambda("min_max_normalize", UnaryLambdaFunction(min_max_normalize));
  register_lambda("antirectifier", UnaryLambdaFunction(antirectifier));
  register_lambda("square", UnaryLambdaFunction(square));
  return true;
}();

}  // namespace

}  // namespace xkeras::layers
