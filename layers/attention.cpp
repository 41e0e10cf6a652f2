// Attention (Keras's attention.py): dot-product or concat scores, no 1/sqrt(d) factor.
#include "xkeras/layers/attention.hpp"

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/batch_matmul.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

AttentionImpl::AttentionImpl(AttentionOptions o)
    : DenseAttentionImpl("Attention", o.use_scale, o.dropout, o.seed, o.name), score_mode_(o.score_mode) {
  if (score_mode_ != "dot" && score_mode_ != "concat")
    throw ValueError(who() + ": Invalid value for argument score_mode. Expected one of {\"dot\", \"concat\"}. "
                     "Received: score_mode=" + score_mode_);
}

void AttentionImpl::build_list(const std::vector<TensorShape>& shapes) {
  check_shapes(shapes);
  if (use_scale_) scale_ = add_weight("scale", {}, "ones");
  if (score_mode_ == "concat") concat_score_weight_ = add_weight("concat_score_weight", {}, "ones");
}

// dot: scores = scale · q kᵀ. concat: scores = c · sum_d tanh(scale · (q_d + k_d)), with q (B, Tq, 1, D)
// and k (B, 1, Tv, D) broadcast against each other.
Tensor AttentionImpl::scores(const Tensor& query, const Tensor& key) const {
  if (score_mode_ == "dot") {
    const Tensor s = ops::batch_matmul(query, ops::transpose(key, {0, 2, 1}));
    return scale_ ? ops::mul(s, scale_->value) : s;
  }
  Tensor sum = ops::add(ops::expand_dims(query, 2), ops::expand_dims(key, 1));
  if (scale_) sum = ops::mul(sum, scale_->value);
  return ops::mul(ops::sum(ops::tanh(sum), {-1}), concat_score_weight_->value);
}

json AttentionImpl::get_config() const {
  json c = base_config();
  c["use_scale"] = use_scale_;
  c["score_mode"] = score_mode_;
  c["dropout"] = dropout_;
  c["seed"] = seed_ ? json(*seed_) : json(nullptr);
  return c;
}

namespace {

// dropout and seed, shared by both classes' configs.
void read_dropout_seed(const ConfigReader& r, double& dropout, std::optional<std::uint64_t>& seed) {
  const json& d = r.has("dropout") ? r.raw("dropout") : json(0.0);
  if (!d.is_number() || !(d.get<double>() >= 0.0 && d.get<double>() < 1.0))
    r.fail("dropout", "expected a number in [0, 1), got " + shown(d));
  dropout = d.get<double>();
  if (r.has("seed")) {
    const json& s = r.raw("seed");
    if (!s.is_number_integer() || s.get<long long>() < 0) r.fail("seed", "expected a non-negative integer, got " + shown(s));
    seed = s.get<std::uint64_t>();
  }
}

}  // namespace

std::shared_ptr<AttentionImpl> AttentionImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  AttentionOptions o;
  o.use_scale = r.get_bool("use_scale", false);
  o.score_mode = r.get_string("score_mode", "dot");
  if (o.score_mode != "dot" && o.score_mode != "concat")
    r.fail("score_mode", "expected \"dot\" or \"concat\", got \"" + o.score_mode + "\"");
  read_dropout_seed(r, o.dropout, o.seed);
  o.name = r.name();
  auto layer = std::make_shared<AttentionImpl>(std::move(o));
  layer->causal_ = r.get_bool("causal", false);  // tf.keras <= 2.10
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(AttentionImpl, "Attention");

Attention::Attention(AttentionOptions options) : Holder<AttentionImpl>(std::make_shared<AttentionImpl>(std::move(options))) {}

// ---- AdditiveAttention --------------------------------------------------------------------

AdditiveAttentionImpl::AdditiveAttentionImpl(AdditiveAttentionOptions o)
    : DenseAttentionImpl("AdditiveAttention", o.use_scale, o.dropout, o.seed, o.name) {}

void AdditiveAttentionImpl::build_list(const std::vector<TensorShape>& shapes) {
  check_shapes(shapes);
  const Dim dim = shapes[0][2];
  if (dim <= 0) throw ValueError(who() + ": the query's last dimension must be defined, got " + shape_str(shapes[0]));
  if (use_scale_) scale_ = add_weight("scale", {static_cast<std::size_t>(dim)}, "glorot_uniform");
}

// scores[b, i, j] = sum_d scale_d tanh(q[b, i, d] + k[b, j, d]) (scale = 1 without use_scale).
Tensor AdditiveAttentionImpl::scores(const Tensor& query, const Tensor& key) const {
  Tensor t = ops::tanh(ops::add(ops::expand_dims(query, 2), ops::expand_dims(key, 1)));
  if (scale_) t = ops::mul(t, scale_->value);
  return ops::sum(t, {-1});
}

json AdditiveAttentionImpl::get_config() const {
  json c = base_config();
  c["use_scale"] = use_scale_;
  c["dropout"] = dropout_;
  c["seed"] = seed_ ? json(*seed_) : json(nullptr);
  return c;
}

std::shared_ptr<AdditiveAttentionImpl> AdditiveAttentionImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  AdditiveAttentionOptions o;
  o.use_scale = r.get_bool("use_scale", true);
  read_dropout_seed(r, o.dropout, o.seed);
  o.name = r.name();
  auto layer = std::make_shared<AdditiveAttentionImpl>(std::move(o));
  layer->causal_ = r.get_bool("causal", false);
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(AdditiveAttentionImpl, "AdditiveAttention");

AdditiveAttention::AdditiveAttention(AdditiveAttentionOptions options)
    : Holder<AdditiveAttentionImpl>(std::make_shared<AdditiveAttentionImpl>(std::move(options))) {}

}  // namespace xkeras::layers
