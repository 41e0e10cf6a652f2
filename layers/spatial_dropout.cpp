#include "xkeras/layers/spatial_dropout.hpp"

#include <cctype>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"
#include "layers/noise_utils.hpp"

namespace xkeras::layers {

namespace {
std::string class_for(int rank) {
  if (rank < 3 || rank > 5) throw ValueError("SpatialDropout: expected an input rank of 3, 4 or 5, got " + std::to_string(rank));
  return "SpatialDropout" + std::to_string(rank - 2) + "D";
}
}  // namespace

SpatialDropoutImpl::SpatialDropoutImpl(int rank, double rate, const std::string& data_format,
                                       std::optional<std::uint64_t> seed, std::string name)
    : RandomLayerImpl(class_for(rank), seed, std::move(name)), rank_(rank), rate_(rate) {
  check_fraction("rate", rate_);
  std::string f = data_format;
  for (auto& ch : f) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (f.empty()) f = "channels_last";  // Keras's image_data_format() default
  if (f != "channels_last" && f != "channels_first")
    throw ValueError("Layer \"" + this->name() + "\" (" + class_name() + "): The `data_format` argument must be one of "
                     "\"channels_first\", \"channels_last\". Received: data_format=" + data_format);
  if (rank_ == 3 && f != "channels_last")
    throw ValueError("Layer \"" + this->name() + "\" (SpatialDropout1D) has no data_format: its channels are the last axis");
  data_format_ = f;
  set_input_spec(InputSpec{.ndim = rank_});
}

Tensor SpatialDropoutImpl::call(const Tensor& x, bool training) {
  if (!training || rate_ == 0.0) return x;
  const Shape in = x.shape();
  if (in.size() != static_cast<std::size_t>(rank_))
    incompatible(0, "expected ndim=" + std::to_string(rank_), TensorShape(in.begin(), in.end()));
  // Noise shape (B, 1, ..., 1, C) or (B, C, 1, ..., 1): one entry per sample and channel.
  const std::size_t channel_axis = data_format_ == "channels_first" ? 1 : in.size() - 1;
  Shape ms(in.size(), 1);
  ms[0] = in[0];
  ms[channel_axis] = in[channel_axis];
  const double keep = 1.0 - rate_;
  const float kept_value = keep > 0.0 ? static_cast<float>(1.0 / keep) : 0.0f;
  Array mask = Array::from_shape(ms);
  std::bernoulli_distribution draw(keep);
  float* p = mask.data();
  for (std::size_t i = 0, n = mask.size(); i < n; ++i) p[i] = draw(rng_) ? kept_value : 0.0f;
  // The mask is a constant of the tape: ops::mul records d(x * m)/dx = m, broadcast over the maps.
  return ops::mul(x, Tensor(std::move(mask)));
}

json SpatialDropoutImpl::get_config() const {
  json c;
  c["rate"] = rate_;
  c["seed"] = seed_json();
  c["name"] = name();
  c["dtype"] = "float32";
  if (rank_ > 3) c["data_format"] = data_format_;
  return c;
}

std::shared_ptr<SpatialDropoutImpl> SpatialDropoutImpl::from_config_rank(int rank, const json& config,
                                                                         const std::string& path) {
  ConfigReader r(config, path);
  const double rate = detail::read_fraction(r, "rate");
  // tf.keras writes noise_shape (null) and ignores it in call, as Keras 3 does; it does not write data_format.
  const std::string data_format = rank > 3 ? r.get_string("data_format", "") : "";
  if (rank > 3 && data_format != "" && data_format != "channels_last" && data_format != "channels_first")
    r.fail("data_format", "expected \"channels_last\" or \"channels_first\", got " + shown(r.raw("data_format")));
  auto layer = std::make_shared<SpatialDropoutImpl>(rank, rate, data_format, detail::read_seed(r), r.name());
  r.apply_base(*layer);
  return layer;
}

namespace {
template <int Rank>
LayerPtr spatial_dropout_factory(const json& c, const std::string& p) {
  return SpatialDropoutImpl::from_config_rank(Rank, c, p);
}
const bool registered_spatial_dropout = register_layer("SpatialDropout1D", spatial_dropout_factory<3>) &&
                                        register_layer("SpatialDropout2D", spatial_dropout_factory<4>) &&
                                        register_layer("SpatialDropout3D", spatial_dropout_factory<5>);
}  // namespace

SpatialDropout1D::SpatialDropout1D(double rate, std::optional<std::uint64_t> seed, const std::string& name)
    : Holder<SpatialDropoutImpl>(std::make_shared<SpatialDropoutImpl>(3, rate, "", seed, name)) {}
SpatialDropout2D::SpatialDropout2D(double rate, const std::string& data_format, std::optional<std::uint64_t> seed,
                                   const std::string& name)
    : Holder<SpatialDropoutImpl>(std::make_shared<SpatialDropoutImpl>(4, rate, data_format, seed, name)) {}
SpatialDropout3D::SpatialDropout3D(double rate, const std::string& data_format, std::optional<std::uint64_t> seed,
                                   const std::string& name)
    : Holder<SpatialDropoutImpl>(std::make_shared<SpatialDropoutImpl>(5, rate, data_format, seed, name)) {}

}  // namespace xkeras::layers
