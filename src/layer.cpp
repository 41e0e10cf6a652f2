#include "xkeras/layer.hpp"

#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>

#include "load_budget.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/registry.hpp"

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

}  // namespace xkeras
