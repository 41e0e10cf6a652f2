#include "visualization/history_panels.hpp"

#include <algorithm>

#include "xkeras/errors.hpp"

namespace xkeras::visualization {

namespace {

bool is_val(const std::string& key) { return key.rfind("val_", 0) == 0; }

Curve curve_of(const History& h, const std::string& key) {
  Curve c;
  c.key = key;
  c.validation = is_val(key);
  auto it = h.history.find(key);
  if (it == h.history.end()) return c;
  c.values = it->second;
  // History.epoch holds fit's 0-based epoch numbers; drawn 1-based, as Keras prints "Epoch 1/5".
  const bool numbered = h.epoch.size() == c.values.size();
  for (std::size_t i = 0; i < c.values.size(); ++i) c.epochs.push_back(numbered ? h.epoch[i] + 1.0 : double(i + 1));
  return c;
}

}  // namespace

std::vector<Panel> history_panels(const History& history) {
  std::vector<std::string> keys = history.keys;
  for (const auto& [key, values] : history.history)  // a History filled by hand may list no keys
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  auto has = [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k) != keys.end(); };

  std::vector<std::string> metrics;  // panel order
  if (has("loss") || has("val_loss")) metrics.push_back("loss");
  for (const auto& k : keys) {
    const std::string m = is_val(k) ? k.substr(4) : k;  // "val_m" joins m's panel (made for it if m is absent)
    if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.push_back(m);
  }

  std::vector<Panel> panels;
  bool any_point = false;
  for (const auto& m : metrics) {
    Panel p;
    p.metric = m;
    for (const std::string& key : {m, "val_" + m}) {
      if (!has(key)) continue;
      Curve c = curve_of(history, key);
      any_point = any_point || !c.values.empty();
      if (!c.values.empty()) p.curves.push_back(std::move(c));
    }
    if (!p.curves.empty()) panels.push_back(std::move(p));
  }
  if (!any_point)
    throw ValueError("plot_history: the History has no values (expected at least one epoch of \"loss\" or a "
                     "metric; got keys [" + [&] {
                       std::string s;
                       for (const auto& k : keys) s += (s.empty() ? "" : ", ") + k;
                       return s;
                     }() + "])");
  return panels;
}

}  // namespace xkeras::visualization
