#include "xkeras/tape.hpp"

#include <unordered_map>
#include <unordered_set>

#include "xkeras/errors.hpp"

namespace xkeras {

namespace {
thread_local int no_grad_depth = 0;
}

Tape& Tape::current() {
  thread_local Tape tape;
  return tape;
}

bool Tape::enabled() { return no_grad_depth == 0; }

bool Tape::wants(std::initializer_list<const Tensor*> inputs) {
  if (no_grad_depth != 0) return false;
  for (const Tensor* t : inputs)
    if (t->requires_grad()) return true;
  return false;
}

bool Tape::wants(const Tensors& inputs) {
  if (no_grad_depth != 0) return false;
  for (const Tensor& t : inputs)
    if (t.requires_grad()) return true;
  return false;
}

void Tape::record(const char* op, const Tensors& inputs, Tensor& output, std::function<void()> backward) {
  output.set_requires_grad(true);
  Entry e{op, {}, output.shared(), std::move(backward)};
  e.inputs.reserve(inputs.size());
  for (const Tensor& t : inputs) e.inputs.push_back(t.shared());
  entries_.push_back(std::move(e));
}

void Tape::backward(const Tensor& root) {
  Array seed = Array::from_shape(root.value().shape());
  seed.fill(1.0f);
  backward(root, seed);
}

void Tape::backward(const Tensor& root, const Array& seed) { backward(root, seed, {}, {}); }

void Tape::backward(const Tensor& root, const Array& seed, const std::vector<const TensorImpl*>& watch,
                    const std::function<void(std::size_t)>& ready) {
  if (!root.requires_grad()) {
    clear();
    throw ValueError("backward(): the tensor does not depend on any tensor that requires a gradient");
  }
  if (seed.shape() != root.value().shape()) {
    clear();
    throw ValueError("backward(): seed gradient shape does not match the tensor's shape");
  }
  // A watched tensor's gradient is final after the earliest entry that reads it has run backward.
  std::vector<std::vector<std::size_t>> final_after;  // per entry: the watched tensors it finishes
  std::vector<bool> reported(watch.size(), false);
  if (!watch.empty()) {
    std::unordered_map<const TensorImpl*, std::size_t> index;
    for (std::size_t i = 0; i < watch.size(); ++i) index.emplace(watch[i], i);
    std::vector<std::size_t> first_use(watch.size(), entries_.size());
    for (std::size_t e = entries_.size(); e-- > 0;)
      for (const auto& in : entries_[e].inputs) {
        auto it = index.find(in.get());
        if (it != index.end()) first_use[it->second] = e;
      }
    final_after.resize(entries_.size());
    for (std::size_t i = 0; i < watch.size(); ++i)
      if (first_use[i] < entries_.size()) final_after[first_use[i]].push_back(i);
  }
  float* g = root.grad_buffer().data();
  const float* sd = seed.data();
  for (std::size_t i = 0, n = seed.size(); i < n; ++i) g[i] += sd[i];
  // Entries were appended in execution order, so reverse order is a valid topological order.
  for (std::size_t e = entries_.size(); e-- > 0;) {
    Entry& entry = entries_[e];
    if (entry.output->has_grad) {  // otherwise nothing flows back through this op
      entry.backward();
      // Intermediate results are never read again: mark their gradient empty (the buffer goes with the tape).
      if (entry.output.get() != root.impl()) entry.output->has_grad = false;
    }
    if (!final_after.empty())
      for (std::size_t i : final_after[e]) {
        reported[i] = true;
        ready(i);
      }
  }
  clear();
  for (std::size_t i = 0; i < watch.size(); ++i)
    if (!reported[i]) ready(i);
}

void Tape::clear() { entries_.clear(); }

void Tape::truncate(std::size_t size) {
  if (size < entries_.size()) entries_.erase(entries_.begin() + static_cast<long>(size), entries_.end());
}

bool Tape::depends_on(const Tensor& to, const Tensors& from, std::size_t since) const {
  std::unordered_set<const TensorImpl*> sources;
  for (const Tensor& t : from) sources.insert(t.impl());
  if (sources.count(to.impl())) return true;
  std::unordered_set<const TensorImpl*> frontier{to.impl()};
  for (std::size_t i = entries_.size(); i-- > since;) {
    const Entry& e = entries_[i];
    if (!frontier.count(e.output.get())) continue;
    for (const auto& in : e.inputs) {
      if (sources.count(in.get())) return true;
      frontier.insert(in.get());
    }
  }
  return false;
}

NoGrad::NoGrad() { ++no_grad_depth; }
NoGrad::~NoGrad() { --no_grad_depth; }

EnableGrad::EnableGrad() : saved_(no_grad_depth) { no_grad_depth = 0; }
EnableGrad::~EnableGrad() { no_grad_depth = saved_; }

}  // namespace xkeras
