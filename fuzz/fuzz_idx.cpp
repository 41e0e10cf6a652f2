// IDX datasets (plain or gzip'd, as Fashion-MNIST ships) -> datasets::read_idx, whole and with the
// `limit` argument (a separate code path that shortens the first dimension before reading).
#include <xkeras/datasets.hpp>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = xkeras_fuzz::write_scratch(data, size);
  xkeras_fuzz::guarded([&] { xkeras::datasets::read_idx(path); });
  return xkeras_fuzz::guarded([&] { xkeras::datasets::read_idx(path, 3); });
}
