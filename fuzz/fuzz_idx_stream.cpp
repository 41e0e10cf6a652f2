// The lazy IDX reader (datasets::idx_dataset): the bytes as one IDX file, streamed record by record
// alone and paired with itself (two readers of one file), both as a prefetched, batched pipeline.
#include <xkeras/datasets.hpp>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = xkeras_fuzz::write_scratch(data, size);
  xkeras_fuzz::guarded([&] {
    for (const auto& e : xkeras::datasets::idx_dataset(std::vector<std::string>{path})) (void)e;
  });
  return xkeras_fuzz::guarded([&] {
    for (const auto& e : xkeras::datasets::idx_dataset(path, path).batch(3).prefetch(2)) (void)e;
  });
}
