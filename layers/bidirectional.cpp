#include "xkeras/layers/bidirectional.hpp"

#include "layers/image_layer_utils.hpp"
#include "xkeras/registry.hpp"
#include "layers/wrapper_utils.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/layers/rnn.hpp"
#include "xkeras/ops/sequence.hpp"

namespace xkeras::layers {

namespace {

std::string remove_prefix(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0 ? s.substr(p.size()) : s; }

// A recurrent flag of the wrapped layer's config; Bidirectional only knows layers through these keys.
bool flag(const json& config, const char* key, const Layer& layer, const std::string& who) {
  auto it = config.find(key);
  if (it == config.end() || !it->is_boolean())
    throw ValueError(who + ": expected a recurrent layer (one whose config has a boolean `" + key + "`, such as LSTM, GRU or "
                     "SimpleRNN); received layer \"" + layer.name() + "\" of class " + layer.class_name());
  return it->get<bool>();
}

// A fresh layer from `layer`'s config after `edit` (Keras's serialize / deserialize copy): new weights.
template <class Edit>
LayerPtr copy_with(const Layer& layer, Edit edit, const std::string& who) {
  json o = detail::nested_layer_object(layer);
  o.erase("build_config");
  edit(o["config"]);
  return detail::nested_layer_from_object(o, who);
}

}  // namespace

BidirectionalImpl::BidirectionalImpl(const LayerPtr& layer, BidirectionalOptions options)
    : Layer("Bidirectional", std::move(options.name)), merge_mode_(std::move(options.merge_mode)) {
  const std::string me = detail::who(*this);
  if (!layer) throw ValueError(me + ": expected a layer to wrap, received none");
  if (merge_mode_ != "concat" && merge_mode_ != "sum" && merge_mode_ != "mul" && merge_mode_ != "ave" && !merge_mode_.empty())
    throw ValueError(me + ": Invalid merge mode. Received: " + merge_mode_ +
                     ". Merge mode should be one of {\"sum\", \"mul\", \"ave\", \"concat\", None}");
  const json config = layer->get_config();
  return_sequences_ = flag(config, "return_sequences", *layer, me);
  return_state_ = flag(config, "return_state", *layer, me);
  stateful_ = flag(config, "stateful", *layer, me);
  flag(config, "go_backwards", *layer, me);
  // Keras forces zero_output_for_mask = return_sequences on both sub-layers.
  const bool zero_output = return_sequences_;
  auto force_zero = [zero_output](json& c) {
    if (c.contains("zero_output_for_mask")) c["zero_output_for_mask"] = zero_output;
  };
  forward_ = copy_with(*layer, [&](json& c) {
    c["name"] = "forward_" + remove_prefix(layer->name(), "forward_");
    force_zero(c);
  }, me + ".layer");
  if (options.backward_layer) {
    const json bc = options.backward_layer->get_config();
    flag(bc, "go_backwards", *options.backward_layer, me);
    // The given layer is used as it is, unless its zero_output_for_mask must change.
    const bool same = !bc.contains("zero_output_for_mask") || bc["zero_output_for_mask"] == zero_output;
    backward_ = same ? options.backward_layer : copy_with(*options.backward_layer, force_zero, me + ".backward_layer");
  } else {
    backward_ = copy_with(*layer, [&](json& c) {
      c["go_backwards"] = true;
      c["name"] = "backward_" + remove_prefix(layer->name(), "backward_");
      force_zero(c);
    }, me + ".backward_layer");
  }
  const json fc = forward_->get_config(), bc = backward_->get_config();
  if (flag(fc, "go_backwards", *forward_, me) == flag(bc, "go_backwards", *backward_, me))
    throw ValueError(me + ": Forward layer and backward layer should have different `go_backwards` value. Received: "
                     "forward_layer.go_backwards=" + fc["go_backwards"].dump() + ", backward_layer.go_backwards=" +
                     bc["go_backwards"].dump());
  for (const char* a : {"stateful", "return_sequences", "return_state"})
    if (flag(fc, a, *forward_, me) != flag(bc, a, *backward_, me))
      throw ValueError(me + ": Forward layer and backward layer are expected to have the same value for attribute \"" + a +
                       "\", got \"" + fc[a].dump() + "\" for forward layer and \"" + bc[a].dump() + "\" for backward layer");
}

void BidirectionalImpl::build_list(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.empty()) throw ValueError(detail::who(*this) + ": expected a sequence input");
  detail::build_inner(*forward_, input_shapes[0], name() + "_forward");
  detail::build_inner(*backward_, input_shapes[0], name() + "_backward");
}

Tensors BidirectionalImpl::call_list(const Tensors& xs, bool training) {
  CallArgs args;
  args.training = training;
  return call_args(xs, args);
}

Tensor BidirectionalImpl::merge(const Tensor& f, const Tensor& b) const {
  if (merge_mode_ == "concat") return ops::concatenate({f, b}, -1);
  if (merge_mode_ == "sum") return ops::add(f, b);
  if (merge_mode_ == "ave") return ops::scale(ops::add(f, b), 0.5f);
  return ops::mul(f, b);  // "mul"
}

Tensors BidirectionalImpl::compute_mask(const Tensors&, const Tensors& masks) {
  const Tensor m = return_sequences_ && !masks.empty() ? masks[0] : Tensor();
  Tensors out{m};
  if (merge_mode_.empty()) out.push_back(m);
  return out;  // the states (later outputs) get none
}

Tensors BidirectionalImpl::call_args(const Tensors& xs, const CallArgs& args) {
  const std::string me = detail::who(*this);
  if (xs.empty()) throw ValueError(me + ": expected a sequence input");
  // Initial states: tf.keras passes them after the sequence, Keras 3 as initial_state=.
  Tensors states(xs.begin() + 1, xs.end());
  if (const auto* kw = args.kwargs.find("initial_state")) states.insert(states.end(), kw->begin(), kw->end());
  for (const auto& [name, ts] : args.kwargs.tensors)
    if (name != "initial_state") throw ValueError(me + " does not take the keyword tensor argument \"" + name + "\"");
  if (states.size() % 2 != 0)
    throw ValueError(me + ": expected an even number of initial states (the forward layer's, then the backward layer's); "
                     "received " + std::to_string(states.size()));
  const std::size_t half = states.size() / 2;
  const Tensor mask = args.masks.empty() ? Tensor() : args.masks[0];
  auto run = [&](const LayerPtr& l, Tensors s) {
    // xkeras's recurrent layers take the sequence, its mask and the states in one direct call.
    if (auto* rnn = dynamic_cast<RecurrentImpl*>(l.get())) return rnn->run(xs[0], mask, s, args.training);
    CallKwargs kw;
    if (!s.empty()) kw.tensors.emplace_back("initial_state", std::move(s));
    if (!args.masks.empty() && args.masks[0].defined()) kw.tensors.emplace_back("mask", Tensors{args.masks[0]});
    return (*l)(Tensors{xs[0]}, kw, args.training);
  };
  Tensors yf = run(forward_, Tensors(states.begin(), states.begin() + half));
  Tensors yb = run(backward_, Tensors(states.begin() + half, states.end()));
  if (yf.empty() || yb.empty()) throw ValueError(me + ": the wrapped layers returned no output");
  Tensor f = yf[0], b = yb[0];
  // The backward layer returns its sequence in processing (reversed) order: flip it back.
  if (return_sequences_) b = ops::flip(b, 1);
  Tensors out;
  if (merge_mode_.empty()) {
    out = {f, b};
  } else {
    out = {merge(f, b)};
  }
  if (return_state_) {
    out.insert(out.end(), yf.begin() + 1, yf.end());
    out.insert(out.end(), yb.begin() + 1, yb.end());
  }
  return out;
}

std::vector<TensorShape> BidirectionalImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.empty()) throw ValueError(detail::who(*this) + ": expected a sequence input");
  std::vector<TensorShape> f = forward_->compute_output_shape({input_shapes[0]});
  if (f.empty()) throw ValueError(detail::who(*this) + ": the wrapped layer reported no output shape");
  TensorShape out = f[0];
  const std::vector<TensorShape> state_shapes(f.begin() + 1, f.end());
  std::vector<TensorShape> result;
  if (merge_mode_ == "concat") {
    if (out.empty()) throw ValueError(detail::who(*this) + ": the wrapped layer's output has no axis to concatenate on");
    if (out.back() >= 0) out.back() *= 2;
    result = {out};
  } else if (merge_mode_.empty()) {
    result = {out, out};
  } else {
    result = {out};
  }
  if (return_state_) {
    result.insert(result.end(), state_shapes.begin(), state_shapes.end());
    result.insert(result.end(), state_shapes.begin(), state_shapes.end());
  }
  return result;
}

json BidirectionalImpl::get_config() const {
  json c = base_config();
  c["merge_mode"] = merge_mode_.empty() ? json(nullptr) : json(merge_mode_);
  c["layer"] = detail::nested_layer_object(*forward_);
  c["backward_layer"] = detail::nested_layer_object(*backward_);
  return c;
}

std::shared_ptr<BidirectionalImpl> BidirectionalImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  if (r.get_int("num_constants", 0) != 0) r.fail("num_constants", "RNN constants are not supported");
  BidirectionalOptions o;
  if (config.contains("merge_mode")) {
    const json& m = config["merge_mode"];
    if (!m.is_null() && !m.is_string()) r.fail("merge_mode", "expected one of \"concat\", \"sum\", \"mul\", \"ave\" or null, got " + shown(m));
    o.merge_mode = m.is_null() ? "" : m.get<std::string>();
  }
  LayerPtr layer = detail::nested_layer_from_object(r.raw("layer"), r.path("layer"));
  if (r.has("backward_layer"))
    o.backward_layer = detail::nested_layer_from_object(r.raw("backward_layer"), r.path("backward_layer"));
  o.name = r.name();
  std::shared_ptr<BidirectionalImpl> bi;
  try {
    bi = std::make_shared<BidirectionalImpl>(layer, std::move(o));
  } catch (const ValueError& e) {
    r.fail("layer", e.what());
  }
  r.apply_base(*bi);
  return bi;
}

XKERAS_REGISTER_LAYER_NAMED(BidirectionalImpl, "Bidirectional");

Bidirectional::Bidirectional(const LayerPtr& layer, BidirectionalOptions options)
    : Holder<BidirectionalImpl>(std::make_shared<BidirectionalImpl>(layer, std::move(options))) {}

}  // namespace xkeras::layers
