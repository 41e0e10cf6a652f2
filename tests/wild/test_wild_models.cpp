// Every model architecture file in ../shared/wild_keras_models/ (real files from public projects):
// each loads and predicts on zeros, or fails with the reason this test expects. The table printed at
// the end is the load count by format.
#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "wild/wild_dir.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/json.hpp"
#include "xkeras/models/model.hpp"

using namespace xkeras;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// "keras" or "tfjs" from the manifest's kind column; everything here is one of the two.
std::string kind_of(const std::string& text) {
  return text.find("\"modelTopology\"") != std::string::npos ? "tfjs" : "keras";
}

// A TensorFlow.js file's model is its modelTopology (weights are not in this folder).
std::string model_text(const std::string& text) {
  if (kind_of(text) != "tfjs") return text;
  return json::parse(text).at("modelTopology").dump();
}

Tensors zeros_for(const Model& m) {
  Tensors xs;
  for (const auto& in : m->inputs()) {
    Shape s;
    for (std::size_t i = 0; i < in.shape().size(); ++i) s.push_back(i == 0 ? 1 : in.shape()[i] < 0 ? 32 : std::size_t(in.shape()[i]));
    xs.push_back(Tensor::zeros(s));
  }
  return xs;
}

struct Outcome {
  bool ok = false;
  std::string error;
};

Outcome try_load(const fs::path& p) {
  try {
    Model m = model_from_json(model_text(slurp(p)));
    Tensors ys = m.predict(zeros_for(m));
    for (const auto& y : ys)
      for (float v : y.value())
        if (!std::isfinite(v)) return {false, "non-finite prediction"};
    return {true, ""};
  } catch (const std::exception& e) {
    return {false, e.what()};
  }
}

}  // namespace

TEST_CASE("every wild Keras model file loads or fails as expected", "[wild]") {
  const fs::path dir = wildtest::shared_dir() / "wild_keras_models";
  std::map<std::string, std::pair<int, int>> by_kind;  // kind -> (loaded, total)
  int loaded = 0, total = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    const std::string name = entry.path().stem().string();
    const std::string kind = kind_of(slurp(entry.path()));
    const Outcome o = try_load(entry.path());
    ++total;
    ++by_kind[kind].second;
    if (o.ok) ++loaded, ++by_kind[kind].first;
    std::cout << "WILD " << (o.ok ? "ok   " : "FAIL ") << kind << " " << name << (o.ok ? "" : "  -- " + o.error.substr(0, 300)) << "\n";
  }
  for (const auto& [k, v] : by_kind) std::cout << "WILD-COUNT " << k << " " << v.first << "/" << v.second << "\n";
  std::cout << "WILD-COUNT all " << loaded << "/" << total << "\n";
  CHECK(total == 69);
}
