#include "distributed/gradient_buckets.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace xkeras::distributed::detail {

void GradientBuckets::layout(const std::vector<std::size_t>& sizes, std::size_t extra, std::size_t bucket_bytes,
                             bool overlap) {
  sizes_ = sizes;
  extra_ = extra;
  overlap_ = overlap;
  const std::size_t cap = std::max<std::size_t>(1, bucket_bytes / sizeof(float));
  members_.assign(sizes.size(), {});
  targets_.assign(sizes.size(), nullptr);
  buckets_.clear();
  std::size_t open = SIZE_MAX;  // the fusion buffer being filled
  for (std::size_t i = sizes.size(); i-- > 0;) {
    if (sizes[i] >= cap) {  // large: its own bucket, reduced in place
      buckets_.push_back({});
      buckets_.back().members.push_back(i);
      members_[i] = {buckets_.size() - 1, 0, sizes[i]};
      continue;
    }
    if (open == SIZE_MAX || buckets_[open].fused.size() + sizes[i] > cap) {
      buckets_.push_back({});
      open = buckets_.size() - 1;
    }
    Bucket& b = buckets_[open];
    members_[i] = {open, b.fused.size(), sizes[i]};
    b.members.push_back(i);
    b.fused.resize(b.fused.size() + sizes[i]);
  }
  // The extras ride in the last fusion buffer laid out (it holds the first layers, finished last).
  std::size_t host = SIZE_MAX;
  for (std::size_t k = buckets_.size(); k-- > 0;)
    if (!buckets_[k].fused.empty()) {
      host = k;
      break;
    }
  if (host == SIZE_MAX) {
    buckets_.push_back({});
    host = buckets_.size() - 1;
  }
  const std::size_t at = buckets_[host].fused.size();
  buckets_[host].fused.resize(at + std::max<std::size_t>(extra, 1));
  extras_ = buckets_[host].fused.data() + at;
}

void GradientBuckets::begin() {
  for (Bucket& b : buckets_) {
    b.waiting = b.members.size();
    b.started = false;
    b.request = 0;
    b.in_place = nullptr;
  }
  std::fill(extras_, extras_ + std::max<std::size_t>(extra_, 1), 0.0f);
}

void GradientBuckets::start(Bucket& b) {
  b.started = true;
  if (b.fused.empty()) b.request = start_allreduce_sum(b.in_place, sizes_[b.members[0]]);
  else b.request = start_allreduce_sum(b.fused.data(), b.fused.size());
}

void GradientBuckets::ready(std::size_t i, float* grad) {
  const Member& m = members_[i];
  Bucket& b = buckets_[m.bucket];
  targets_[i] = grad;
  if (b.fused.empty()) {
    if (!grad) {
      b.zeros.assign(m.size, 0.0f);  // sent as zeros; not copied back (the weight gets no update)
      grad = b.zeros.data();
    }
    b.in_place = grad;
  } else if (grad) {
    std::memcpy(b.fused.data() + m.offset, grad, m.size * sizeof(float));
  } else {
    std::fill(b.fused.data() + m.offset, b.fused.data() + m.offset + m.size, 0.0f);
  }
  if (--b.waiting == 0 && overlap_) start(b);
  // MPI progresses a started allreduce only inside MPI calls: let it move on.
  if (overlap_)
    for (Bucket& other : buckets_)
      if (other.started && other.request) {
        if (test(other.request)) other.request = 0;
      }
}

void GradientBuckets::finish() {
  const auto t0 = std::chrono::steady_clock::now();
  for (Bucket& b : buckets_)
    if (!b.started) start(b);
  std::size_t bytes = 0;
  for (Bucket& b : buckets_) {
    wait(b.request, "the gradient allreduce");
    b.request = 0;
    bytes += (b.fused.empty() ? sizes_[b.members[0]] : b.fused.size()) * sizeof(float);
    if (b.fused.empty()) continue;  // reduced in place
    for (std::size_t i : b.members)
      if (targets_[i]) std::memcpy(targets_[i], b.fused.data() + members_[i].offset, members_[i].size * sizeof(float));
  }
  // The time counted is what the step waited here: the part of the communication overlap did not hide.
  count_allreduce(bytes, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), buckets_.size());
}

}  // namespace xkeras::distributed::detail
