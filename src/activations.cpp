#include "xkeras/activations.hpp"

#include <algorithm>
#include <map>

#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"

namespace xkeras::activations {

namespace {

using Fn = Tensor (*)(const Tensor&);

// Canonical names (what Keras 3 serializes; hard_sigmoid_keras2 and gelu_new are ours / TFJS's).
const std::map<std::string, Fn>& table() {
  static const std::map<std::string, Fn> t = {
      {"linear", [](const Tensor& x) { return x; }},
      {"relu", [](const Tensor& x) { return ops::relu(x); }},
      {"relu6", [](const Tensor& x) { return ops::relu6(x); }},
      {"leaky_relu", [](const Tensor& x) { return ops::leaky_relu(x, 0.2f); }},  // the string's slope; the layer's is 0.3
      {"elu", [](const Tensor& x) { return ops::elu(x, 1.0f); }},
      {"selu", [](const Tensor& x) { return ops::selu(x); }},
      {"sigmoid", [](const Tensor& x) { return ops::sigmoid(x); }},
      {"tanh", [](const Tensor& x) { return ops::tanh(x); }},
      {"softplus", [](const Tensor& x) { return ops::softplus(x); }},
      {"softsign", [](const Tensor& x) { return ops::softsign(x); }},
      {"exponential", [](const Tensor& x) { return ops::exp(x); }},
      {"silu", [](const Tensor& x) { return ops::swish(x); }},
      {"gelu", [](const Tensor& x) { return ops::gelu(x, false); }},  // the string form is exact (erf)
      {"gelu_new", [](const Tensor& x) { return ops::gelu(x, true); }},  // TFJS: the tanh approximation
      {"hard_sigmoid", [](const Tensor& x) { return ops::hard_sigmoid(x, 1.0f / 6.0f); }},     // Keras 3
      {"hard_sigmoid_keras2", [](const Tensor& x) { return ops::hard_sigmoid(x, 0.2f); }},     // Keras 1/2, TFJS
      {"hard_silu", [](const Tensor& x) { return ops::hard_silu(x); }},
      {"mish", [](const Tensor& x) { return ops::mish(x); }},
      {"softmax", [](const Tensor& x) { return ops::softmax(x, -1); }},
      {"log_softmax", [](const Tensor& x) { return ops::log_softmax(x, -1); }},
      {"celu", [](const Tensor& x) { return ops::celu(x, 1.0f); }},
      {"glu", [](const Tensor& x) { return ops::glu(x, -1); }},
      {"hard_tanh", [](const Tensor& x) { return ops::hard_tanh(x); }},
      {"hard_shrink", [](const Tensor& x) { return ops::hard_shrink(x, 0.5f); }},
      {"soft_shrink", [](const Tensor& x) { return ops::soft_shrink(x, 0.5f); }},
      {"squareplus", [](const Tensor& x) { return ops::squareplus(x, 4.0f); }},
      {"tanh_shrink", [](const Tensor& x) { return ops::tanh_shrink(x); }},
      {"log_sigmoid", [](const Tensor& x) { return ops::log_sigmoid(x); }},
      {"sparse_plus", [](const Tensor& x) { return ops::sparse_plus(x); }},
      {"sparsemax", [](const Tensor& x) { return ops::sparsemax(x, -1); }},
      {"sparse_sigmoid", [](const Tensor& x) { return ops::sparse_sigmoid(x); }},
  };
  return t;
}

// Other spellings -> canonical name. Keras 3 aliases; TensorFlow.js identifiers as its TypeScript
// side spells them (its files snake_case them, which the table above already covers).
const std::map<std::string, std::string>& aliases() {
  static const std::map<std::string, std::string> a = {
      {"swish", "silu"},
      {"hard_swish", "hard_silu"},
      {"hardSigmoid", "hard_sigmoid_keras2"},  // TFJS's only hard sigmoid is the 0.2 slope one
      {"logSoftmax", "log_softmax"},
      {"geluNew", "gelu_new"},
  };
  return a;
}

const std::string* resolve(const std::string& name) {
  if (auto it = table().find(name); it != table().end()) return &it->first;
  if (auto it = aliases().find(name); it != aliases().end()) return &it->second;
  return nullptr;
}

}  // namespace

bool exists(const std::string& name) { return resolve(name) != nullptr; }

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& [k, v] : table()) out.push_back(k);
  for (const auto& [k, v] : aliases()) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

void check(const std::string& name) {
  if (exists(name)) return;
  std::string known;
  for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
  throw ValueError("Unknown activation function: \"" + name + "\". Known: " + known);
}

std::string canonical(const std::string& name) {
  check(name);
  return *resolve(name);
}

Tensor apply(const std::string& name, const Tensor& x) {
  const std::string* c = resolve(name);
  if (!c) check(name);
  return table().at(*c)(x);
}

}  // namespace xkeras::activations
