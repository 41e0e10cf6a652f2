// Keras 3's CSVLogger (keras/src/callbacks/csv_logger.py): "epoch" (0-based) then the logs' keys sorted,
// with a "val_" column for each key when the first epoch had no validation; Python's csv writer with
// Excel's dialect ("\r\n" lines); values as Python prints floats; "NA" where a key is missing.
#include <algorithm>
#include <fstream>

#include "xkeras/distributed.hpp"
#include "xkeras/callbacks.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::callbacks {

CSVLogger::CSVLogger(std::string filename, std::string separator, bool append)
    : filename_(std::move(filename)), sep_(std::move(separator)), append_(append) {
  if (sep_.size() != 1) throw ValueError("CSVLogger: the separator must be one character, received \"" + sep_ + "\"");
}

// Data-parallel training: rank 0 alone writes the file (the logs are the same on every rank).
void CSVLogger::on_train_begin(Logs&) {
  if (!distributed::is_chief()) return;
  if (append_) {
    std::ifstream in(filename_);
    std::string first;
    append_header_ = !(in && std::getline(in, first) && !first.empty());
  }
  file_.close();
  file_.clear();
  file_.open(filename_, append_ ? std::ios::app | std::ios::binary : std::ios::trunc | std::ios::binary);
  if (!file_) throw IOError("CSVLogger: cannot open " + filename_ + " for writing");
  have_keys_ = false;
  keys_.clear();
}

namespace {

// Python's csv module quotes a field holding the delimiter, a quote or a line break (QUOTE_MINIMAL).
std::string csv_field(const std::string& s, char sep) {
  if (s.find_first_of(std::string(1, sep) + "\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

void CSVLogger::on_epoch_end(int epoch, Logs& logs) {
  if (!distributed::is_chief()) return;
  if (!have_keys_) {
    for (const auto& kv : logs) keys_.push_back(kv.first);
    std::sort(keys_.begin(), keys_.end());
    const bool has_val = std::any_of(keys_.begin(), keys_.end(), [](const std::string& k) { return k.rfind("val_", 0) == 0; });
    if (!has_val && !keys_.empty()) {
      const auto n = keys_.size();
      for (std::size_t i = 0; i < n; ++i) keys_.push_back("val_" + keys_[i]);
    }
    have_keys_ = true;
    if (append_header_) {
      file_ << "epoch";
      for (const auto& k : keys_) file_ << sep_ << csv_field(k, sep_[0]);
      file_ << "\r\n";
    }
  }
  file_ << epoch;
  for (const auto& k : keys_) file_ << sep_ << (logs.contains(k) ? python_float_str(logs.at(k)) : std::string("NA"));
  file_ << "\r\n";
  file_.flush();
  if (!file_) throw IOError("CSVLogger: writing " + filename_ + " failed");
}

void CSVLogger::on_train_end(Logs&) {
  file_.close();
  have_keys_ = false;
}

}  // namespace xkeras::callbacks
