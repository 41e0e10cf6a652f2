// What loading one file may make xkeras do: how many weight values its layers may create, and how
// many values tracing its Lambdas and custom layers may process. A file of a few bytes must not
// buy gigabytes of allocation or seconds of work before the loader's first check can fail.
// Private to the library: the file readers open a scope, Layer draws from it.
#pragma once

#include <cstddef>
#include <string>

namespace xkeras::detail {

class LoadBudget {
 public:
  /// At most 2^28 traced values per load: every Lambda of a real model fits many times over.
  static constexpr std::size_t kMaxTraceValues = std::size_t(1) << 28;

  /// Slack over what the file holds, so that a file a few values short still reaches the reader's
  /// precise "missing weight" message; weights made without initializing cost no memory until written.
  static constexpr std::size_t kWeightSlack = std::size_t(1) << 20;

  /// `weight_values`: how many weight values the file holds (SIZE_MAX: no weights to check against,
  /// as for an architecture-only JSON); its layers may create that many plus kWeightSlack. `initialize`: false when the file's values will replace
  /// every weight, so initializers need not run. Scopes nest; the innermost one counts.
  LoadBudget(std::size_t weight_values, bool initialize);
  ~LoadBudget();
  LoadBudget(const LoadBudget&) = delete;
  LoadBudget& operator=(const LoadBudget&) = delete;

  /// The scope open on this thread, or null.
  static LoadBudget* current();

  /// Takes `values` for weight `weight` of layer `who`; ValueError past what the file holds.
  void take_weights(std::size_t values, const std::string& who, const std::string& weight);
  /// Takes `values` for one trace of layer `who`; ValueError past kMaxTraceValues.
  void take_trace(std::size_t values, const std::string& who);
  bool initialize() const { return initialize_; }

 private:
  std::size_t weights_left_, trace_left_ = kMaxTraceValues, weight_values_;
  bool initialize_;
  LoadBudget* outer_;
};

}  // namespace xkeras::detail
