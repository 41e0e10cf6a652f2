#include "xkeras/activations.hpp"

#include <functional>
#include <map>

#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"

namespace xkeras::activations {

namespace {

const std::map<std::string, std::function<Tensor(const Tensor&)>>& table() {
  static const std::map<std::string, std::function<Tensor(const Tensor&)>> t = {
      {"linear", [](const Tensor& x) { return x; }},
      {"relu", [](const Tensor& x) { return ops::relu(x); }},
      {"sigmoid", [](const Tensor& x) { return ops::sigmoid(x); }},
      {"tanh", [](const Tensor& x) { return ops::tanh(x); }},
      {"softmax", [](const Tensor& x) { return ops::softmax(x, -1); }},
      {"log_softmax", [](const Tensor& x) { return ops::log_softmax(x, -1); }},
      {"elu", [](const Tensor& x) { return ops::elu(x, 1.0f); }},
      {"selu", [](const Tensor& x) { return ops::selu(x); }},
      {"softplus", [](const Tensor& x) { return ops::softplus(x); }},
      {"softsign", [](const Tensor& x) { return ops::softsign(x); }},
      {"gelu", [](const Tensor& x) { return ops::gelu(x, false); }},  // Keras 3 default: approximate=False
      {"swish", [](const Tensor& x) { return ops::swish(x); }},
      {"silu", [](const Tensor& x) { return ops::swish(x); }},
      {"leaky_relu", [](const Tensor& x) { return ops::leaky_relu(x, 0.2f); }},
      {"exponential", [](const Tensor& x) { return ops::exp(x); }},
      // hard_sigmoid (Keras 3): relu6(x + 3) / 6
      {"hard_sigmoid", [](const Tensor& x) { return ops::clip(ops::scale(ops::add_scalar(x, 3.0f), 1.0f / 6.0f), 0.0f, 1.0f); }},
  };
  return t;
}

}  // namespace

bool exists(const std::string& name) { return table().count(name) > 0; }

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& [k, v] : table()) out.push_back(k);
  return out;
}

void check(const std::string& name) {
  if (exists(name)) return;
  std::string known;
  for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
  throw ValueError("Unknown activation function: \"" + name + "\". Known: " + known);
}

Tensor apply(const std::string& name, const Tensor& x) {
  auto it = table().find(name);
  if (it == table().end()) check(name);
  return it->second(x);
}

}  // namespace xkeras::activations
