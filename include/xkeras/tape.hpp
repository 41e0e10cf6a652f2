// The reverse-mode tape: every differentiable op appends its vector-Jacobian product here.
#pragma once

#include <functional>
#include <initializer_list>
#include <vector>

#include "xkeras/tensor.hpp"

namespace xkeras {

class Tape {
 public:
  struct Entry {
    const char* op;
    std::vector<std::shared_ptr<TensorImpl>> inputs;
    std::shared_ptr<TensorImpl> output;
    std::function<void()> backward;  // reads output->grad, adds into inputs' grads
  };

  /// The tape of the calling thread.
  static Tape& current();

  /// True when not inside a NoGrad scope.
  static bool enabled();

  /// True when an op on these inputs must be recorded (tape enabled and some input requires grad).
  static bool wants(std::initializer_list<const Tensor*> inputs);
  static bool wants(const Tensors& inputs);

  /// Marks `output` as requiring grad and appends the entry.
  void record(const char* op, const Tensors& inputs, Tensor& output, std::function<void()> backward);

  /// Seeds d(root)/d(root) with ones (or `seed`) and runs every entry in reverse order.
  /// Gradients accumulate into every tensor that requires grad; the tape is cleared afterwards.
  void backward(const Tensor& root);
  void backward(const Tensor& root, const Array& seed);
  /// backward() that also says when each tensor of `watch` has its final gradient (no entry left to
  /// run reads it): ready(i) for watch[i], once each, as soon as that holds (at the end for a tensor
  /// no entry reads). Data-parallel training starts a gradient's allreduce there.
  void backward(const Tensor& root, const Array& seed, const std::vector<const TensorImpl*>& watch,
                const std::function<void(std::size_t)>& ready);

  void clear();
  /// Drops every entry recorded at or after position `size` (used after a symbolic trace).
  void truncate(std::size_t size);
  std::size_t size() const { return entries_.size(); }

  /// True if `to` was computed (through entries recorded at or after `since`) from any of `from`.
  bool depends_on(const Tensor& to, const Tensors& from, std::size_t since) const;

 private:
  std::vector<Entry> entries_;
};

/// RAII scope in which no op is recorded (inference).
class NoGrad {
 public:
  NoGrad();
  ~NoGrad();
  NoGrad(const NoGrad&) = delete;
  NoGrad& operator=(const NoGrad&) = delete;
};

/// RAII scope that records even inside an outer NoGrad (used to trace layers symbolically).
class EnableGrad {
 public:
  EnableGrad();
  ~EnableGrad();
  EnableGrad(const EnableGrad&) = delete;
  EnableGrad& operator=(const EnableGrad&) = delete;

 private:
  int saved_;
};

}  // namespace xkeras
