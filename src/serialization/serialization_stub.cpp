// STUB FILE: model JSON, save/load and summary are to be written.
#include "xkeras/errors.hpp"
#include "xkeras/models/sequential.hpp"

namespace xkeras {
json ModelImpl::get_config() const { throw NotImplementedError("Functional get_config"); }
std::shared_ptr<ModelImpl> ModelImpl::from_config(const json&, const std::string&) { throw NotImplementedError("Functional from_config"); }
json SequentialImpl::get_config() const { throw NotImplementedError("Sequential get_config"); }
std::shared_ptr<SequentialImpl> SequentialImpl::from_config(const json&, const std::string&) { throw NotImplementedError("Sequential from_config"); }
void Model::summary(std::ostream&) const { throw NotImplementedError("summary"); }
void Model::summary() const { throw NotImplementedError("summary"); }
std::string Model::to_json(int) const { throw NotImplementedError("to_json"); }
void Model::save(const std::string&) const { throw NotImplementedError("save"); }
Model model_from_json(const std::string&) { throw NotImplementedError("model_from_json"); }
Model load_model(const std::string&) { throw NotImplementedError("load_model"); }
}  // namespace xkeras
