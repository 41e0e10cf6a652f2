#include "xkeras/layers/reshape.hpp"

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {

std::string tuple_str(const std::vector<Dim>& v) {
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

constexpr Dim kMaxDim = Dim(1) << 40;  // guards the products below against overflow

}  // namespace

ReshapeImpl::ReshapeImpl(std::vector<Dim> target_shape, std::string name)
    : Layer("Reshape", std::move(name)), target_shape_(std::move(target_shape)) {
  // Keras's validate_reshape_shape messages; 0 is refused too (Keras accepts it for empty tensors)
  int unknown = 0;
  for (Dim d : target_shape_) {
    if (d == -1) ++unknown;
    else if (d < -1)
      throw ValueError("Layer \"" + this->name() + "\" (Reshape): Each dimension in `target_shape` must be a "
                       "non-negative integer, or `-1` for a single unknown dimension. Received: target_shape=" +
                       tuple_str(target_shape_) + ".");
    else if (d == 0 || d > kMaxDim)
      throw ValueError("Layer \"" + this->name() + "\" (Reshape): every entry of `target_shape` must be a positive "
                       "integer (at most 2^40) or -1. Received: target_shape=" + tuple_str(target_shape_));
  }
  if (unknown > 1)
    throw ValueError("Layer \"" + this->name() + "\" (Reshape): There must be at most one unknown dimension (-1) in "
                     "`target_shape` (only one `-1` can be inferred). Received: target_shape=" + tuple_str(target_shape_) + ".");
  mark_built();
}

namespace {
// Products of file-supplied dimensions must not overflow (undefined behaviour): saturate at kMaxDim.
Dim saturating_mul(Dim a, Dim b) {
  if (a == 0 || b == 0) return 0;
  return a > kMaxDim / b ? kMaxDim : std::min(a * b, kMaxDim);
}
}  // namespace

std::vector<Dim> ReshapeImpl::resolve(const TensorShape& input_shape) const {
  const TensorShape rest(input_shape.begin() + (input_shape.empty() ? 0 : 1), input_shape.end());
  Dim input_size = 1;
  for (Dim d : rest) {
    if (d < 0) {  // unknown input size: the -1 stays unknown
      std::vector<Dim> out = target_shape_;
      for (auto& o : out) o = o == -1 ? None : o;
      return out;
    }
    input_size = saturating_mul(input_size, d);
  }
  Dim known = 1;
  int unknown_index = -1;
  for (std::size_t i = 0; i < target_shape_.size(); ++i) {
    if (target_shape_[i] == -1) unknown_index = static_cast<int>(i);
    else known = saturating_mul(known, target_shape_[i]);
  }
  std::vector<Dim> out = target_shape_;
  if (unknown_index < 0) {
    if (known != input_size)
      throw ValueError("Layer \"" + name() + "\" (Reshape): The total size of the tensor must be unchanged. Received: "
                       "input_shape=" + shape_str(rest) + ", target_shape=" + tuple_str(target_shape_));
  } else {
    if (known == 0 || input_size % known != 0)
      throw ValueError("Layer \"" + name() + "\" (Reshape): The total size of the tensor must be unchanged, however, the "
                       "input size cannot be divided by the specified dimensions in target_shape. Received: input_shape=" +
                       shape_str(rest) + ", target_shape=" + tuple_str(target_shape_));
    out[static_cast<std::size_t>(unknown_index)] = input_size / known;
  }
  return out;
}

Tensor ReshapeImpl::call(const Tensor& x, bool) {
  if (x.ndim() == 0) incompatible(0, "expected min_ndim=1, found ndim=0", TensorShape{});
  const Shape s = x.shape();
  const std::vector<Dim> dims = resolve(TensorShape(s.begin(), s.end()));
  Shape target{s[0]};
  for (Dim d : dims) target.push_back(static_cast<std::size_t>(d));
  return ops::reshape(x, target);
}

std::vector<TensorShape> ReshapeImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (Reshape) expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  const TensorShape& s = input_shapes[0];
  if (s.empty()) incompatible(0, "expected min_ndim=1, found ndim=0", s);
  TensorShape out{s[0]};
  for (Dim d : resolve(s)) out.push_back(d);
  return {out};
}

json ReshapeImpl::get_config() const {
  json c = base_config();
  c["target_shape"] = target_shape_;
  return c;
}

std::shared_ptr<ReshapeImpl> ReshapeImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const json& t = r.raw("target_shape");
  if (!t.is_array() || t.size() > 16) r.fail("target_shape", "expected a list of at most 16 integers, got " + t.dump());
  std::vector<Dim> shape;
  for (const auto& d : t) {
    if (d.is_null()) {  // TensorFlow.js writes the inferred dimension as null
      shape.push_back(-1);
      continue;
    }
    if (!d.is_number_integer() || (d.get<long long>() <= 0 && d.get<long long>() != -1) || d.get<long long>() > kMaxDim)
      r.fail("target_shape", "expected positive integers or -1 (or null), got " + t.dump());
    shape.push_back(d.get<Dim>());
  }
  std::shared_ptr<ReshapeImpl> layer;
  try {
    layer = std::make_shared<ReshapeImpl>(shape, r.name());
  } catch (const ValueError& e) {
    r.fail("target_shape", e.what());
  }
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(ReshapeImpl, "Reshape");

Reshape::Reshape(const std::vector<Dim>& target_shape, const std::string& name)
    : Holder<ReshapeImpl>(std::make_shared<ReshapeImpl>(target_shape, name)) {}

}  // namespace xkeras::layers
