// MultiHeadAttention's config, both ways: Keras 3's keys and order on write; Keras 3, tf.keras
// (query_shape/key_shape/value_shape, softmax_robust_masking) and TensorFlow.js spellings on read.
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/multi_head_attention.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

json MultiHeadAttentionImpl::get_config() const {
  json c = base_config();
  c["num_heads"] = num_heads_;
  c["key_dim"] = key_dim_;
  c["value_dim"] = options_.value_dim;
  c["dropout"] = options_.dropout;
  c["use_bias"] = options_.use_bias;
  c["use_gate"] = options_.use_gate;
  c["output_shape"] = options_.output_shape ? json::array({*options_.output_shape}) : json(nullptr);
  c["attention_axes"] = options_.attention_axes ? int_list_json(*options_.attention_axes) : json(nullptr);
  c["sliding_window"] = nullptr;
  c["kernel_initializer"] = options_.kernel_initializer.to_json();
  c["bias_initializer"] = options_.bias_initializer.to_json();
  c["kernel_regularizer"] = options_.kernel_regularizer.to_json();
  c["bias_regularizer"] = options_.bias_regularizer.to_json();
  c["activity_regularizer"] = nullptr;
  c["kernel_constraint"] = options_.kernel_constraint.to_json();
  c["bias_constraint"] = options_.bias_constraint.to_json();
  c["seed"] = options_.seed ? json(*options_.seed) : json(nullptr);
  return c;
}

json MultiHeadAttentionImpl::build_config() const {
  if (!build_shapes_) return nullptr;
  auto to_json = [](const TensorShape& s) {
    json j = json::array();
    for (Dim d : s) j.push_back(d < 0 ? json(nullptr) : json(d));
    return j;
  };
  const auto& s = *build_shapes_;
  json d;
  d["query_shape"] = to_json(s[0]);
  d["value_shape"] = to_json(s[1]);
  if (s.size() == 3) d["key_shape"] = to_json(s[2]);
  return json{{"shapes_dict", d}};
}

namespace {

std::optional<int> optional_positive(const ConfigReader& r, const char* key) {
  if (!r.has(key)) return std::nullopt;
  const json& v = r.raw(key);
  // Keras writes output_shape as a 1-tuple; an int is what the constructor takes.
  const json& x = v.is_array() && v.size() == 1 ? v[0] : v;
  if (v.is_array() && v.size() != 1)
    r.fail(key, "only a single output size is supported, got " + shown(v));
  if (!x.is_number_integer() || x.get<long long>() <= 0 || x.get<long long>() > (1 << 20))
    r.fail(key, "expected a positive integer, got " + shown(v));
  return x.get<int>();
}

}  // namespace

std::shared_ptr<MultiHeadAttentionImpl> MultiHeadAttentionImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  if (r.has("activity_regularizer")) r.fail("activity_regularizer", "activity regularizers are not supported");
  if (r.has("sliding_window")) r.fail("sliding_window", "sliding-window attention is not supported");
  MultiHeadAttentionOptions o;
  if (r.has("value_dim")) o.value_dim = r.positive_int("value_dim");
  const json& dropout = r.has("dropout") ? r.raw("dropout") : json(0.0);
  if (!dropout.is_number() || !(dropout.get<double>() >= 0.0 && dropout.get<double>() < 1.0))
    r.fail("dropout", "expected a number in [0, 1), got " + shown(dropout));
  o.dropout = dropout.get<double>();
  o.use_bias = r.get_bool("use_bias", true);
  o.use_gate = r.get_bool("use_gate", false);
  o.output_shape = optional_positive(r, "output_shape");
  if (r.has("attention_axes")) o.attention_axes = r.int_or_list("attention_axes", {});
  o.kernel_initializer = r.initializer("kernel_initializer", "glorot_uniform");
  o.bias_initializer = r.initializer("bias_initializer", "zeros");
  o.kernel_regularizer = r.regularizer("kernel_regularizer");
  o.bias_regularizer = r.regularizer("bias_regularizer");
  o.kernel_constraint = r.constraint("kernel_constraint");
  o.bias_constraint = r.constraint("bias_constraint");
  if (r.has("seed")) {
    const json& s = r.raw("seed");
    if (!s.is_number_integer() || s.get<long long>() < 0) r.fail("seed", "expected a non-negative integer, got " + shown(s));
    o.seed = s.get<std::uint64_t>();
  }
  // tf.keras's robust masking only changes how the -1e9 is applied; the probabilities agree.
  r.get_bool("softmax_robust_masking", false);
  o.name = r.name();
  std::shared_ptr<MultiHeadAttentionImpl> layer;
  try {
    layer = std::make_shared<MultiHeadAttentionImpl>(r.positive_int("num_heads"), r.positive_int("key_dim"), std::move(o));
  } catch (const ConfigError&) {
    throw;
  } catch (const ValueError& e) {
    throw ConfigError(path, e.what());
  }
  r.apply_base(*layer);
  // tf.keras and TensorFlow.js store the build shapes in the config and build at once.
  if (r.has("query_shape") && r.has("value_shape")) {
    std::vector<TensorShape> shapes{r.shape("query_shape"), r.shape("value_shape")};
    // tf.keras writes key_shape = value_shape when the call had no key; build as that call did.
    if (r.has("key_shape") && r.shape("key_shape") != shapes[1]) shapes.push_back(r.shape("key_shape"));
    try {
      layer->maybe_build(shapes);
    } catch (const ValueError& e) {
      r.fail("query_shape", e.what());
    }
  }
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(MultiHeadAttentionImpl, "MultiHeadAttention");

}  // namespace xkeras::layers
