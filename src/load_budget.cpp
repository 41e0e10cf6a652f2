#include "load_budget.hpp"

#include <cstdint>

#include "xkeras/errors.hpp"

namespace xkeras::detail {

namespace {
thread_local LoadBudget* current_budget = nullptr;
}

LoadBudget::LoadBudget(std::size_t weight_values, bool initialize)
    : weights_left_(weight_values == SIZE_MAX ? SIZE_MAX : weight_values + kWeightSlack),
      weight_values_(weight_values),
      initialize_(initialize),
      outer_(current_budget) {
  current_budget = this;
}

LoadBudget::~LoadBudget() { current_budget = outer_; }

LoadBudget* LoadBudget::current() { return current_budget; }

void LoadBudget::take_weights(std::size_t values, const std::string& who, const std::string& weight) {
  if (weight_values_ == SIZE_MAX) return;
  if (values > weights_left_)
    throw ValueError(who + ": weight \"" + weight + "\" holds " + std::to_string(values) + " values, but the file holds only " +
                     std::to_string(weight_values_) + " values of weights in all");
  weights_left_ -= values;
}

void LoadBudget::take_trace(std::size_t values, const std::string& who) {
  if (values > trace_left_)
    throw ValueError(who + ": tracing it for its output shape would take the values traced while loading this model "
                           "past 2^28 (" + std::to_string(kMaxTraceValues - trace_left_) + " so far, this trace " +
                           std::to_string(values) + "); the model's Lambda or custom layers work on too much data");
  trace_left_ -= values;
}

}  // namespace xkeras::detail
