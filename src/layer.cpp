#include "xkeras/layer.hpp"

#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>

#include "load_budget.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"
#include "xkeras/tape.hpp"

namespace xkeras {

// ---- names --------------------------------------------------------------------------------

namespace {
std::mutex name_mutex;
std::map<std::string, int>& name_counters() {
  static std::map<std::string, int> counters;
  return counters;
}
}  // namespace

std::string snake_case(const std::string& class_name) {
  // Keras's to_snake_case: two regex passes, then lower-case.
  std::string s = std::regex_replace(class_name, std::regex("(.)([A-Z][a-z]+)"), "$1_$2");
  s = std::regex_replace(s, std::regex("([a-z])([A-Z])"), "$1_$2");
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string unique_name(const std::string& prefix) {
  std::lock_guard<std::mutex> lock(name_mutex);
  int& n = name_counters()[prefix];
  std::string out = n == 0 ? prefix : prefix + "_" + std::to_string(n);
  ++n;
  return out;
}

void clear_session() {
  std::lock_guard<std::mutex> lock(name_mutex);
  name_counters().clear();
}

// ---- KerasTensor ---------------------------------------------------------------------------

const TensorShape& KerasTensor::shape() const {
  if (!node_) throw ValueError("KerasTensor: undefined symbolic tensor");
  return node_->output_shapes.at(static_cast<std::size_t>(index_));
}

DType KerasTensor::dtype() const {
  if (!node_) throw ValueError("KerasTensor: undefined symbolic tensor");
  const auto i = static_cast<std::size_t>(index_);
  return i < node_->output_dtypes.size() ? node_->output_dtypes[i] : DType::float32;
}

Layer& KerasTensor::layer() const {
  if (!node_) throw ValueError("KerasTensor: undefined symbolic tensor");
  return *node_->layer;
}

Node::~Node() {
  std::vector<std::shared_ptr<Node>> pending;
  auto take_inputs = [&pending](Node& n) {
    for (auto& t : n.inputs) pending.push_back(std::move(t.node_));
    n.inputs.clear();
  };
  take_inputs(*this);
  while (!pending.empty()) {
    std::shared_ptr<Node> n = std::move(pending.back());
    pending.pop_back();
    // The last owner empties the node before it dies, so its destructor finds nothing to recurse into.
    if (n && n.use_count() == 1) take_inputs(*n);
  }
}

std::string Variable::path() const { return owner ? owner->name() + "/" + name : name; }

// ---- Layer ---------------------------------------------------------------------------------

Layer::Layer(std::string class_name, std::string name)
    : class_name_(std::move(class_name)), name_(name.empty() ? unique_name(snake_case(class_name_)) : std::move(name)) {}

void Layer::build_list(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name_ + "\" expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  build(input_shapes[0]);
}

Tensor Layer::call(const Tensor&, bool) {
  throw NotImplementedError("Layer \"" + name_ + "\" (" + class_name_ + ") does not implement call()");
}

Tensors Layer::call_list(const Tensors& xs, bool training) {
  if (xs.size() != 1)
    throw ValueError("Layer \"" + name_ + "\" expects 1 input, but it received " + std::to_string(xs.size()) +
                     " input tensors");
  return {call(xs[0], training)};
}

Tensors Layer::call_args(const Tensors& xs, const CallArgs& args) {
  if (!args.kwargs.tensors.empty())
    throw ValueError("Layer \"" + name_ + "\" (" + class_name_ + ") does not take the keyword tensor argument \"" +
                     args.kwargs.tensors.front().first + "\"");
  return call_list(xs, args.training);
}

Tensors Layer::compute_mask(const Tensors&, const Tensors& masks) {
  if (masks.empty()) return {};
  return {masks[0]};
}

std::vector<DType> Layer::compute_output_dtype(const std::vector<DType>&, std::size_t outputs) {
  return std::vector<DType>(outputs, DType::float32);
}

void Layer::set_trainable(bool t) {
  trainable_ = t;
  for (const auto& sub : sublayers()) sub->set_trainable(t);
}

json Layer::base_config() const {
  return json{{"name", name_},
              {"trainable", trainable_},
              {"dtype", {{"module", "keras"}, {"class_name", "DTypePolicy"}, {"config", {{"name", "float32"}}},
                         {"registered_name", nullptr}}}};
}

json Layer::get_config() const { return base_config(); }

std::string Layer::module() const {
  if (is_keras_layer_class(class_name())) return "keras.layers";
  const json reg = registered_name();
  if (reg.is_string()) {
    const std::string& r = reg.get_ref<const std::string&>();
    const auto cut = r.find('>');
    if (cut != std::string::npos && cut > 0) return r.substr(0, cut);
  }
  return "Custom";
}

json Layer::registered_name() const {
  if (is_keras_layer_class(class_name())) return nullptr;
  return "Custom>" + class_name();
}

json Layer::build_config() const {
  if (!build_shapes_) return nullptr;
  auto to_json = [](const TensorShape& s) {
    json j = json::array();
    for (Dim d : s) j.push_back(d < 0 ? json(nullptr) : json(d));
    return j;
  };
  if (build_shapes_->size() == 1 && !takes_list()) return json{{"input_shape", to_json((*build_shapes_)[0])}};
  json list = json::array();
  for (const auto& s : *build_shapes_) list.push_back(to_json(s));
  return json{{"input_shape", list}};
}

VariablePtr Layer::add_weight(const std::string& name, const Shape& shape, const Initializer& init, bool trainable,
                              Regularizer regularizer, Constraint constraint) {
  // A model file must not be able to make us allocate without limit: 2^28 floats is 1 GiB.
  constexpr std::size_t kMaxWeightElements = std::size_t(1) << 28;
  std::size_t n = 1;
  for (std::size_t d : shape) {
    if (d != 0 && n > kMaxWeightElements / d)
      throw ValueError("Layer \"" + name_ + "\": weight \"" + name + "\" of shape " + shape_str(shape) +
                       " is larger than the limit of 2^28 elements");
    n *= d;
  }
  auto* budget = detail::LoadBudget::current();
  if (budget) budget->take_weights(n, "Layer \"" + name_ + "\"", name);
  auto v = std::make_shared<Variable>();
  v->name = name;
  // While a file is loaded whose values replace every weight, initializers need not run.
  Array value = budget && !budget->initialize() ? Array::from_shape(shape) : init(shape);
  if (to_shape(value) != shape)
    throw ValueError("initializer " + init.class_name() + " returned shape " + shape_str(to_shape(value)) +
                     ", expected " + shape_str(shape));
  v->value = Tensor(std::move(value), trainable);
  v->trainable = trainable;
  v->regularizer = std::move(regularizer);
  v->constraint = std::move(constraint);
  v->owner = this;
  variables_.push_back(v);
  return v;
}

namespace {

void collect_weights(const Layer& l, bool parent_trainable, bool want_trainable, std::vector<VariablePtr>& out,
                     std::set<const Variable*>& seen) {
  const bool t = parent_trainable && l.trainable();
  for (const auto& v : l.own_variables())
    if ((v->trainable && t) == want_trainable && seen.insert(v.get()).second) out.push_back(v);
  for (const auto& sub : l.sublayers()) collect_weights(*sub, t, want_trainable, out, seen);
}

}  // namespace

std::vector<VariablePtr> Layer::trainable_weights() const {
  std::vector<VariablePtr> out;
  std::set<const Variable*> seen;
  collect_weights(*this, true, true, out, seen);
  return out;
}

std::vector<VariablePtr> Layer::non_trainable_weights() const {
  std::vector<VariablePtr> out;
  std::set<const Variable*> seen;
  collect_weights(*this, true, false, out, seen);
  return out;
}

std::vector<VariablePtr> Layer::weights() const {
  auto w = trainable_weights();
  auto n = non_trainable_weights();
  w.insert(w.end(), n.begin(), n.end());
  return w;
}

std::vector<Array> Layer::get_weights() const {
  std::vector<Array> out;
  for (const auto& v : weights()) out.push_back(v->value.value());
  return out;
}

void Layer::set_weights(const std::vector<Array>& values) {
  const auto ws = weights();
  if (values.size() != ws.size())
    throw ValueError("Layer \"" + name_ + "\": set_weights expected " + std::to_string(ws.size()) +
                     " arrays, but received " + std::to_string(values.size()));
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (to_shape(values[i]) != ws[i]->shape())
      throw ValueError("Layer \"" + name_ + "\": weight " + ws[i]->path() + " has shape " + shape_str(ws[i]->shape()) +
                       ", but the value has shape " + shape_str(to_shape(values[i])));
  }
  for (std::size_t i = 0; i < ws.size(); ++i) ws[i]->value.mutable_value() = values[i];
}

std::size_t Layer::count_params() const {
  std::size_t n = 0;
  for (const auto& v : weights()) n += v->value.size();
  return n;
}

std::vector<Tensor> Layer::regularization_losses() const {
  std::vector<Tensor> out;
  for (const auto& v : weights())
    if (v->regularizer) out.push_back(v->regularizer(v->value));
  return out;
}

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
