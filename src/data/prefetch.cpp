// Dataset.prefetch: a producer thread pulls elements from the input into a bounded queue while the
// consumer (the training loop) works. One mutex and two condition variables; the producer stops at
// the input's end, on an exception (kept and rethrown to the consumer in order), or when the consumer
// goes away (the destructor asks it to stop and joins it).
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "xkeras/errors.hpp"
#include "xkeras/data.hpp"

namespace xkeras::data {

namespace {

class PrefetchStream : public ElementStream {
 public:
  PrefetchStream(const DatasetImpl& in, std::size_t cap) : cap_(cap) {
    // The input pass is opened on the producer thread too: opening may already read (a file header).
    thread_ = std::thread([this, &in] { produce(in); });
  }
  ~PrefetchStream() override {
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_ = true;
    }
    not_full_.notify_all();
    thread_.join();
  }

  std::optional<Element> next() override {
    std::unique_lock<std::mutex> lock(m_);
    not_empty_.wait(lock, [this] { return !q_.empty() || done_; });
    if (!q_.empty()) {
      Element e = std::move(q_.front());
      q_.pop_front();
      lock.unlock();
      not_full_.notify_one();
      return e;
    }
    if (error_) {
      std::exception_ptr e = error_;
      error_ = nullptr;  // rethrown once; the pass is over after it
      std::rethrow_exception(e);
    }
    return std::nullopt;
  }

 private:
  void produce(const DatasetImpl& in) {
    try {
      std::unique_ptr<ElementStream> s = in.open();
      for (;;) {
        {
          std::unique_lock<std::mutex> lock(m_);
          not_full_.wait(lock, [this] { return q_.size() < cap_ || stop_; });
          if (stop_) break;
        }
        std::optional<Element> e = s->next();  // outside the lock: the consumer may pop meanwhile
        if (!e) break;
        std::lock_guard<std::mutex> lock(m_);
        q_.push_back(std::move(*e));
        not_empty_.notify_one();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(m_);
      error_ = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(m_);
      done_ = true;
    }
    not_empty_.notify_all();
  }

  std::size_t cap_;
  std::mutex m_;
  std::condition_variable not_empty_, not_full_;
  std::deque<Element> q_;
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: started after every other member exists
};

class PrefetchImpl : public DatasetImpl {
 public:
  PrefetchImpl(std::shared_ptr<const DatasetImpl> in, std::size_t cap) : in_(std::move(in)), cap_(cap) {}
  std::unique_ptr<ElementStream> open() const override { return std::make_unique<PrefetchStream>(*in_, cap_); }
  std::int64_t cardinality() const override { return in_->cardinality(); }

 private:
  std::shared_ptr<const DatasetImpl> in_;
  std::size_t cap_;
};

}  // namespace

Dataset Dataset::prefetch(int buffer_size) const {
  if (buffer_size == kAutotune) buffer_size = 2;
  if (buffer_size <= 0 || buffer_size > 4096)
    throw ValueError("Dataset.prefetch: expected 1 <= buffer_size <= 4096 or kAutotune (-1), got " +
                     std::to_string(buffer_size));
  return from_impl(std::make_shared<PrefetchImpl>(impl_, static_cast<std::size_t>(buffer_size)));
}

}  // namespace xkeras::data
