#include "xkeras/layers/flatten.hpp"

#include <algorithm>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

FlattenImpl::FlattenImpl(std::string data_format, std::string name)
    : Layer("Flatten", std::move(name)), data_format_(data_format.empty() ? "channels_last" : std::move(data_format)) {
  if (data_format_ != "channels_last" && data_format_ != "channels_first")
    throw ValueError("Layer \"" + this->name() + "\" (Flatten): The `data_format` argument must be one of "
                     "{\"channels_first\", \"channels_last\"}. Received: data_format=" + data_format_);
  set_input_spec(InputSpec{.min_ndim = 1});
}

Tensor FlattenImpl::call(const Tensor& x, bool) {
  Tensor in = x;
  const std::size_t rank = x.ndim();
  if (data_format_ == "channels_first" && rank > 2) {
    // (b, c, d1, ..., dk) -> (b, d1, ..., dk, c)
    std::vector<std::size_t> perm{0};
    for (std::size_t d = 2; d < rank; ++d) perm.push_back(d);
    perm.push_back(1);
    in = ops::transpose(x, perm);
  }
  const std::size_t batch = rank == 0 ? 1 : x.dim(0);
  const std::size_t rest = batch == 0 ? 0 : x.size() / batch;
  return ops::reshape(in, Shape{batch, rest});
}

std::vector<TensorShape> FlattenImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (Flatten) expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  const TensorShape& s = input_shapes[0];
  if (s.empty()) incompatible(0, "expected min_ndim=1, found ndim=0", s);
  const Dim known = checked_sample_size(s, "Layer \"" + name() + "\" (Flatten)");
  const bool unknown = std::any_of(s.begin() + 1, s.end(), [](Dim d) { return d < 0; });
  return {TensorShape{s[0], unknown ? None : known}};
}

json FlattenImpl::get_config() const {
  json c = base_config();
  c["data_format"] = data_format_;
  return c;
}

std::shared_ptr<FlattenImpl> FlattenImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const std::string df = r.get_string("data_format", "channels_last");
  if (df != "channels_last" && df != "channels_first")
    r.fail("data_format", "expected \"channels_last\" or \"channels_first\", got \"" + df + "\"");
  auto layer = std::make_shared<FlattenImpl>(df, r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(FlattenImpl, "Flatten");

Flatten::Flatten(const std::string& data_format, const std::string& name)
    : Holder<FlattenImpl>(std::make_shared<FlattenImpl>(data_format, name)) {}

}  // namespace xkeras::layers
