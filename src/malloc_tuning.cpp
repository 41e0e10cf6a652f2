// Training allocates the same activation and gradient buffers (megabytes each) every step and frees
// them at its end. glibc's defaults hand such blocks back to the kernel (trim / munmap) and take them
// again on the next step: a page fault and a zero fill per 4 KiB, about 8% of a CNN training step
// before this (docs/benchmarks.md). Keeping freed memory in the heap makes every step after the
// first reuse the previous step's pages. Peak memory is unchanged; memory freed after a peak stays
// with the process. A user's own MALLOC_TRIM_THRESHOLD_ / MALLOC_MMAP_THRESHOLD_ setting wins.
#include <malloc.h>

#include <cstdlib>

namespace xkeras {
namespace {

struct MallocTuning {
  MallocTuning() {
    if (!std::getenv("MALLOC_TRIM_THRESHOLD_")) mallopt(M_TRIM_THRESHOLD, 1 << 30);
    // 32 MiB, glibc's largest automatic threshold, fixed from the start: smaller blocks come from the heap.
    if (!std::getenv("MALLOC_MMAP_THRESHOLD_")) mallopt(M_MMAP_THRESHOLD, 32 << 20);
  }
};
const MallocTuning tuning;

}  // namespace
}  // namespace xkeras
