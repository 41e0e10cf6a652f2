// layer_names / weight_names: string lists that tf.keras splits into chunks when they outgrow an HDF5
// object header (save_attributes_to_hdf5_group / load_attributes_from_hdf5_group).
#include <string>
#include <vector>

#include "saving/legacy_h5.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving::legacy {

namespace {

std::string chunk_name(const std::string& name, std::size_t i) { return name + std::to_string(i); }

}  // namespace

bool has_string_list(const h5::Group& g, const std::string& name) {
  return g.has_attr(name) || g.has_attr(chunk_name(name, 0));
}

std::vector<std::string> read_string_list(const h5::Group& g, const std::string& name) {
  // numpy turns an empty list into an empty float64 array: tf.keras writes weight_names = [] so.
  if (g.has_attr(name)) return g.attr_strings(name);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < h5::kMaxChildren && g.has_attr(chunk_name(name, i)); ++i) {
    auto part = g.attr_strings(chunk_name(name, i));
    if (out.size() + part.size() > h5::kMaxChildren)
      throw ConfigError(g.source() + ": " + g.path(), "the attribute \"" + name + "\" lists more than " +
                                                          std::to_string(h5::kMaxChildren) + " names");
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

void write_string_list(h5::Group& g, const std::string& name, const std::vector<std::string>& values) {
  std::size_t longest = 0;
  for (const auto& v : values) {
    if (v.size() > kHeaderLimit)
      throw ValueError("The following attributes cannot be saved to HDF5 file because they are larger than " +
                       std::to_string(kHeaderLimit) + " bytes: \"" + v.substr(0, 64) + "...\"");
    longest = std::max(longest, v.size());
  }
  // numpy's fixed-length array: every name padded to the longest, so n * longest bytes (at least 1 each).
  const std::size_t item = std::max<std::size_t>(longest, 1);
  std::size_t chunks = 1;
  // np.array_split: the first n % k chunks get one more; the largest chunk has ceil(n / k) names.
  while ((values.size() + chunks - 1) / chunks * item > kHeaderLimit) ++chunks;
  if (chunks == 1) return g.set_attr_strings(name, values);
  const std::size_t base = values.size() / chunks, extra = values.size() % chunks;
  std::size_t at = 0;
  for (std::size_t i = 0; i < chunks; ++i) {
    const std::size_t n = base + (i < extra ? 1 : 0);
    g.set_attr_strings(chunk_name(name, i), std::vector<std::string>(values.begin() + at, values.begin() + at + n));
    at += n;
  }
}

}  // namespace xkeras::saving::legacy
