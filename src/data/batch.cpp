// Dataset.batch: stacks consecutive elements along a new axis 0.
#include "data/element_ops.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::data {

namespace {

class BatchStream : public ElementStream {
 public:
  BatchStream(std::unique_ptr<ElementStream> in, std::size_t b, bool drop) : in_(std::move(in)), b_(b), drop_(drop) {}
  std::optional<Element> next() override {
    std::vector<Element> buf;
    buf.reserve(b_);
    // Once the input has ended it is not asked again (a generator might go on after a nullopt).
    while (!ended_ && buf.size() < b_) {
      auto e = in_->next();
      if (!e) {
        ended_ = true;
        break;
      }
      buf.push_back(std::move(*e));
    }
    const std::size_t first = seen_;
    seen_ += buf.size();
    if (buf.empty() || (drop_ && buf.size() < b_)) return std::nullopt;
    return detail::stack(buf, first);
  }

 private:
  std::unique_ptr<ElementStream> in_;
  std::size_t b_;
  bool drop_;
  bool ended_ = false;
  std::size_t seen_ = 0;
};

class BatchImpl : public DatasetImpl {
 public:
  BatchImpl(std::shared_ptr<const DatasetImpl> in, std::int64_t b, bool drop) : in_(std::move(in)), b_(b), drop_(drop) {}
  std::unique_ptr<ElementStream> open() const override {
    return std::make_unique<BatchStream>(in_->open(), static_cast<std::size_t>(b_), drop_);
  }
  std::int64_t cardinality() const override {
    const std::int64_t n = in_->cardinality();
    if (n < 0) return n;
    return drop_ ? n / b_ : (n + b_ - 1) / b_;
  }

 private:
  std::shared_ptr<const DatasetImpl> in_;
  std::int64_t b_;
  bool drop_;
};

}  // namespace

Dataset Dataset::batch(std::int64_t batch_size, bool drop_remainder) const {
  // A bound on the batch keeps a typo from reserving gigabytes of element handles.
  if (batch_size <= 0 || batch_size > (std::int64_t(1) << 24))
    throw ValueError("Dataset.batch: expected 1 <= batch_size <= 2^24, got " + std::to_string(batch_size));
  return from_impl(std::make_shared<BatchImpl>(impl_, batch_size, drop_remainder));
}

}  // namespace xkeras::data
