// The shared part of SimpleRNN / LSTM / GRU: weights, the call (dropout masks, initial and kept
// states), output shapes and the config in Keras 3's key order (reference §2.1, §2.7, §2.8).
#include <algorithm>
#include <cmath>

#include "keras_dialect.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/rnn.hpp"
#include "xkeras/ops.hpp"

namespace xkeras::layers {

namespace {

// Keras clips dropout rates into [0, 1] (RNN cells: min(1, max(0, rate))); NaN is refused.
double clipped_rate(double r, const std::string& who, const char* key) {
  if (std::isnan(r)) throw ValueError(who + ": `" + key + "` must be a number in [0, 1], got NaN");
  return std::min(1.0, std::max(0.0, r));
}

// An inverted-dropout mask of the given shape: kept entries 1 / (1 - rate), dropped 0.
Tensor dropout_mask(const Shape& shape, double rate, std::mt19937_64& rng) {
  Array m = Array::from_shape(shape);
  const double keep = 1.0 - rate;
  const float kept = keep > 0.0 ? static_cast<float>(1.0 / keep) : 0.0f;
  std::bernoulli_distribution draw(keep);
  for (auto& v : m) v = draw(rng) ? kept : 0.0f;
  return Tensor(std::move(m));
}

}  // namespace

RecurrentImpl::RecurrentImpl(std::string class_name, std::size_t gates, int units, RecurrentOptions options)
    : Layer(class_name, options.name), gates_(gates), units_(units), options_(std::move(options)),
      rng_(options_.seed ? *options_.seed : draw_seed()) {
  if (units_ <= 0)
    throw ValueError(who() + ": Received an invalid value for argument `units`, expected a positive integer, got " +
                     std::to_string(units_));
  checked_dim_mul(Dim(gates_), Dim(units_), who());
  act_ = ops::rnn_activation(options_.activation, who());
  rec_act_ = gates_ == 1 ? ops::RnnActivation::sigmoid : ops::rnn_activation(options_.recurrent_activation, who());
  if (options_.activation.empty()) options_.activation = "linear";
  options_.dropout = clipped_rate(options_.dropout, who(), "dropout");
  options_.recurrent_dropout = clipped_rate(options_.recurrent_dropout, who(), "recurrent_dropout");
}

std::string RecurrentImpl::who() const { return "Layer \"" + name() + "\" (" + class_name() + ")"; }

void RecurrentImpl::build_list(const std::vector<TensorShape>& shapes) {
  check_shapes(shapes);
  const auto D = static_cast<std::size_t>(shapes[0][2]), u = static_cast<std::size_t>(units_), gu = gates_ * u;
  kernel_ = add_weight("kernel", {D, gu}, options_.kernel_initializer, true, options_.kernel_regularizer,
                       options_.kernel_constraint);
  recurrent_kernel_ = add_weight("recurrent_kernel", {u, gu}, options_.recurrent_initializer, true,
                                 options_.recurrent_regularizer, options_.recurrent_constraint);
  if (options_.use_bias) {
    const Shape bs = gates_ == 3 && options_.reset_after ? Shape{2, gu} : Shape{gu};
    bias_ = add_weight("bias", bs, options_.bias_initializer, true, options_.bias_regularizer, options_.bias_constraint);
    // LSTM unit_forget_bias: Keras builds the initial bias as [init(u), ones(u), init(2u)].
    if (gates_ == 4 && options_.unit_forget_bias) std::fill(bias_->value.data() + u, bias_->value.data() + 2 * u, 1.0f);
  }
}

std::vector<TensorShape> RecurrentImpl::compute_output_shape(const std::vector<TensorShape>& shapes) {
  check_shapes(shapes);
  const TensorShape& s = shapes[0];
  if (options_.stateful && s[0] < 0)
    throw ValueError(who() + ": a stateful RNN needs a fixed batch size; give the input a batch size "
                     "(Input(..., batch_size=N) or batch_input_shape), got the input shape " + shape_str(s));
  std::vector<TensorShape> out;
  out.push_back(options_.return_sequences ? TensorShape{s[0], s[1], units_} : TensorShape{s[0], units_});
  if (options_.return_state)
    for (std::size_t k = 0; k < state_count(); ++k) out.push_back({s[0], units_});
  return out;
}

void RecurrentImpl::check_shapes(const std::vector<TensorShape>& shapes) const {
  if (shapes.empty()) throw ValueError(who() + " expects a sequence input, but it received no input");
  const TensorShape& s = shapes[0];
  if (s.size() != 3)
    incompatible(0, "expected ndim=3 (batch, timesteps, features), found ndim=" + std::to_string(s.size()), s);
  if (s[2] <= 0) incompatible(0, "expected a known, positive number of features on the last axis", s);
  if (shapes.size() != 1 && shapes.size() != 1 + state_count())
    throw ValueError(who() + " expects the sequence and " + std::to_string(state_count()) +
                     " initial state tensor(s), but it received " + std::to_string(shapes.size()) + " input tensors");
  for (std::size_t k = 1; k < shapes.size(); ++k)
    if (shapes[k].size() != 2 || (shapes[k][1] >= 0 && shapes[k][1] != units_))
      incompatible(static_cast<int>(k), "expected an initial state of shape (batch, " + std::to_string(units_) + ")",
                   shapes[k]);
}

Tensors RecurrentImpl::call_list(const Tensors& xs, bool training) {
  return run(xs[0], Tensor(), Tensors(xs.begin() + 1, xs.end()), training);
}

namespace {
// The "initial_state" keyword tensors of a call (null if none); any other keyword tensor is an error.
template <class T>
const std::vector<T>* initial_state_kwarg(const CallKwargsT<T>& kw, std::size_t positional, const std::string& who) {
  const std::vector<T>* states = nullptr;
  for (const auto& [name, ts] : kw.tensors) {
    if (name != "initial_state")
      throw ValueError(who + " does not take the keyword tensor argument \"" + name + "\" (expected initial_state)");
    states = &ts;
  }
  if (states && positional > 1)
    throw ValueError(who + " received initial states both as extra inputs and as initial_state; pass one of them");
  return states;
}
}  // namespace

Tensors RecurrentImpl::call_args(const Tensors& xs, const CallArgs& args) {
  if (xs.empty()) throw ValueError(who() + " expects a sequence input, but it received no input");
  const Tensors* kw_states = initial_state_kwarg(args.kwargs, xs.size(), who());
  const Tensors states = kw_states ? *kw_states : Tensors(xs.begin() + 1, xs.end());
  const Tensor mask = args.masks.empty() ? Tensor() : args.masks[0];
  return run(xs[0], mask, states, args.training);
}

Tensors RecurrentImpl::compute_mask(const Tensors&, const Tensors& masks) {
  Tensors out(1 + (options_.return_state ? state_count() : 0));
  if (options_.return_sequences && !masks.empty()) out[0] = masks[0];
  return out;
}

std::vector<TensorShape> RecurrentImpl::compute_output_shape_args(const std::vector<TensorShape>& shapes,
                                                                  const ShapeKwargs& kwargs) {
  const std::vector<TensorShape>* kw_states = initial_state_kwarg(kwargs, shapes.size(), who());
  if (!kw_states) return compute_output_shape(shapes);
  std::vector<TensorShape> all = shapes;
  all.insert(all.end(), kw_states->begin(), kw_states->end());
  return compute_output_shape(all);
}

Tensors RecurrentImpl::run(const Tensor& sequence, const Tensor& mask, const Tensors& initial_states, bool training) {
  std::vector<TensorShape> shapes;
  {
    const Tensor& t = sequence;
    if (!t.defined()) throw ValueError(who() + " was called with an undefined tensor");
    const Shape sh = t.shape();
    shapes.emplace_back(sh.begin(), sh.end());
  }
  for (const Tensor& t : initial_states) {
    if (!t.defined()) throw ValueError(who() + " was called with an undefined initial state");
    const Shape sh = t.shape();
    shapes.emplace_back(sh.begin(), sh.end());
  }
  maybe_build(shapes);  // run() is public: a direct call builds like operator() does
  const Shape s = sequence.shape();
  if (s.size() != 3) incompatible(0, "expected ndim=3 (batch, timesteps, features), found ndim=" + std::to_string(s.size()),
                                  TensorShape(s.begin(), s.end()));
  if (!initial_states.empty() && initial_states.size() != state_count())
    throw ValueError(who() + ": expected " + std::to_string(state_count()) + " initial state tensor(s), got " +
                     std::to_string(initial_states.size()));
  const std::size_t B = s[0], u = static_cast<std::size_t>(units_);
  ops::RecurrentInputs in;
  in.x = sequence;
  in.kernel = kernel_->value;
  in.recurrent_kernel = recurrent_kernel_->value;
  if (bias_) in.bias = bias_->value;
  in.initial_states = initial_states;
  if (in.initial_states.empty() && options_.stateful && !states_.empty()) {
    if (states_[0].dim(0) != B)
      throw ValueError(who() + ": this stateful layer keeps states for a batch of " + std::to_string(states_[0].dim(0)) +
                       ", got a batch of " + std::to_string(B) + " (call reset_states() to start over)");
    in.initial_states = states_;
  }
  if (mask.defined()) {
    if (mask.shape() != Shape{B, s[1]})
      throw ValueError(who() + ": expected a mask of shape " + shape_str(Shape{B, s[1]}) + ", got " + shape_str(mask.shape()));
    in.mask = mask;
  }
  if (training && options_.dropout > 0.0)  // one mask per call, the same at every step (Keras)
    in.x = ops::mul(sequence, dropout_mask({B, 1, s[2]}, options_.dropout, rng_));
  if (training && options_.recurrent_dropout > 0.0) in.recurrent_dropout_mask = dropout_mask({B, u}, options_.recurrent_dropout, rng_);

  ops::RecurrentOptions o;
  o.activation = act_;
  o.recurrent_activation = rec_act_;
  o.go_backwards = options_.go_backwards;
  o.return_sequences = options_.return_sequences;
  o.zero_output_for_mask = options_.zero_output_for_mask;
  o.reset_after = options_.reset_after;
  ops::RecurrentResult r = fused(in, o);
  if (options_.stateful) {
    states_.clear();
    for (const Tensor& st : r.states) states_.push_back(Tensor(Array(st.value())));  // kept without the tape
  }
  Tensors out{r.output};
  if (options_.return_state)
    for (const Tensor& st : r.states) out.push_back(st);
  return out;
}

json RecurrentImpl::rnn_config() const {
  json c = base_config();
  c["return_sequences"] = options_.return_sequences;
  c["return_state"] = options_.return_state;
  c["go_backwards"] = options_.go_backwards;
  c["stateful"] = options_.stateful;
  c["unroll"] = options_.unroll;
  c["zero_output_for_mask"] = options_.zero_output_for_mask;
  c["units"] = units_;
  c["activation"] = options_.activation;
  if (gates_ != 1) c["recurrent_activation"] = options_.recurrent_activation;
  c["use_bias"] = options_.use_bias;
  c["kernel_initializer"] = options_.kernel_initializer.to_json();
  c["recurrent_initializer"] = options_.recurrent_initializer.to_json();
  c["bias_initializer"] = options_.bias_initializer.to_json();
  if (gates_ == 4) c["unit_forget_bias"] = options_.unit_forget_bias;
  c["kernel_regularizer"] = options_.kernel_regularizer.to_json();
  c["recurrent_regularizer"] = options_.recurrent_regularizer.to_json();
  c["bias_regularizer"] = options_.bias_regularizer.to_json();
  c["activity_regularizer"] = nullptr;
  c["kernel_constraint"] = options_.kernel_constraint.to_json();
  c["recurrent_constraint"] = options_.recurrent_constraint.to_json();
  c["bias_constraint"] = options_.bias_constraint.to_json();
  c["dropout"] = options_.dropout;
  c["recurrent_dropout"] = options_.recurrent_dropout;
  if (gates_ == 3) c["reset_after"] = options_.reset_after;
  if (gates_ != 1) c["seed"] = options_.seed ? json(*options_.seed) : json(nullptr);  // SimpleRNN writes no seed
  return c;
}

RecurrentOptions RecurrentImpl::read_options(const ConfigReader& r, bool gated) {
  const detail::KerasDialect& dialect = detail::current_dialect();
  RecurrentOptions o;
  if (r.has("activity_regularizer")) r.fail("activity_regularizer", "activity regularizers are not supported");
  if (r.has("time_major") && r.get_bool("time_major", false))
    r.fail("time_major", "time-major inputs (timesteps, batch, features) are not supported; expected false");
  if (r.has("num_constants") && r.get_int("num_constants", 0) != 0)
    r.fail("num_constants", "RNN constants are not supported");
  if (r.has("implementation")) {  // tf.keras / K2M: a speed choice, numerically the same
    const int impl = r.get_int("implementation", 2);
    if (impl < 0 || impl > 2) r.fail("implementation", "expected 0, 1 or 2, got " + std::to_string(impl));
  }
  o.activation = r.activation("activation", "tanh");
  if (gated)  // TensorFlow.js's default is its hardSigmoid (Keras 2's)
    o.recurrent_activation = r.activation("recurrent_activation", dialect.tfjs ? "hardSigmoid" : "sigmoid");
  o.use_bias = r.get_bool("use_bias", true);
  o.kernel_initializer = r.initializer("kernel_initializer", dialect.tfjs ? "glorot_normal" : "glorot_uniform");
  o.recurrent_initializer = r.initializer("recurrent_initializer", "orthogonal");
  o.bias_initializer = r.initializer("bias_initializer", "zeros");
  o.unit_forget_bias = r.get_bool("unit_forget_bias", true);
  o.kernel_regularizer = r.regularizer("kernel_regularizer");
  o.recurrent_regularizer = r.regularizer("recurrent_regularizer");
  o.bias_regularizer = r.regularizer("bias_regularizer");
  o.kernel_constraint = r.constraint("kernel_constraint");
  o.recurrent_constraint = r.constraint("recurrent_constraint");
  o.bias_constraint = r.constraint("bias_constraint");
  o.dropout = r.get_float("dropout", 0.0f);
  o.recurrent_dropout = r.get_float("recurrent_dropout", 0.0f);
  if (r.has("seed")) {
    const json& s = r.raw("seed");
    if (!s.is_number_integer() || (!s.is_number_unsigned() && s.get<long long>() < 0))
      r.fail("seed", "expected a non-negative integer, got " + shown(s));
    o.seed = s.get<std::uint64_t>();
  }
  o.return_sequences = r.get_bool("return_sequences", false);
  o.return_state = r.get_bool("return_state", false);
  o.go_backwards = r.get_bool("go_backwards", false);
  o.stateful = r.get_bool("stateful", false);
  o.unroll = r.get_bool("unroll", false);
  o.zero_output_for_mask = r.get_bool("zero_output_for_mask", false);
  // GRU: multi-backend Keras <= 2.1.4 (and Keras 1) wrote no reset_after and meant False; every
  // later Keras 2 writes the key, so a missing key in a Keras 1/2 file is that old default.
  o.reset_after = r.get_bool("reset_after", dialect.major >= 3);
  if (dialect.tfjs && o.reset_after) r.fail("reset_after", "TensorFlow.js GRU layers do not support reset_after=true");
  o.name = r.name();
  return o;
}

}  // namespace xkeras::layers
