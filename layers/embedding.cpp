#include "xkeras/layers/embedding.hpp"

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/sequence.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

EmbeddingImpl::EmbeddingImpl(int input_dim, int output_dim, EmbeddingOptions options)
    : Layer("Embedding", options.name), input_dim_(input_dim), output_dim_(output_dim), options_(std::move(options)) {
  for (auto [arg, v] : {std::pair{"input_dim", input_dim_}, std::pair{"output_dim", output_dim_}})
    if (v <= 0)
      throw ValueError("Layer \"" + name() + "\" (Embedding): Received an invalid value for `" + arg +
                       "`, expected a positive integer. Received: " + arg + "=" + std::to_string(v));
}

void EmbeddingImpl::build(const TensorShape&) {
  embeddings_ = add_weight("embeddings", {static_cast<std::size_t>(input_dim_), static_cast<std::size_t>(output_dim_)},
                           options_.embeddings_initializer, true, options_.embeddings_regularizer,
                           options_.embeddings_constraint);
}

Tensor EmbeddingImpl::call(const Tensor& x, bool) {
  try {
    return ops::take(embeddings_->value, x, 0);
  } catch (const ValueError& e) {
    throw ValueError("Layer \"" + name() + "\" (Embedding, input_dim=" + std::to_string(input_dim_) + "): " + e.what());
  }
}

std::vector<TensorShape> EmbeddingImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (Embedding) expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  TensorShape out = input_shapes[0];
  out.push_back(output_dim_);
  check_sample_shape(out, "Layer \"" + name() + "\" (Embedding)");
  return {out};
}

// Keras compares the raw inputs with 0 (before any cast), so a float id of 0.5 is not masked.
Tensors EmbeddingImpl::compute_mask(const Tensors& xs, const Tensors&) {
  if (!options_.mask_zero || xs.empty()) return Tensors(xs.size() ? 1 : 0);
  const Tensor& x = xs[0];
  Array m = Array::from_shape(x.shape());
  float* pm = m.data();
  if (x.is_int()) {
    const std::int32_t* p = x.idata();
    for (std::size_t i = 0, n = x.size(); i < n; ++i) pm[i] = p[i] != 0 ? 1.0f : 0.0f;
  } else {
    const float* p = x.data();
    for (std::size_t i = 0, n = x.size(); i < n; ++i) pm[i] = p[i] != 0.0f ? 1.0f : 0.0f;
  }
  return {Tensor(std::move(m))};
}

json EmbeddingImpl::get_config() const {
  json c = base_config();
  c["input_dim"] = input_dim_;
  c["output_dim"] = output_dim_;
  c["embeddings_initializer"] = options_.embeddings_initializer.to_json();
  c["embeddings_regularizer"] = options_.embeddings_regularizer.to_json();
  c["activity_regularizer"] = nullptr;
  c["embeddings_constraint"] = options_.embeddings_constraint.to_json();
  c["mask_zero"] = options_.mask_zero;
  // Keras >= 3.13 adds "quantization_config": null; left out as Dense does (3.0-3.12 reject it).
  return c;
}

std::shared_ptr<EmbeddingImpl> EmbeddingImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  if (r.has("activity_regularizer")) r.fail("activity_regularizer", "activity regularizers are not supported");
  if (r.has("lora_rank")) r.fail("lora_rank", "LoRA Embedding layers are not supported");
  if (r.has("quantization_config")) r.fail("quantization_config", "quantized Embedding layers are not supported");
  if (r.get_bool("sparse", false)) r.fail("sparse", "sparse Embedding gradients are not supported");
  // input_length (Keras 2, tf.keras, TFJS) only fixed the static output length; Keras 3 drops it.
  // It must still be a valid length when present.
  if (r.has("input_length")) {
    const json& l = r.raw("input_length");
    const bool ok = l.is_number_integer() ? l.get<long long>() > 0 && l.get<long long>() <= kMaxSampleValues
                                          : l.is_array() && l.size() <= 8;  // Keras 2 also allowed a list
    if (!ok) r.fail("input_length", "expected a positive integer, got " + shown(l));
  }
  EmbeddingOptions o;
  o.embeddings_initializer = r.initializer("embeddings_initializer", "uniform");
  o.embeddings_regularizer = r.regularizer("embeddings_regularizer");
  o.embeddings_constraint = r.constraint("embeddings_constraint");
  o.mask_zero = r.get_bool("mask_zero", false);
  o.name = r.name();
  auto layer = std::make_shared<EmbeddingImpl>(r.positive_int("input_dim"), r.positive_int("output_dim"), std::move(o));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(EmbeddingImpl, "Embedding");

Embedding::Embedding(int input_dim, int output_dim, EmbeddingOptions options)
    : Holder<EmbeddingImpl>(std::make_shared<EmbeddingImpl>(input_dim, output_dim, std::move(options))) {}

}  // namespace xkeras::layers
