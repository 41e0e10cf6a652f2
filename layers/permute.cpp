// Permute: one ops::transpose with the batch axis kept first (Keras's layers.Permute).
#include "xkeras/layers/permute.hpp"

#include <algorithm>

#include "layers/image_layer_utils.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
constexpr std::size_t kMaxRank = 16;

std::string dims_str(const std::vector<int>& v) {
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}
}  // namespace

PermuteImpl::PermuteImpl(std::vector<int> dims, const std::string& name)
    : Layer("Permute", name), dims_(std::move(dims)) {
  std::vector<int> sorted = dims_;
  std::sort(sorted.begin(), sorted.end());
  bool ok = !dims_.empty() && dims_.size() <= kMaxRank;
  for (std::size_t i = 0; ok && i < sorted.size(); ++i) ok = sorted[i] == static_cast<int>(i) + 1;
  if (!ok)
    throw ValueError(detail::who(*this) + ": Invalid permutation argument `dims` for Permute Layer. The set of indices "
                                          "in `dims` must be consecutive and start from 1. Received dims=" + dims_str(dims_));
  set_input_spec(InputSpec{.ndim = static_cast<int>(dims_.size()) + 1});
}

Tensor PermuteImpl::call(const Tensor& x, bool) {
  std::vector<std::size_t> perm{0};
  for (int d : dims_) perm.push_back(static_cast<std::size_t>(d));
  return ops::transpose(x, perm);
}

std::vector<TensorShape> PermuteImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(detail::who(*this) + " expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  const TensorShape& in = input_shapes[0];
  if (in.size() != dims_.size() + 1)
    incompatible(0, "expected ndim=" + std::to_string(dims_.size() + 1) + ", found ndim=" + std::to_string(in.size()), in);
  TensorShape out{in[0]};
  for (int d : dims_) out.push_back(in[static_cast<std::size_t>(d)]);
  return {out};
}

json PermuteImpl::get_config() const {
  json c = base_config();
  c["dims"] = dims_;
  return c;
}

std::shared_ptr<PermuteImpl> PermuteImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const json& j = r.raw("dims");
  if (!j.is_array() || j.empty() || j.size() > kMaxRank)
    r.fail("dims", "expected a list of 1 to " + std::to_string(kMaxRank) + " axis numbers, got " + shown(j));
  std::vector<int> dims;
  for (const auto& d : j) {
    if (!d.is_number_integer() || d.get<long long>() < 1 || d.get<long long>() > static_cast<long long>(kMaxRank))
      r.fail("dims", "expected a permutation of 1..k, got " + shown(j));
    dims.push_back(d.get<int>());
  }
  std::shared_ptr<PermuteImpl> layer;
  try {
    layer = std::make_shared<PermuteImpl>(dims, r.name());
  } catch (const ValueError& e) {
    r.fail("dims", e.what());
  }
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(PermuteImpl, "Permute");

Permute::Permute(std::vector<int> dims, const std::string& name)
    : Holder<PermuteImpl>(std::make_shared<PermuteImpl>(std::move(dims), name)) {}

}  // namespace xkeras::layers
