#include "xkeras/layers/batch_normalization.hpp"

#include <cmath>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops/normalization.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

BatchNormalizationImpl::BatchNormalizationImpl(BatchNormalizationOptions options)
    : Layer("BatchNormalization", options.name), options_(std::move(options)) {
  if (!std::isfinite(options_.momentum))
    throw ValueError("Layer \"" + name() + "\" (BatchNormalization): expected a finite momentum, got " +
                     std::to_string(options_.momentum));
  if (!std::isfinite(options_.epsilon) || options_.epsilon < 0)
    throw ValueError("Layer \"" + name() + "\" (BatchNormalization): expected a non-negative epsilon, got " +
                     std::to_string(options_.epsilon));
}

void BatchNormalizationImpl::build(const TensorShape& input_shape) {
  const int rank = static_cast<int>(input_shape.size());
  const int a = options_.axis < 0 ? options_.axis + rank : options_.axis;
  if (a < 0 || a >= rank)
    throw ValueError("Layer \"" + name() + "\" (BatchNormalization): axis " + std::to_string(options_.axis) +
                     " is out of bounds for an input of shape " + shape_str(input_shape));
  const Dim channels = input_shape[static_cast<std::size_t>(a)];
  if (channels < 0)
    throw ValueError("Layer \"" + name() + "\" (BatchNormalization): axis " + std::to_string(options_.axis) +
                     " of the input must have a known size, got input shape " + shape_str(input_shape));
  const Shape shape{static_cast<std::size_t>(channels)};
  const auto& o = options_;
  if (o.scale) gamma_ = add_weight("gamma", shape, o.gamma_initializer, true, o.gamma_regularizer, o.gamma_constraint);
  if (o.center) beta_ = add_weight("beta", shape, o.beta_initializer, true, o.beta_regularizer, o.beta_constraint);
  moving_mean_ = add_weight("moving_mean", shape, o.moving_mean_initializer, false);
  moving_variance_ = add_weight("moving_variance", shape, o.moving_variance_initializer, false);
  // Keras: InputSpec(ndim=len(input_shape), axes={axis: C}).
  set_input_spec(InputSpec{.ndim = rank, .axes = {{o.axis, channels}}});
}

void BatchNormalizationImpl::update_moving(VariablePtr& moving, const Array& batch) {
  // Off the tape, in place: the moving statistics are state, not a differentiable result.
  float* m = moving->value.data();
  const float k = options_.momentum;
  for (std::size_t c = 0, n = batch.size(); c < n; ++c) m[c] = m[c] * k + batch.data()[c] * (1.0f - k);
}

Tensor BatchNormalizationImpl::call(const Tensor& x, bool training) {
  const Tensor gamma = gamma_ ? gamma_->value : Tensor();
  const Tensor beta = beta_ ? beta_->value : Tensor();
  // A frozen BatchNormalization (trainable = false) always runs in inference mode, as in Keras.
  if (training && trainable()) {
    Array mean, var;
    Tensor y = ops::batch_norm_train(x, gamma, beta, options_.axis, options_.epsilon, mean, var, options_.synchronized);
    update_moving(moving_mean_, mean);
    update_moving(moving_variance_, var);  // the biased batch variance, as Keras 3
    return y;
  }
  return ops::batch_norm_infer(x, gamma, beta, moving_mean_->value, moving_variance_->value, options_.axis,
                               options_.epsilon);
}

std::vector<TensorShape> BatchNormalizationImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (BatchNormalization) expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  return input_shapes;
}

json BatchNormalizationImpl::get_config() const {
  const auto& o = options_;
  json c = base_config();
  c["axis"] = o.axis;
  c["momentum"] = clean_float(o.momentum);
  c["epsilon"] = clean_float(o.epsilon);
  c["center"] = o.center;
  c["scale"] = o.scale;
  c["beta_initializer"] = o.beta_initializer.to_json();
  c["gamma_initializer"] = o.gamma_initializer.to_json();
  c["moving_mean_initializer"] = o.moving_mean_initializer.to_json();
  c["moving_variance_initializer"] = o.moving_variance_initializer.to_json();
  c["beta_regularizer"] = o.beta_regularizer.to_json();
  c["gamma_regularizer"] = o.gamma_regularizer.to_json();
  c["beta_constraint"] = o.beta_constraint.to_json();
  c["gamma_constraint"] = o.gamma_constraint.to_json();
  // Keras >= 3.14 also writes renorm, renorm_clipping, renorm_momentum; older Keras 3 releases
  // reject those keys, and their defaults are what a missing key means.
  c["synchronized"] = o.synchronized;
  return c;
}

std::shared_ptr<BatchNormalizationImpl> BatchNormalizationImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  BatchNormalizationOptions o;
  // Keras 3 writes an int; tf.keras writes the built axis as a list of one int ([3]).
  if (r.has("axis") && r.raw("axis").is_array()) {
    const auto axes = r.int_or_list("axis", {-1});
    if (axes.size() != 1)
      r.fail("axis", "BatchNormalization normalizes one channel axis; expected an integer or a list of one integer, got " +
                         r.raw("axis").dump());
    o.axis = axes[0];
  } else {
    o.axis = r.get_int("axis", -1);
  }
  o.momentum = r.get_float("momentum", 0.99f);
  o.epsilon = r.get_float("epsilon", 1e-3f);
  if (o.epsilon < 0) r.fail("epsilon", "expected a non-negative number, got " + r.raw("epsilon").dump());
  o.center = r.get_bool("center", true);
  o.scale = r.get_bool("scale", true);
  o.beta_initializer = r.initializer("beta_initializer", "zeros");
  o.gamma_initializer = r.initializer("gamma_initializer", "ones");
  o.moving_mean_initializer = r.initializer("moving_mean_initializer", "zeros");
  o.moving_variance_initializer = r.initializer("moving_variance_initializer", "ones");
  o.beta_regularizer = r.regularizer("beta_regularizer");
  o.gamma_regularizer = r.regularizer("gamma_regularizer");
  o.beta_constraint = r.constraint("beta_constraint");
  o.gamma_constraint = r.constraint("gamma_constraint");
  // Features Keras has but xkeras does not: refuse rather than load a different model.
  o.synchronized = r.get_bool("synchronized", false);
  if (r.get_bool("renorm", false)) r.fail("renorm", "batch renormalization (renorm=true) is not supported");
  if (r.has("virtual_batch_size")) r.fail("virtual_batch_size", "virtual batches (tf.keras) are not supported");
  if (r.has("adjustment")) r.fail("adjustment", "an adjustment function (tf.keras) is not supported");
  // `fused` (tf.keras) only picks a kernel; renorm_clipping/renorm_momentum only matter with renorm.
  o.name = r.name();
  auto layer = std::make_shared<BatchNormalizationImpl>(std::move(o));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(BatchNormalizationImpl, "BatchNormalization");
// TF 2.0-2.1 wrote these class names for the same layer (the TensorFlow.js converter renames them too).
static const bool xkeras_registered_layer_BatchNormalizationV1 = register_layer_class<BatchNormalizationImpl>("BatchNormalizationV1");
static const bool xkeras_registered_layer_BatchNormalizationV2 = register_layer_class<BatchNormalizationImpl>("BatchNormalizationV2");

BatchNormalization::BatchNormalization(BatchNormalizationOptions options)
    : Holder<BatchNormalizationImpl>(std::make_shared<BatchNormalizationImpl>(std::move(options))) {}
BatchNormalization::BatchNormalization(int axis, float momentum, float epsilon)
    : BatchNormalization(BatchNormalizationOptions{.axis = axis, .momentum = momentum, .epsilon = epsilon}) {}

}  // namespace xkeras::layers
