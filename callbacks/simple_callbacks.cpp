// TerminateOnNaN and LambdaCallback (keras/src/callbacks/terminate_on_nan.py, lambda_callback.py).
#include <cmath>
#include <iostream>

#include "xkeras/distributed.hpp"
#include "xkeras/callbacks.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::callbacks {

void TerminateOnNaN::on_train_batch_end(int batch, Logs& logs) {
  if (!logs.contains("loss")) return;
  const double loss = logs.at("loss");
  if (std::isnan(loss) || std::isinf(loss)) {
    if (distributed::is_chief()) std::cout << "Batch " << batch << ": Invalid loss, terminating training\n" << std::flush;
    model().set_stop_training(true);
  }
}

void LambdaCallback::on_epoch_begin(int epoch, Logs& logs) {
  if (o_.on_epoch_begin) o_.on_epoch_begin(epoch, logs);
}
void LambdaCallback::on_epoch_end(int epoch, Logs& logs) {
  if (o_.on_epoch_end) o_.on_epoch_end(epoch, logs);
}
void LambdaCallback::on_train_batch_begin(int batch, Logs& logs) {
  if (o_.on_train_batch_begin) o_.on_train_batch_begin(batch, logs);
}
void LambdaCallback::on_train_batch_end(int batch, Logs& logs) {
  if (o_.on_train_batch_end) o_.on_train_batch_end(batch, logs);
}
void LambdaCallback::on_train_begin(Logs& logs) {
  if (o_.on_train_begin) o_.on_train_begin(logs);
}
void LambdaCallback::on_train_end(Logs& logs) {
  if (o_.on_train_end) o_.on_train_end(logs);
}

}  // namespace xkeras::callbacks
