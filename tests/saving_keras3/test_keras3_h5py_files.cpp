// Writes the files tools/h5py_check.py reads with h5py (CTest runs it after this test: fixture
// "keras3_h5py_files"). Each model is saved as .keras and .weights.h5 next to a sidecar
// "<name>.expect.json" that states, in xkeras's own terms, what must be inside: every weight by
// "<layer name>/<weight name>" with its float32 bits (base64), the model config, and for a compiled
// model the optimizer's iterations, learning rate, slot names and slot values. The script derives the
// Keras paths itself from the config (§13.1) and compares bit for bit.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../../src/base64.hpp"
#include "../../models/compiled_state.hpp"
#include "k3_helpers.hpp"

using namespace xkeras;
using namespace k3test;

namespace {

json array_json(const Tensor& t) {
  json shape = json::array();
  for (auto d : t.shape()) shape.push_back(d);
  return {{"shape", shape}, {"data", base64::encode_floats(t.data(), t.size())}};
}

void collect(const Layer& layer, json& out) {
  for (const auto& v : layer.own_variables()) out[layer.name() + "/" + v->name] = array_json(v->value);
  for (const auto& s : layer.sublayers()) collect(*s, out);
}

void write_case(const std::string& dir, const std::string& name, const Model& m) {
  m.save(dir + "/" + name + ".keras");
  m.save_weights(dir + "/" + name + ".weights.h5");
  json expect;
  expect["config"] = json::parse(m.to_json());
  json weights = json::object();
  collect(*m, weights);
  expect["weights"] = weights;
  if (m->compiled()) {
    const auto& opt = *m->compiled()->optimizer.ptr();
    json trainable = json::array();
    for (const auto& v : m->trainable_weights()) trainable.push_back(v->owner->name() + "/" + v->name);
    json o = opt.get_state();  // {"iterations", "variables": {"<path>": {"<slot>": {shape, data}}}}
    o["learning_rate"] = opt.learning_rate();
    o["name"] = opt.name();
    o["class_name"] = opt.class_name();
    o["slot_names"] = opt.slot_names();
    o["trainable"] = trainable;
    expect["optimizer"] = o;
  }
  std::ofstream(dir + "/" + name + ".expect.json") << expect.dump(1);
}

}  // namespace

TEST_CASE("keras3 h5py files: write models for tools/h5py_check.py") {
  namespace fs = std::filesystem;
  const std::string dir = (fs::path(XKERAS_BINARY_DIR) / "tests" / "h5py_check" / "keras3").string();
  fs::remove_all(dir);
  fs::create_directories(dir);
  clear_session();
  write_case(dir, "sequential_mlp", sequential_mlp());
  write_case(dir, "two_inputs", functional_two_inputs());
  write_case(dir, "nested", nested_models());
  write_case(dir, "recurrent", recurrent_stack());
  write_case(dir, "attention", attention_model());
  write_case(dir, "adam_mlp", trained_adam_mlp());
  write_case(dir, "amsgrad_mlp", trained_mlp(optimizers::Adam(0.01f, 0.9f, 0.999f, 1e-7f, true)));
  write_case(dir, "rmsprop_mlp", trained_mlp(optimizers::RMSprop(0.01f, 0.9f, 0.5f, 1e-7f, true)));
  write_case(dir, "sgd_mlp", trained_mlp(optimizers::SGD(0.01f, 0.9f)));
  CHECK(fs::exists(dir + "/adam_mlp.expect.json"));
}
