#include "optimizers/array_codec.hpp"

#include "base64.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::array_codec {

json encode(const Array& a) {
  json shape = json::array();
  for (auto d : a.shape()) shape.push_back(d);
  return json{{"shape", shape}, {"data", base64::encode_floats(a.data(), a.size())}};
}

Array decode(const json& j, const std::string& path) {
  if (!j.is_object()) throw ConfigError(path, "expected an object {\"shape\", \"data\"}, got " + j.dump().substr(0, 80));
  auto s = j.find("shape");
  auto d = j.find("data");
  if (s == j.end() || !s->is_array()) throw ConfigError(path + ".shape", "expected a list of non-negative integers");
  if (d == j.end() || !d->is_string()) throw ConfigError(path + ".data", "expected a base64 string");
  Shape shape;
  std::size_t count = 1;
  for (const auto& v : *s) {
    // A slot has the shape of a weight, and weights are capped at 2^28 elements (Layer::add_weight).
    if (!v.is_number_unsigned() || v.get<std::size_t>() > (std::size_t(1) << 28) ||
        (v.get<std::size_t>() != 0 && count > (std::size_t(1) << 28) / v.get<std::size_t>()))
      throw ConfigError(path + ".shape", "expected a list of non-negative integers of at most 2^28 elements, got " + s->dump());
    count *= v.get<std::size_t>();
    shape.push_back(v.get<std::size_t>());
  }
  const std::string& text = d->get_ref<const std::string&>();
  base64::check_base64_size(text, count * sizeof(float), path + ".data");  // before allocating
  Array a = Array::from_shape(shape);
  base64::decode_floats(text, a.data(), count, path + ".data");
  return a;
}

}  // namespace xkeras::array_codec
