// Calling a layer: the eager entry (keyword binding, build, masks, int casts, call_args, output
// masks), the symbolic call that records a Node, and the forward/backward pair on the tape.
#include "xkeras/errors.hpp"
#include "xkeras/layer.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/tape.hpp"

namespace xkeras {

// ---- calling -------------------------------------------------------------------------------

void Layer::incompatible(int input_index, const std::string& expected, const TensorShape& got) const {
  throw ValueError("Input " + std::to_string(input_index) + " of layer \"" + name_ +
                   "\" is incompatible with the layer: " + expected + ", but received input with shape " +
                   shape_str(got));
}

namespace {

void check_spec(const Layer& l, const InputSpec& spec, const std::vector<TensorShape>& shapes) {
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    const auto& s = shapes[i];
    const int nd = static_cast<int>(s.size());
    if (spec.ndim && nd != *spec.ndim) l.incompatible(static_cast<int>(i), "expected ndim=" + std::to_string(*spec.ndim) + ", found ndim=" + std::to_string(nd), s);
    if (spec.min_ndim && nd < *spec.min_ndim)
      l.incompatible(static_cast<int>(i), "expected min_ndim=" + std::to_string(*spec.min_ndim) + ", found ndim=" + std::to_string(nd), s);
    for (const auto& [axis, size] : spec.axes) {
      const int a = axis < 0 ? axis + nd : axis;
      if (a < 0 || a >= nd) l.incompatible(static_cast<int>(i), "expected axis " + std::to_string(axis) + " to exist", s);
      if (s[static_cast<std::size_t>(a)] >= 0 && s[static_cast<std::size_t>(a)] != size)
        l.incompatible(static_cast<int>(i), "expected axis " + std::to_string(axis) + " of input shape to have value " + std::to_string(size), s);
    }
  }
}

}  // namespace

void Layer::maybe_build(const std::vector<TensorShape>& shapes, const std::vector<DType>& dtypes) {
  if (input_spec_) check_spec(*this, *input_spec_, shapes);
  if (built()) return;
  std::lock_guard<std::recursive_mutex> lock(build_mutex_);
  if (built()) return;  // another thread built it while this one waited
  std::vector<TensorShape> b;
  for (const auto& s : shapes) {
    TensorShape t = s;
    if (!t.empty()) t[0] = None;
    b.push_back(t);
  }
  build_for(b, dtypes);
  build_shapes_ = b;
  mark_built();  // the weights exist now, even if the second check below fails
  if (input_spec_) check_spec(*this, *input_spec_, shapes);
}

namespace {

// Keras binds a keyword argument named like the next positional parameter to that parameter; so
// do we, so that a tf.keras node ({"value": t}) and a Keras 3 node ([query, value]) call alike.
template <class T>
void bind_positional(std::vector<T>& xs, CallKwargsT<T>& kw, const std::vector<std::string>& names) {
  bool moved = true;
  while (moved && xs.size() < names.size()) {
    moved = false;
    for (auto it = kw.tensors.begin(); it != kw.tensors.end(); ++it) {
      if (it->first == names[xs.size()] && it->second.size() == 1) {
        xs.push_back(it->second[0]);
        kw.tensors.erase(it);
        moved = true;
        break;
      }
    }
  }
}

// Values every layer understands: "training" fixes the mode of this call; "mask": null says none.
void take_common_options(json& options, bool* training) {
  if (options.contains("training")) {
    if (training && options["training"].is_boolean()) *training = options["training"].get<bool>();
    options.erase("training");
  }
  if (options.contains("mask") && options["mask"].is_null()) options.erase("mask");
}

bool same_impl(const Tensor& t, const Tensors& xs) {
  for (const auto& x : xs)
    if (x.impl() == t.impl()) return true;
  return false;
}

}  // namespace

Tensors Layer::operator()(const Tensors& xs, bool training) { return (*this)(xs, CallKwargs{}, training); }

Tensors Layer::operator()(const Tensors& xs, const CallKwargs& kwargs, bool training) {
  Tensors ins = xs;
  CallKwargs kw = kwargs;
  bind_positional(ins, kw, call_arg_names());
  take_common_options(kw.options, &training);
  return call_resolved(std::move(ins), std::move(kw), training);
}

Tensors Layer::call_resolved(Tensors xs, CallKwargs kw, bool training) {
  std::vector<TensorShape> shapes;
  for (const auto& x : xs) {
    if (!x.defined()) throw ValueError("Layer \"" + name_ + "\" was called with an undefined tensor");
    const Shape s = x.shape();
    shapes.emplace_back(s.begin(), s.end());
  }
  for (const auto& [name, ts] : kw.tensors)
    for (const auto& t : ts)
      if (!t.defined()) throw ValueError("Layer \"" + name_ + "\": keyword argument \"" + name + "\" is an undefined tensor");
  std::vector<DType> dtypes;
  for (const auto& x : xs) dtypes.push_back(x.dtype());
  maybe_build(shapes, dtypes);
  CallArgs args;
  args.training = training;
  // Masks travel on the tensors; an explicit mask= keyword replaces them.
  for (const auto& x : xs) args.masks.push_back(x.keras_mask());
  for (auto it = kw.tensors.begin(); it != kw.tensors.end(); ++it) {
    if (it->first != "mask") continue;
    if (it->second.size() != xs.size())
      throw ValueError("Layer \"" + name_ + "\": expected " + std::to_string(xs.size()) + " mask(s), one per input, but received " +
                       std::to_string(it->second.size()));
    args.masks = it->second;
    kw.tensors.erase(it);
    break;
  }
  if (!accepts_int_inputs())
    for (auto& x : xs)
      if (x.is_int()) x = ops::cast(x, DType::float32);
  args.kwargs = std::move(kw);
  Tensors out = call_args(xs, args);
  if (supports_masking()) {
    const Tensors masks = compute_mask(xs, args.masks);
    for (std::size_t i = 0; i < out.size() && i < masks.size(); ++i)
      if (out[i].defined() && !same_impl(out[i], xs)) out[i].set_keras_mask(masks[i]);
  }
  return out;
}

Tensor Layer::operator()(const Tensor& x, bool training) {
  Tensors out = (*this)(Tensors{x}, training);
  if (out.size() != 1)
    throw ValueError("Layer \"" + name_ + "\" returned " + std::to_string(out.size()) +
                     " outputs; call it with a list to receive them all");
  return out[0];
}

KerasTensors Layer::apply(const KerasTensors& xs_in, bool list_call, const SymbolicKwargs& kwargs) {
  KerasTensors xs = xs_in;
  SymbolicKwargs kw = kwargs;
  bind_positional(xs, kw, call_arg_names());
  take_common_options(kw.options, nullptr);  // "training" stays recorded for the eager call
  if (kwargs.options.contains("training")) kw.options["training"] = kwargs.options["training"];
  std::vector<TensorShape> shapes;
  std::vector<DType> dtypes;
  for (const auto& x : xs) {
    if (!x.defined()) throw ValueError("Layer \"" + name_ + "\" was called with an undefined symbolic tensor");
    shapes.push_back(x.shape());
    dtypes.push_back(x.dtype());
  }
  ShapeKwargs shape_kw;
  shape_kw.options = kw.options;
  shape_kw.options.erase("training");
  for (const auto& [name, ts] : kw.tensors) {
    if (name == "mask") {  // an explicit mask= (call_resolved uses it); shapes do not depend on it
      if (ts.size() != xs.size())
        throw ValueError("Layer \"" + name_ + "\": expected " + std::to_string(xs.size()) +
                         " mask(s), one per input, but received " + std::to_string(ts.size()));
      continue;
    }
    std::vector<TensorShape> ss;
    for (const auto& t : ts) {
      if (!t.defined()) throw ValueError("Layer \"" + name_ + "\": keyword argument \"" + name + "\" is an undefined symbolic tensor");
      ss.push_back(t.shape());
    }
    shape_kw.tensors.emplace_back(name, std::move(ss));
  }
  maybe_build(shapes, dtypes);
  auto node = std::make_shared<Node>();
  node->output_shapes = compute_output_shape_args(shapes, shape_kw);
  // Every symbolic shape stays within the per-sample limit, whatever a layer (or a file) asks for.
  for (const auto& s : node->output_shapes) check_sample_shape(s, "Layer \"" + name_ + "\" (" + class_name_ + ")");
  node->output_dtypes = compute_output_dtype(dtypes, node->output_shapes.size());
  node->output_dtypes.resize(node->output_shapes.size(), DType::float32);
  node->layer = shared_from_this();
  node->positional = xs.size();
  node->inputs = xs;
  for (const auto& [name, ts] : kw.tensors) {
    node->kwarg_tensors.emplace_back(name, ts.size());
    node->inputs.insert(node->inputs.end(), ts.begin(), ts.end());
  }
  node->kwarg_options = kw.options;
  node->list_call = list_call;
  node->index = static_cast<int>(nodes_.size());
  nodes_.push_back(node);
  KerasTensors out;
  for (std::size_t i = 0; i < node->output_shapes.size(); ++i) out.emplace_back(node, static_cast<int>(i));
  return out;
}

KerasTensor Layer::operator()(const KerasTensor& x) {
  KerasTensors out = apply({x}, false);
  if (out.size() != 1)
    throw ValueError("Layer \"" + name_ + "\" has " + std::to_string(out.size()) + " outputs; use apply() to get them all");
  return out[0];
}

KerasTensor Layer::operator()(const KerasTensors& xs) {
  KerasTensors out = apply(xs, true);
  if (out.size() != 1)
    throw ValueError("Layer \"" + name_ + "\" has " + std::to_string(out.size()) + " outputs; use apply() to get them all");
  return out[0];
}

std::vector<std::shared_ptr<Node>> Layer::inbound_nodes() const {
  std::vector<std::shared_ptr<Node>> out;
  for (const auto& w : nodes_)
    if (auto n = w.lock()) out.push_back(n);
  return out;
}

Tensor Layer::forward(const Tensor& x, bool training) {
  for (const auto& v : weights()) v->value.zero_grad();
  Tape::current().clear();
  fwd_input_ = Tensor(x.value(), true);
  fwd_output_ = (*this)(fwd_input_, training);
  return fwd_output_;
}

Tensor Layer::backward(const Array& grad_output) {
  if (!fwd_output_.defined()) throw ValueError("Layer \"" + name_ + "\": backward() called before forward()");
  Tape::current().backward(fwd_output_, grad_output);
  Tensor dx(fwd_input_.grad());
  fwd_output_ = Tensor();
  return dx;
}

}  // namespace xkeras
