// Checks shared by the layer tests: config round trip through the registry, and
// compute_output_shape against the real output shape.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include <xkeras/layer.hpp>
#include <xkeras/models/model.hpp>  // xkeras::Input(shape) is declared there
#include <xkeras/registry.hpp>

namespace xkeras::testing {

/// get_config() -> layer_from_config(class_name, config, "config") -> the same get_config().
inline LayerPtr check_config_round_trip(const Layer& layer) {
  const json config = layer.get_config();
  LayerPtr again = layer_from_config(layer.class_name(), config, "config");
  REQUIRE(again != nullptr);
  CHECK(again->class_name() == layer.class_name());
  CHECK(again->get_config() == config);
  return again;
}

inline TensorShape shape_of(const Tensor& t) {
  const Shape s = t.shape();
  return TensorShape(s.begin(), s.end());
}

/// compute_output_shape for the inputs' shapes with the batch unknown (None) and known must
/// both agree with the shape of the real eager output.
inline void check_output_shape(Layer& layer, const Tensors& xs) {
  const Tensors ys = layer(xs, false);
  std::vector<TensorShape> known, unknown_batch;
  for (const auto& x : xs) {
    known.push_back(shape_of(x));
    unknown_batch.push_back(shape_of(x));
    unknown_batch.back()[0] = None;
  }
  const auto predicted = layer.compute_output_shape(unknown_batch);
  const auto predicted_known = layer.compute_output_shape(known);
  REQUIRE(predicted.size() == ys.size());
  REQUIRE(predicted_known.size() == ys.size());
  for (std::size_t i = 0; i < ys.size(); ++i) {
    const TensorShape real = shape_of(ys[i]);
    INFO("output " << i << ": real " << shape_str(real) << ", predicted " << shape_str(predicted[i]) << " / "
                   << shape_str(predicted_known[i]));
    REQUIRE(predicted[i].size() == real.size());
    CHECK(predicted[i][0] == None);
    for (std::size_t d = 1; d < real.size(); ++d) CHECK(predicted[i][d] == real[d]);
    CHECK((predicted_known[i][0] == None || predicted_known[i][0] == real[0]));
    for (std::size_t d = 1; d < real.size(); ++d) CHECK(predicted_known[i][d] == real[d]);
  }
}

/// The keys of a JSON object in iteration order.
inline std::vector<std::string> keys_of(const json& j) {
  std::vector<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
  return out;
}

/// Checks a config's keys and their order against Keras's (xkeras::json keeps insertion order).
inline void check_key_order(const json& config, const std::vector<std::string>& expected) {
  CHECK(keys_of(config) == expected);
}

}  // namespace xkeras::testing
