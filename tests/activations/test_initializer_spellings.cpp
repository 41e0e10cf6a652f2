// Initializer names and configs in the spellings of Keras 3, tf.keras, multi-backend Keras 2 and
// TensorFlow.js (/work/shared/reference/keras_reference_layers2.md §10, §2.5, §12.3), the Keras 3
// objects we write, and the errors.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/initializers.hpp>

using namespace xkeras;

namespace {
const Shape kShape{6, 4};

Initializer parse(const json& j) { return Initializer::from_json(j, "config.kernel_initializer"); }

// Same class and same draws (seeded) as `want`.
void check_same(const Initializer& got, const Initializer& want) {
  CHECK(got.class_name() == want.class_name());
  CHECK(got.to_json() == want.to_json());
  CHECK((got(kShape) == want(kShape)));
}

std::string error_of(const json& j) {
  try {
    parse(j);
  } catch (const ConfigError& e) {
    return e.what();
  }
  FAIL("no ConfigError for " << j.dump());
  return "";
}
}  // namespace

TEST_CASE("initializer names: Keras 3 classes, snake_case, aliases, tf.keras V2 and TFJS spellings") {
  const std::vector<std::pair<std::vector<std::string>, std::string>> names = {
      {{"Zeros", "zeros", "zero", "ZerosV2"}, "Zeros"},
      {{"Ones", "ones", "one", "OnesV2"}, "Ones"},
      {{"Constant", "constant", "ConstantV2"}, "Constant"},
      {{"RandomNormal", "random_normal", "normal", "RandomNormalV2", "randomNormal"}, "RandomNormal"},
      {{"RandomUniform", "random_uniform", "uniform", "RandomUniformV2", "randomUniform"}, "RandomUniform"},
      {{"TruncatedNormal", "truncated_normal", "TruncatedNormalV2", "truncatedNormal"}, "TruncatedNormal"},
      {{"VarianceScaling", "variance_scaling", "VarianceScalingV2", "varianceScaling"}, "VarianceScaling"},
      {{"GlorotUniform", "glorot_uniform", "GlorotUniformV2", "glorotUniform"}, "GlorotUniform"},
      {{"GlorotNormal", "glorot_normal", "GlorotNormalV2", "glorotNormal"}, "GlorotNormal"},
      {{"HeNormal", "he_normal", "HeNormalV2", "heNormal"}, "HeNormal"},
      {{"HeUniform", "he_uniform", "HeUniformV2", "heUniform"}, "HeUniform"},
      {{"LecunNormal", "lecun_normal", "LecunNormalV2", "leCunNormal", "LeCunNormal"}, "LecunNormal"},
      {{"LecunUniform", "lecun_uniform", "LecunUniformV2", "leCunUniform", "LeCunUniform"}, "LecunUniform"},
      {{"Orthogonal", "orthogonal", "OrthogonalInitializer", "OrthogonalV2"}, "Orthogonal"},
      {{"Identity", "identity", "IdentityInitializer", "IdentityV2"}, "Identity"},
  };
  for (const auto& [spellings, cls] : names)
    for (const auto& s : spellings) {
      INFO(s);
      CHECK(Initializer(s).class_name() == cls);
      CHECK(parse(s).class_name() == cls);
      CHECK(parse(json{{"class_name", s}, {"config", json::object()}}).class_name() == cls);
    }
}

TEST_CASE("initializer configs: Keras 3 objects, tf.keras objects, K2M and TFJS VarianceScaling") {
  using namespace initializers;
  // Keras 3 (module and registered_name are accepted and ignored)
  check_same(parse(json::parse(R"({"module": "keras.initializers", "class_name": "RandomNormal",
      "config": {"seed": 3, "mean": 0.5, "stddev": 0.2}, "registered_name": null})")), RandomNormal(0.5f, 0.2f, 3));
  check_same(parse(json::parse(R"({"module": "keras.initializers", "class_name": "OrthogonalInitializer",
      "config": {"gain": 1.5, "seed": 4}, "registered_name": null})")), Orthogonal(1.5f, 4));
  // tf.keras 2.x (seed last; V2 class names; TF 1.x "dtype" is ignored)
  check_same(parse(json::parse(R"({"class_name": "RandomUniformV2", "config": {"minval": -1, "maxval": 2, "seed": 5}})")),
             RandomUniform(-1.0f, 2.0f, 5));
  check_same(parse(json::parse(R"({"class_name": "TruncatedNormal", "config": {"mean": 0, "stddev": 1, "seed": 6, "dtype": "float32"}})")),
             TruncatedNormal(0.0f, 1.0f, 6));
  check_same(parse(json::parse(R"({"class_name": "Identity", "config": {"gain": 3.0}})")), Identity(3.0f));
  check_same(parse(json::parse(R"({"class_name": "Constant", "config": {"value": 0.25}})")), Constant(0.25f));
  // multi-backend Keras 2: glorot_normal() wrote a VarianceScaling with distribution "normal"
  check_same(parse(json::parse(R"({"class_name": "VarianceScaling",
      "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "normal", "seed": 7}})")),
             VarianceScaling(1.0, "fan_avg", "truncated_normal", 7));
  // TFJS: snake_case values in its files, camelCase on its TypeScript side
  check_same(parse(json::parse(R"({"class_name": "VarianceScaling",
      "config": {"scale": 2, "mode": "fanAvg", "distribution": "truncatedNormal", "seed": 8}})")),
             VarianceScaling(2.0, "fan_avg", "truncated_normal", 8));
  CHECK(parse(json::parse(R"({"class_name": "VarianceScaling",
      "config": {"scale": 1, "mode": "fan_in", "distribution": "uniform", "seed": null}})")).to_json() ==
        VarianceScaling(1.0, "fan_in", "uniform").to_json());
  check_same(parse(json::parse(R"({"class_name": "LeCunNormal", "config": {"seed": 10}})")), LecunNormal(10));
  check_same(parse(json::parse(R"({"class_name": "varianceScaling",
      "config": {"scale": 0.5, "mode": "fanOut", "distribution": "UNTRUNCATED_NORMAL", "seed": 11}})")),
             VarianceScaling(0.5, "fan_out", "untruncated_normal", 11));
  // Keras >= 3.15 presets add null fan axes
  check_same(parse(json::parse(R"({"class_name": "GlorotUniform", "config": {"seed": 12, "input_axes": null, "output_axes": null}})")),
             GlorotUniform(12));
  // defaults when config is missing or null
  CHECK(parse(json::parse(R"({"class_name": "RandomUniform"})")).to_json() == RandomUniform().to_json());  // unseeded
  check_same(parse(json::parse(R"({"class_name": "Constant", "config": null})")), Constant(0.0f));
}

TEST_CASE("initializer to_json writes Keras 3 objects with Keras 3 key order, and reads them back") {
  using namespace initializers;
  const auto config = [](const Initializer& i) { return i.to_json()["config"].dump(); };
  CHECK(config(VarianceScaling(2.0, "fan_out", "uniform", 1)) ==
        R"({"seed":1,"scale":2.0,"mode":"fan_out","distribution":"uniform"})");
  CHECK(config(GlorotUniform()) == R"({"seed":null})");
  CHECK(config(Orthogonal(2.0f)) == R"({"seed":null,"gain":2.0})");
  CHECK(config(Identity()) == "{}");  // Keras 3 does not serialize gain
  CHECK(config(Identity(2.0f)) == R"({"gain":2.0})");  // ... we keep a non-default one (Keras 3 reads it)
  CHECK(config(RandomNormal(0.0f, 0.5f)) == R"({"seed":null,"mean":0.0,"stddev":0.5})");
  CHECK(config(TruncatedNormal(1.0f, 0.5f, 2)) == R"({"seed":2,"mean":1.0,"stddev":0.5})");
  CHECK(config(RandomUniform(-1.0f, 1.0f)) == R"({"seed":null,"minval":-1.0,"maxval":1.0})");
  CHECK(config(Constant(0.5f)) == R"({"value":0.5})");
  CHECK(config(Zeros()) == "{}");
  const json j = Orthogonal(1.0f, 3).to_json();
  CHECK(j.dump() == R"({"module":"keras.initializers","class_name":"Orthogonal","config":{"seed":3,"gain":1.0},"registered_name":null})");
  for (const Initializer& i : {VarianceScaling(2.0, "fan_out", "uniform", 1), VarianceScaling(1.0, "fan_avg", "untruncated_normal", 2),
                               HeNormal(3), LecunUniform(4), Orthogonal(0.5f, 5), Identity(2.0f), RandomNormal(1.0f, 2.0f, 6),
                               TruncatedNormal(0.0f, 1.0f, 7), RandomUniform(0.0f, 1.0f, 8), Constant(3.0f), Ones(), Zeros()}) {
    INFO(i.to_json().dump());
    check_same(parse(i.to_json()), i);
  }
}

TEST_CASE("initializer config errors name the JSON path and what was expected") {
  CHECK_THAT(error_of("glorot_uniformm"), Catch::Contains("config.kernel_initializer") && Catch::Contains("glorot_uniformm") &&
                                               Catch::Contains("GlorotUniform") && Catch::Contains("Orthogonal"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "VarianceScaling", "config": {"scale": 0}})")),
             Catch::Contains("config.kernel_initializer.config.scale") && Catch::Contains("positive"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "VarianceScaling", "config": {"mode": "fan_sum"}})")),
             Catch::Contains("config.kernel_initializer.config.mode") && Catch::Contains("fan_sum"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "VarianceScaling", "config": {"distribution": "gaussian"}})")),
             Catch::Contains("config.kernel_initializer.config.distribution") && Catch::Contains("gaussian"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "VarianceScaling", "config": {"mode": 3}})")),
             Catch::Contains(".config.mode") && Catch::Contains("expected a string"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "GlorotUniform", "config": {"seed": -1}})")),
             Catch::Contains(".config.seed") && Catch::Contains("non-negative integer"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "GlorotUniform", "config": {"scale": 2}})")),
             Catch::Contains(".config.scale") && Catch::Contains("unexpected key") && Catch::Contains("seed"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "HeNormal", "config": {"input_axes": [0]}})")),
             Catch::Contains(".config.input_axes") && Catch::Contains("not supported"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "RandomUniform", "config": {"minval": 1, "maxval": 0}})")),
             Catch::Contains(".config.minval"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "RandomNormal", "config": {"stddev": "big"}})")),
             Catch::Contains(".config.stddev") && Catch::Contains("number"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "Constant", "config": {"value": 1e300}})")),
             Catch::Contains(".config.value"));
  CHECK_THAT(error_of(json::parse(R"({"class_name": "Zeros", "config": [1]})")), Catch::Contains("expected an object"));
  CHECK_THAT(error_of(json(3)), Catch::Contains("expected an initializer name"));
  CHECK_THROWS_AS(Initializer("nope"), ValueError);
  CHECK_THROWS_WITH(Initializer("nope"), Catch::Contains("nope") && Catch::Contains("he_normal"));
}
