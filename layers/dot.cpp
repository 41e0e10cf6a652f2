// Dot: batch dot product of two inputs (Keras's merging/dot.py, batch_dot).
#include <numeric>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/batch_matmul.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
constexpr float kNormalizeEpsilon = 1e-7f;  // Keras 3's ops.normalize without an epsilon: backend.epsilon()
constexpr int kMaxAxis = 64;
}  // namespace

DotImpl::DotImpl(DotAxes axes, bool normalize, std::string name)
    : MergeImpl("Dot", std::move(name)), axes_(axes), normalize_(normalize) {
  for (int a : {axes_.first, axes_.second}) {
    if (a == 0)
      fail("Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy batch dimension to "
           "your inputs.");
    if (a < -kMaxAxis || a > kMaxAxis) fail("expected axes between -64 and 64, received axes=" + std::to_string(a));
  }
}

void DotImpl::check_input_count(std::size_t n) const {
  if (n != 2) fail("A `Dot` layer should be called on a list of 2 inputs. Received " + std::to_string(n) + " inputs.");
}

std::pair<std::size_t, std::size_t> DotImpl::resolved_axes(std::size_t rank1, std::size_t rank2) const {
  // Keras: a negative axis is taken modulo the input's rank; a positive one is used as given.
  auto resolve = [](int a, std::size_t rank) -> long {
    const long r = static_cast<long>(rank);
    return a < 0 ? ((a % r) + r) % r : a;
  };
  const long a0 = resolve(axes_.first, rank1), a1 = resolve(axes_.second, rank2);
  const std::string axes_str = axes_.is_pair ? "(" + std::to_string(axes_.first) + ", " + std::to_string(axes_.second) + ")"
                                             : std::to_string(axes_.first);
  if (a0 >= static_cast<long>(rank1) || a1 >= static_cast<long>(rank2))
    fail("axes=" + axes_str + " is out of range for inputs of ranks " + std::to_string(rank1) + " and " +
         std::to_string(rank2));
  if (a0 == 0 || a1 == 0)
    fail("Cannot perform batch_dot over axis 0 (axes=" + axes_str + " for inputs of ranks " + std::to_string(rank1) +
         " and " + std::to_string(rank2) + ")");
  return {static_cast<std::size_t>(a0), static_cast<std::size_t>(a1)};
}

TensorShape DotImpl::merged_shape(const std::vector<TensorShape>& shapes) const {
  const TensorShape &s1 = shapes[0], &s2 = shapes[1];
  if (s1.size() < 2 || s2.size() < 2)
    fail("Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes " + shapes_str(shapes));
  if (s1[0] >= 0 && s2[0] >= 0 && s1[0] != s2[0])
    fail("Cannot do batch_dot on inputs with different batch sizes. Received inputs with shapes " + shapes_str(shapes));
  const auto [a0, a1] = resolved_axes(s1.size(), s2.size());
  if (s1[a0] >= 0 && s2[a1] >= 0 && s1[a0] != s2[a1])
    fail("Incompatible input shapes: axis values " + std::to_string(s1[a0]) + " (at axis " + std::to_string(a0) +
         ") != " + std::to_string(s2[a1]) + " (at axis " + std::to_string(a1) + "). Full input shapes: " +
         shapes_str(shapes));
  TensorShape out;
  out.push_back(s1[0] >= 0 ? s1[0] : s2[0]);
  for (std::size_t d = 1; d < s1.size(); ++d)
    if (d != a0) out.push_back(s1[d]);
  for (std::size_t d = 1; d < s2.size(); ++d)
    if (d != a1) out.push_back(s2[d]);
  if (out.size() == 1) out.push_back(1);
  checked_sample_size(out, "Layer \"" + name() + "\" (Dot)");  // an outer product can be huge
  return out;
}

Tensor DotImpl::merge_function(const Tensors& xs) const {
  Tensor x1 = xs[0], x2 = xs[1];
  const auto [a0, a1] = resolved_axes(x1.ndim(), x2.ndim());
  if (normalize_) {
    x1 = ops::unit_normalize(x1, {static_cast<int>(a0)}, kNormalizeEpsilon);
    x2 = ops::unit_normalize(x2, {static_cast<int>(a1)}, kNormalizeEpsilon);
  }
  const Shape s1 = x1.shape(), s2 = x2.shape();
  // x1 -> (B, M, K) with the contracted axis moved last; x2 -> (B, K, N) with it moved to axis 1.
  // Both keep their free axes in order, so the product's (M, N) unfold to x1's then x2's free axes.
  std::vector<std::size_t> p1{0}, p2{0, a1};
  Shape out{s1[0]};
  std::size_t m = 1, n = 1;
  for (std::size_t d = 1; d < s1.size(); ++d)
    if (d != a0) { p1.push_back(d); out.push_back(s1[d]); m *= s1[d]; }
  p1.push_back(a0);
  for (std::size_t d = 1; d < s2.size(); ++d)
    if (d != a1) { p2.push_back(d); out.push_back(s2[d]); n *= s2[d]; }
  auto moved = [](const Tensor& x, const std::vector<std::size_t>& perm) {
    std::vector<std::size_t> identity(perm.size());
    std::iota(identity.begin(), identity.end(), std::size_t(0));
    return perm == identity ? x : ops::transpose(x, perm);
  };
  const Tensor a = ops::reshape(moved(x1, p1), Shape{s1[0], m, s1[a0]});
  const Tensor b = ops::reshape(moved(x2, p2), Shape{s2[0], s2[a1], n});
  if (out.size() == 1) out.push_back(1);
  return ops::reshape(ops::batch_matmul(a, b), out);
}

json DotImpl::get_config() const {
  json c = base_config();
  c["axes"] = axes_.is_pair ? json::array({axes_.first, axes_.second}) : json(axes_.first);
  c["normalize"] = normalize_;
  return c;
}

std::shared_ptr<DotImpl> DotImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const json& axes = r.raw("axes");
  auto axis = [&](const json& v) {
    if (!v.is_number_integer() || v.get<long long>() == 0 || std::llabs(v.get<long long>()) > kMaxAxis)
      r.fail("axes", "expected a non-zero axis integer (the batch axis 0 cannot be contracted) or a list of two, got " +
                         shown(axes));
    return v.get<int>();
  };
  std::optional<DotAxes> a;
  if (axes.is_number()) a = DotAxes(axis(axes));
  else if (axes.is_array() && axes.size() == 2) a = DotAxes(axis(axes[0]), axis(axes[1]));
  else r.fail("axes", "expected an integer or a list of two integers, got " + shown(axes));
  auto layer = std::make_shared<DotImpl>(*a, r.get_bool("normalize", false), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(DotImpl, "Dot");

Dot::Dot(DotAxes axes, bool normalize, const std::string& name)
    : MergeHolder<DotImpl>(std::make_shared<DotImpl>(axes, normalize, name)) {}

Dot::Dot(std::initializer_list<int> axes, bool normalize, const std::string& name)
    : MergeHolder<DotImpl>(nullptr) {
  if (axes.size() != 2)
    throw ValueError("Dot: Invalid format for argument `axes`: it should contain two elements. Received " +
                     std::to_string(axes.size()));
  ptr_ = std::make_shared<DotImpl>(DotAxes(*axes.begin(), *(axes.begin() + 1)), normalize, name);
}

}  // namespace xkeras::layers
