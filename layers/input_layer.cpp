#include "xkeras/layers/input_layer.hpp"

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

InputLayerImpl::InputLayerImpl(TensorShape batch_shape, std::string name, DType dtype)
    : Layer("InputLayer", std::move(name)), batch_shape_(std::move(batch_shape)), dtype_(dtype) {
  if (batch_shape_.empty()) throw ValueError("InputLayer \"" + this->name() + "\": the shape needs at least the batch dimension");
  for (std::size_t i = 1; i < batch_shape_.size(); ++i)
    if (batch_shape_[i] == 0)
      throw ValueError("InputLayer \"" + this->name() + "\": dimensions must be positive, got " + shape_str(batch_shape_));
  check_sample_shape(batch_shape_, "InputLayer \"" + this->name() + "\"");
  build_shapes_ = std::vector<TensorShape>{batch_shape_};
  mark_built();
}

KerasTensor InputLayerImpl::output() {
  auto node = node_.lock();
  if (!node) {
    node = std::make_shared<Node>();
    node->layer = shared_from_this();
    node->output_shapes = {batch_shape_};
    node->output_dtypes = {dtype_};
    node_ = node;
  }
  return KerasTensor(node, 0);
}

Tensor InputLayerImpl::call(const Tensor& x, bool) {
  const Shape s = x.shape();
  bool ok = s.size() == batch_shape_.size();
  for (std::size_t i = 0; ok && i < s.size(); ++i) ok = batch_shape_[i] < 0 || static_cast<Dim>(s[i]) == batch_shape_[i];
  if (!ok)
    throw ValueError("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected shape=" +
                     shape_str(batch_shape_) + ", found shape=" + shape_str(s));
  return ops::cast(x, dtype_);
}

json InputLayerImpl::get_config() const {
  // Keras 3: no trainable/dtype-policy keys, dtype a plain string.
  return json{{"batch_shape", shape_to_json(batch_shape_)}, {"dtype", dtype_name(dtype_)}, {"sparse", false},
              {"ragged", false}, {"name", name()}, {"optional", false}};
}

std::shared_ptr<InputLayerImpl> InputLayerImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  TensorShape shape;
  if (r.has("batch_shape")) shape = r.shape("batch_shape");
  else if (r.has("batch_input_shape")) shape = r.shape("batch_input_shape");  // tf.keras 2.x
  else r.fail("batch_shape", "missing: an InputLayer needs batch_shape (or tf.keras's batch_input_shape)");
  const char* shape_key = r.has("batch_shape") ? "batch_shape" : "batch_input_shape";
  if (shape.empty()) r.fail(shape_key, "expected at least the batch dimension, got []");
  for (std::size_t i = 1; i < shape.size(); ++i)
    if (shape[i] == 0) r.fail(shape_key, "expected positive dimensions (or null) after the batch, got " + shown(r.raw(shape_key)));
  if (r.get_bool("sparse", false)) r.fail("sparse", "sparse inputs are not supported");
  // A dtype name, or (older files) a DTypePolicy object {"config": {"name": ...}}.
  std::string dtype = "float32";
  if (r.has("dtype")) {
    const json& d = r.raw("dtype");
    if (d.is_string()) dtype = d.get<std::string>();
    else if (d.is_object() && d.contains("config") && d["config"].is_object() && d["config"].contains("name") &&
             d["config"]["name"].is_string())
      dtype = d["config"]["name"].get<std::string>();
    else r.fail("dtype", "expected a dtype name such as \"float32\", got " + shown(d));
  }
  if (dtype == "string")
    r.fail("dtype", "expected a numeric dtype such as float32, got \"string\": string inputs (for StringLookup or "
                    "TextVectorization) are not supported, as xkeras tensors hold numbers; map the strings to token ids "
                    "before the model and start it at the id input");
  DType type = DType::float32;
  try {
    type = dtype_from_name(dtype);
  } catch (const ValueError& e) {
    r.fail("dtype", e.what());
  }
  return std::make_shared<InputLayerImpl>(shape, r.name(), type);
}

XKERAS_REGISTER_LAYER_NAMED(InputLayerImpl, "InputLayer");

namespace {

// Input({8}, "int32") reads like Keras's Input(shape, dtype="int32") but passes a name: refuse it.
void refuse_dtype_as_name(const std::string& name) {
  for (const char* d : {"int32", "int64", "float32", "float64", "float16", "int8", "int16", "uint8", "bool", "string"})
    if (name == d)
      throw ValueError("Input: \"" + name + "\" was given as the layer's name; for the dtype write Input(shape, DType::" +
                       (name.rfind("int", 0) == 0 || name.rfind("uint", 0) == 0 ? "int32" : "float32") + ")");
}

}  // namespace

Input::Input(const TensorShape& shape, const std::string& name, std::optional<Dim> batch_size)
    : Holder<InputLayerImpl>(nullptr) {
  refuse_dtype_as_name(name);
  TensorShape b{batch_size ? *batch_size : None};
  b.insert(b.end(), shape.begin(), shape.end());
  ptr_ = std::make_shared<InputLayerImpl>(b, name);
}

Input::Input(const TensorShape& shape, DType dtype, const std::string& name, std::optional<Dim> batch_size)
    : Holder<InputLayerImpl>(nullptr) {
  refuse_dtype_as_name(name);
  TensorShape b{batch_size ? *batch_size : None};
  b.insert(b.end(), shape.begin(), shape.end());
  ptr_ = std::make_shared<InputLayerImpl>(b, name, dtype);
}

}  // namespace xkeras::layers

namespace xkeras {

KerasTensor Input(const TensorShape& shape, const std::string& name, std::optional<Dim> batch_size) {
  layers::Input layer(shape, name, batch_size);
  return layer->output();
}

KerasTensor Input(const TensorShape& shape, DType dtype, const std::string& name, std::optional<Dim> batch_size) {
  layers::Input layer(shape, dtype, name, batch_size);
  return layer->output();
}

}  // namespace xkeras
