#include "models/training/callback_list.hpp"

#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::training {

CallbackList::CallbackList(const Callbacks& user, const std::shared_ptr<ModelImpl>& model, json params,
                           bool add_history, bool add_progbar) {
  bool have_progbar = false;
  for (std::size_t i = 0; i < user.size(); ++i) {
    const callbacks::CallbackPtr& c = user[i].ptr();
    if (!c) throw ValueError("callbacks[" + std::to_string(i) + "] is null; expected a callback");
    all_.push_back(c);
    if (auto h = std::dynamic_pointer_cast<History>(c)) history_ = h;
    if (std::dynamic_pointer_cast<callbacks::ProgbarLogger>(c)) have_progbar = true;
  }
  if (add_history && !history_) {
    history_ = std::make_shared<History>();
    all_.push_back(history_);
  }
  if (add_progbar && !have_progbar) all_.push_back(std::make_shared<callbacks::ProgbarLogger>());
  for (auto& c : all_) {
    c->set_model(model);
    c->set_params(params);
  }
}

void CallbackList::train_begin(Logs& logs) {
  for (auto& c : all_) c->on_train_begin(logs);
}
void CallbackList::train_end(Logs& logs) {
  for (auto& c : all_) c->on_train_end(logs);
}
void CallbackList::epoch_begin(int epoch, Logs& logs) {
  for (auto& c : all_) c->on_epoch_begin(epoch, logs);
}
void CallbackList::epoch_end(int epoch, Logs& logs) {
  for (auto& c : all_) c->on_epoch_end(epoch, logs);
}
void CallbackList::train_batch_begin(int batch, Logs& logs) {
  for (auto& c : all_) c->on_train_batch_begin(batch, logs);
}
void CallbackList::train_batch_end(int batch, Logs& logs) {
  for (auto& c : all_) c->on_train_batch_end(batch, logs);
}
void CallbackList::test_begin(Logs& logs) {
  for (auto& c : all_) c->on_test_begin(logs);
}
void CallbackList::test_end(Logs& logs) {
  for (auto& c : all_) c->on_test_end(logs);
}
void CallbackList::test_batch_begin(int batch, Logs& logs) {
  for (auto& c : all_) c->on_test_batch_begin(batch, logs);
}
void CallbackList::test_batch_end(int batch, Logs& logs) {
  for (auto& c : all_) c->on_test_batch_end(batch, logs);
}
void CallbackList::predict_begin(Logs& logs) {
  for (auto& c : all_) c->on_predict_begin(logs);
}
void CallbackList::predict_end(Logs& logs) {
  for (auto& c : all_) c->on_predict_end(logs);
}
void CallbackList::predict_batch_begin(int batch, Logs& logs) {
  for (auto& c : all_) c->on_predict_batch_begin(batch, logs);
}
void CallbackList::predict_batch_end(int batch, Logs& logs) {
  for (auto& c : all_) c->on_predict_batch_end(batch, logs);
}

}  // namespace xkeras::training
