// A data::Dataset of batches as fit's and evaluate's BatchSource: each element is split into
// {x..., y...[, sample_weight]} by the model's input and output counts.
#pragma once

#include <optional>
#include <string>

#include "models/training/batch_source.hpp"
#include "xkeras/data.hpp"
#include "xkeras/training.hpp"

namespace xkeras::training {

class DatasetBatches : public BatchSource {
 public:
  /// `with_targets`: elements hold targets (fit, evaluate); without, only the inputs are read (predict).
  /// `who` names the caller in messages.
  DatasetBatches(const data::Dataset& dataset, const ModelImpl& model, bool with_targets, std::string who);
  /// Weights each batch's samples by their class, as fit's class_weight (a single output; an element may
  /// then not carry its own sample_weight).
  void set_class_weight(const ClassWeight& class_weight) { class_weight_ = class_weight; }
  /// The dataset's cardinality when known, else -1.
  int steps() const override;
  /// A new pass over the dataset (the previous one, and its prefetch thread, ends).
  void begin_epoch() override;
  bool next(Batch& out) override;

 private:
  data::Dataset ds_;
  const ModelImpl& model_;
  bool with_targets_;
  std::string who_;
  std::size_t nin_, nout_;
  ClassWeight class_weight_;
  std::optional<data::Iterator> it_;
  std::size_t seen_ = 0;  // elements taken in this pass, for messages
};

/// ValueError naming `who` when `dataset` is infinite and `steps` is 0 (it would never end), as Keras
/// asks for steps_per_epoch / validation_steps / steps then.
void check_finite(const data::Dataset& dataset, int steps, const std::string& who, const std::string& steps_name);

}  // namespace xkeras::training
