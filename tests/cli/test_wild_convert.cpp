// xkeras-convert on real files from public projects (../shared/wild_keras_files, read in place, never
// copied; MANIFEST.md says what each is). Each conversion is read back by the library and predicts bit
// for bit what the original file predicts (every format involved stores float32); where the same model
// was saved by Keras in two formats, the conversion of one agrees with the other.
#include <cstdlib>

#include <catch2/catch.hpp>

#include "wild/wild_dir.hpp"

#include "cli_helpers.hpp"

using namespace clitest;
namespace fs = std::filesystem;

namespace {

std::string wild(const std::string& name) {
  const fs::path p = wildtest::shared_dir() / "wild_keras_files" / name;
  REQUIRE(fs::exists(p));  // a missing file fails: nothing is skipped
  return p.string();
}

void convert_ok(const std::vector<std::string>& args) {
  const Run r = convert(args);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
}

void check_bit_equal(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  CHECK(bit_equal(a, b));
}

}  // namespace

TEST_CASE("a Keras 3.10 archive converts to TensorFlow.js and xkeras JSON with the same predictions") {
  const std::string src = wild("fashion_cnn_k310.keras");
  const std::string dir = scratch("wild_fashion");
  const Model original = load_model(src);
  const Tensor x = input_for({2, 28, 28, 1}, 31);
  const Tensor want = original.predict(x);
  convert_ok({src, dir + "/web/model.json"});
  check_bit_equal(load_model(dir + "/web/model.json").predict(x), want);
  convert_ok({src, dir + "/m.json"});
  check_bit_equal(load_model(dir + "/m.json").predict(x), want);
  convert_ok({dir + "/web", dir + "/again.keras"});
  check_bit_equal(load_model(dir + "/again.keras").predict(x), want);

  // Conv2D 3*3*1*32 + 32, 3*3*32*64 + 64, Dense 1600*64 + 64, 64*10 + 10: the arrays of its
  // model.weights.h5 under layers/ as h5py lists them, 121,930 values.
  const Run r = convert({"--summary", src});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("Total params: 121,930") != std::string::npos);
}

TEST_CASE("a Keras 3.2 legacy h5 converted to .keras predicts what Keras's own .keras of the model predicts") {
  // The repository committed the same trained model as model.h5 and model.keras (MANIFEST: identical outputs).
  const std::string dir = scratch("wild_ecg");
  convert_ok({wild("ecg_arrhythmia.h5"), dir + "/from_h5.keras"});
  const Model keras_own = load_model(wild("ecg_arrhythmia.keras"));
  const Model converted = load_model(dir + "/from_h5.keras");
  CHECK(converted.count_params() == keras_own.count_params());
  TensorShape in = keras_own->inputs()[0].shape();
  Shape s{2};
  for (std::size_t k = 1; k < in.size(); ++k) s.push_back(static_cast<std::size_t>(in[k]));
  const Tensor x = input_for(s, 32);
  check_bit_equal(converted.predict(x), keras_own.predict(x));
}

TEST_CASE("a tf.keras architecture JSON plus its save_weights h5 converts to .keras and TensorFlow.js") {
  const std::string arch = wild("arch_json/accel_nn.json"), weights = wild("accel_nn.h5");
  const std::string dir = scratch("wild_accel");
  Model reference = model_from_json(slurp(arch));
  reference.load_weights(weights);
  TensorShape in = reference->inputs()[0].shape();
  Shape s{3};
  for (std::size_t k = 1; k < in.size(); ++k) s.push_back(static_cast<std::size_t>(in[k]));
  const Tensor x = input_for(s, 33);
  const Tensor want = reference.predict(x);
  convert_ok({arch, dir + "/accel.keras", "--weights", weights});
  check_bit_equal(load_model(dir + "/accel.keras").predict(x), want);
  convert_ok({arch, dir + "/web/", "-w", weights});
  check_bit_equal(load_model(dir + "/web/model.json").predict(x), want);
}

TEST_CASE("a Keras 3 architecture JSON plus its weights.h5 converts to a legacy h5") {
  const std::string arch = wild("arch_json/diabetes_mlp.weights.json"), weights = wild("diabetes_mlp.weights.h5");
  const std::string dir = scratch("wild_diabetes");
  Model reference = model_from_json(slurp(arch));
  reference.load_weights(weights);
  TensorShape in = reference->inputs()[0].shape();
  Shape s{4};
  for (std::size_t k = 1; k < in.size(); ++k) s.push_back(static_cast<std::size_t>(in[k]));
  const Tensor x = input_for(s, 34);
  convert_ok({arch, dir + "/diabetes.h5", "--weights", weights});
  check_bit_equal(load_model(dir + "/diabetes.h5").predict(x), reference.predict(x));
}
