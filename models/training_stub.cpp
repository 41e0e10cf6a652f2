// STUB FILE: optimizers, losses, metrics and the training loop are to be written.
#include "models/compiled_state.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras {
Optimizer::Optimizer(const char* n) : Optimizer(std::string(n)) {}
Optimizer::Optimizer(const std::string& n) { throw NotImplementedError("optimizer " + n); }
json Optimizer::to_json() const { return nullptr; }
Loss::Loss(const char* n) : Loss(std::string(n)) {}
Loss::Loss(const std::string& n) { throw NotImplementedError("loss " + n); }
json Loss::to_json() const { return nullptr; }
Metric::Metric(const char* n) : name_(n) {}
Metric::Metric(const std::string& n) : name_(n) {}
const std::vector<double>& History::operator[](const std::string& key) const { return history.at(key); }

void Model::compile(const Optimizer&, const Loss&, const std::vector<Metric>&) const { throw NotImplementedError("compile"); }
void Model::compile(const Optimizer&, const std::vector<Loss>&, const std::vector<Metric>&) const { throw NotImplementedError("compile"); }
History Model::fit(const Tensor&, const Tensor&, const FitOptions&) const { throw NotImplementedError("fit"); }
History Model::fit(const Tensors&, const Tensors&, const FitOptions&) const { throw NotImplementedError("fit"); }
std::map<std::string, double> Model::evaluate(const Tensor&, const Tensor&, int, int) const { throw NotImplementedError("evaluate"); }
std::map<std::string, double> Model::evaluate(const Tensors&, const Tensors&, int, int) const { throw NotImplementedError("evaluate"); }
Tensor Model::predict(const Tensor&, int, int) const { throw NotImplementedError("predict"); }
Tensors Model::predict(const Tensors&, int, int) const { throw NotImplementedError("predict"); }
std::map<std::string, double> Model::train_on_batch(const Tensor&, const Tensor&) const { throw NotImplementedError("train_on_batch"); }
std::map<std::string, double> Model::train_on_batch(const Tensors&, const Tensors&) const { throw NotImplementedError("train_on_batch"); }
}  // namespace xkeras
