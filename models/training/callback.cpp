// Logs, the Callback base and History (Keras's keras.callbacks.History).
#include "xkeras/callback.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"
#include "xkeras/training.hpp"

namespace xkeras {

bool Logs::contains(const std::string& key) const {
  for (const auto& kv : *this)
    if (kv.first == key) return true;
  return false;
}

double Logs::at(const std::string& key) const {
  std::string known;
  for (const auto& kv : *this) {
    if (kv.first == key) return kv.second;
    known += (known.empty() ? "" : ", ") + kv.first;
  }
  throw ValueError("The logs have no key \"" + key + "\"; they hold: " + (known.empty() ? "nothing" : known));
}

void Logs::set(const std::string& key, double value) {
  for (auto& kv : *this)
    if (kv.first == key) {
      kv.second = value;
      return;
    }
  emplace_back(key, value);
}

namespace callbacks {

Model Callback::model() const {
  auto m = model_.lock();
  if (!m) throw ValueError("This callback has no model: fit, evaluate or predict sets it when they start");
  return Model(m);
}

}  // namespace callbacks

const std::vector<double>& History::operator[](const std::string& key) const {
  auto it = history.find(key);
  if (it == history.end()) {
    std::string known;
    for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
    throw ValueError("History has no key \"" + key + "\"; its keys are: " + known);
  }
  return it->second;
}

// Keras resets only `epoch` here: a History reused across fit calls keeps appending to `history`.
void History::on_train_begin(Logs&) {
  epoch.clear();
  params = Callback::params();
}

void History::on_epoch_end(int e, Logs& logs) {
  epoch.push_back(e);
  for (const auto& [k, v] : logs) {
    auto [it, inserted] = history.try_emplace(k);
    if (inserted) keys.push_back(k);
    it->second.push_back(v);
  }
}

}  // namespace xkeras
