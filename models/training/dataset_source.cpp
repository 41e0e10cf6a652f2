#include "models/training/dataset_source.hpp"

#include <cstdint>

#include "models/training/class_weight.hpp"
#include "models/training/data.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::training {

DatasetBatches::DatasetBatches(const data::Dataset& dataset, const ModelImpl& model, bool with_targets, std::string who)
    : ds_(dataset),
      model_(model),
      with_targets_(with_targets),
      who_(std::move(who)),
      nin_(model_input_count(model)),
      nout_(model_output_count(model)) {}

namespace {
int steps_of(std::int64_t c) { return c >= 0 && c <= INT32_MAX ? static_cast<int>(c) : -1; }
}  // namespace

int DatasetBatches::steps() const { return steps_of(ds_.cardinality()); }

void DatasetBatches::begin_epoch() {
  it_.reset();  // first: a prefetching pass stops before the next one starts
  it_ = ds_.begin_epoch();
  seen_ = 0;
}

bool DatasetBatches::next(Batch& out) {
  if (!it_) begin_epoch();
  std::optional<data::Element> e = it_->next();
  if (!e) return false;
  const std::size_t k = seen_++;
  const std::size_t need = with_targets_ ? nin_ + nout_ : nin_;
  if (e->size() != need && !(with_targets_ && e->size() == need + 1) && !(!with_targets_ && e->size() > need))
    throw ValueError(who_ + ": dataset element " + std::to_string(k) + " has " + std::to_string(e->size()) +
                     " tensors; expected " +
                     (with_targets_ ? std::to_string(nin_) + " input(s) and " + std::to_string(nout_) +
                                          " target(s), optionally followed by sample_weight"
                                    : "at least " + std::to_string(nin_) + " input(s)") +
                     " (elements must be batched: dataset.batch(n))");
  out.x.assign(e->begin(), e->begin() + nin_);
  out.y.clear();
  out.sample_weight = Tensor();
  if (with_targets_) {
    out.y.assign(e->begin() + nin_, e->begin() + nin_ + nout_);
    if (e->size() == need + 1) out.sample_weight = e->back();
  }
  const std::size_t n = check_data(model_, out.x, with_targets_ ? &out.y : nullptr,
                                   who_ + " dataset element " + std::to_string(k));
  if (!class_weight_.empty()) {  // Keras: class_weight becomes per-sample weights of the training batches
    if (out.sample_weight.defined())
      throw ValueError(who_ + ": you cannot pass class_weight and sample_weight at the same time (dataset element " +
                       std::to_string(k) + " holds a sample_weight)");
    out.sample_weight = class_weight_to_sample_weight(out.y[0], class_weight_);
  }
  const Tensor& w = out.sample_weight;
  if (w.defined() && (w.is_int() || w.shape() != Shape{n}))
    throw ValueError(who_ + ": the sample_weight of dataset element " + std::to_string(k) +
                     " must be float32 of shape (" + std::to_string(n) + ",), one weight per sample; received " +
                     dtype_name(w.dtype()) + " " + shape_str(w.shape()));
  return true;
}

void check_finite(const data::Dataset& dataset, int steps, const std::string& who, const std::string& steps_name) {
  if (steps == 0 && dataset.cardinality() == data::kInfiniteCardinality)
    throw ValueError(who + ": the dataset repeats forever; pass " + steps_name +
                     " to say how many batches to take (or end it with dataset.take(n))");
}

}  // namespace xkeras::training
