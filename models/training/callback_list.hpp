// Keras 3's CallbackList: the user's callbacks, then History and ProgbarLogger (added unless the user's
// list holds one), each hook called on every callback in that order.
#pragma once

#include <memory>

#include "xkeras/callbacks.hpp"
#include "xkeras/training.hpp"

namespace xkeras::training {

class CallbackList {
 public:
  /// `params` are Keras's {"verbose", "epochs", "steps"}; `add_history` for fit only.
  CallbackList(const Callbacks& user, const std::shared_ptr<ModelImpl>& model, json params, bool add_history,
               bool add_progbar);

  /// fit's History (the user's, if the list held one).
  const std::shared_ptr<History>& history() const { return history_; }

  void train_begin(Logs& logs);
  void train_end(Logs& logs);
  void epoch_begin(int epoch, Logs& logs);
  void epoch_end(int epoch, Logs& logs);
  void train_batch_begin(int batch, Logs& logs);
  void train_batch_end(int batch, Logs& logs);
  void test_begin(Logs& logs);
  void test_end(Logs& logs);
  void test_batch_begin(int batch, Logs& logs);
  void test_batch_end(int batch, Logs& logs);
  void predict_begin(Logs& logs);
  void predict_end(Logs& logs);
  void predict_batch_begin(int batch, Logs& logs);
  void predict_batch_end(int batch, Logs& logs);

 private:
  std::vector<callbacks::CallbackPtr> all_;
  std::shared_ptr<History> history_;
};

}  // namespace xkeras::training
