// Horovod's tensor fusion for data-parallel training: gradients are summed over ranks in a few
// large allreduces instead of one per weight. Small gradients are copied into fusion buffers of about
// `bucket_bytes`; a gradient at least that large is reduced where it lies. With `overlap`, a bucket's
// allreduce starts as soon as its last gradient is final (Tape::backward's ready hook), while the
// backward pass goes on through the earlier layers; finish() waits for the rest.
#pragma once

#include <cstddef>
#include <vector>

#include "distributed/mpi_runtime.hpp"

namespace xkeras::distributed::detail {

class GradientBuckets {
 public:
  /// `sizes`: floats per gradient, in the order of the trainable weights. Buckets are laid out from
  /// the last weight backwards (the order backward finishes them). `extra` floats ride in the bucket
  /// started last (flags and sums a step wants reduced with the gradients).
  void layout(const std::vector<std::size_t>& sizes, std::size_t extra, std::size_t bucket_bytes, bool overlap);
  bool laid_out_for(const std::vector<std::size_t>& sizes) const { return sizes == sizes_; }

  /// A new step: nothing is ready; extras() may be written until finish().
  void begin();
  float* extras() { return extras_; }
  /// Gradient i is final at `grad` (null = this weight got no gradient: zeros are sent). The pointer
  /// must stay valid and untouched until finish().
  void ready(std::size_t i, float* grad);
  /// Starts what is not started yet and waits for everything: afterwards every gradient passed to
  /// ready() holds the sum over ranks, and so does extras().
  void finish();

 private:
  struct Member {
    std::size_t bucket, offset, size;
  };
  struct Bucket {
    std::vector<float> fused;        // empty for a single large gradient reduced in place
    std::vector<std::size_t> members;
    std::size_t waiting = 0;          // members not ready yet this step
    float* in_place = nullptr;
    std::vector<float> zeros;        // an in-place bucket's stand-in for a missing gradient
    Request request = 0;
    bool started = false;
  };
  void start(Bucket& b);

  std::vector<std::size_t> sizes_;
  std::vector<Member> members_;
  std::vector<float*> targets_;  // where each gradient lives this step (copied back after the sum)
  std::vector<Bucket> buckets_;
  float* extras_ = nullptr;
  std::size_t extra_ = 0;
  bool overlap_ = true;
};

}  // namespace xkeras::distributed::detail
