// Dataset sources (tensors, generators) and the element-wise transformations (map, repeat, take).
// Each is a DatasetImpl whose open() returns a stream pulling from its input's stream.
#include <algorithm>
#include <limits>

#include "data/element_ops.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::data {

namespace {

class SliceStream : public ElementStream {
 public:
  SliceStream(const Tensors& t, std::size_t n) : t_(t), n_(n) {}
  std::optional<Element> next() override {
    if (i_ >= n_) return std::nullopt;
    Element e;
    e.reserve(t_.size());
    for (const Tensor& c : t_) e.push_back(detail::slice_row(c, i_));
    ++i_;
    return e;
  }

 private:
  const Tensors& t_;  // owned by the SlicesImpl, which the Dataset keeps alive while a pass runs
  std::size_t n_, i_ = 0;
};

class SlicesImpl : public DatasetImpl {
 public:
  explicit SlicesImpl(Tensors t) : t_(std::move(t)), n_(t_.front().dim(0)) {}
  std::unique_ptr<ElementStream> open() const override { return std::make_unique<SliceStream>(t_, n_); }
  std::int64_t cardinality() const override { return static_cast<std::int64_t>(n_); }

 private:
  Tensors t_;
  std::size_t n_;
};

class GeneratorStream : public ElementStream {
 public:
  explicit GeneratorStream(Generator fn) : fn_(std::move(fn)) {}
  std::optional<Element> next() override { return fn_(); }

 private:
  Generator fn_;
};

class GeneratorImpl : public DatasetImpl {
 public:
  explicit GeneratorImpl(std::function<Generator()> factory) : factory_(std::move(factory)) {}
  std::unique_ptr<ElementStream> open() const override { return std::make_unique<GeneratorStream>(factory_()); }
  std::int64_t cardinality() const override { return kUnknownCardinality; }

 private:
  std::function<Generator()> factory_;
};

class MapStream : public ElementStream {
 public:
  MapStream(std::unique_ptr<ElementStream> in, const std::function<Element(const Element&)>& fn)
      : in_(std::move(in)), fn_(fn) {}
  std::optional<Element> next() override {
    auto e = in_->next();
    if (!e) return std::nullopt;
    return fn_(*e);
  }

 private:
  std::unique_ptr<ElementStream> in_;
  const std::function<Element(const Element&)>& fn_;
};

class MapImpl : public DatasetImpl {
 public:
  MapImpl(std::shared_ptr<const DatasetImpl> in, std::function<Element(const Element&)> fn)
      : in_(std::move(in)), fn_(std::move(fn)) {}
  std::unique_ptr<ElementStream> open() const override { return std::make_unique<MapStream>(in_->open(), fn_); }
  std::int64_t cardinality() const override { return in_->cardinality(); }

 private:
  std::shared_ptr<const DatasetImpl> in_;
  std::function<Element(const Element&)> fn_;
};

// Reopens its input `count` times (-1: forever). An input pass that yields nothing ends the
// repetition, so repeat() of an empty dataset ends instead of spinning.
class RepeatStream : public ElementStream {
 public:
  RepeatStream(const DatasetImpl& in, std::int64_t count) : in_(in), count_(count) {}
  std::optional<Element> next() override {
    while (count_ < 0 || pass_ < count_) {
      if (!cur_) {
        cur_ = in_.open();
        got_ = false;
      }
      if (auto e = cur_->next()) {
        got_ = true;
        return e;
      }
      cur_.reset();
      ++pass_;
      if (!got_) break;
    }
    return std::nullopt;
  }

 private:
  const DatasetImpl& in_;
  std::int64_t count_, pass_ = 0;
  std::unique_ptr<ElementStream> cur_;
  bool got_ = false;
};

class RepeatImpl : public DatasetImpl {
 public:
  RepeatImpl(std::shared_ptr<const DatasetImpl> in, std::int64_t count) : in_(std::move(in)), count_(count) {}
  std::unique_ptr<ElementStream> open() const override { return std::make_unique<RepeatStream>(*in_, count_); }
  // tf.data: repeat(-1) of a non-empty finite dataset is infinite, of an empty one 0.
  std::int64_t cardinality() const override {
    const std::int64_t n = in_->cardinality();
    if (n == 0 || count_ == 0) return 0;
    if (n < 0) return n;
    if (count_ < 0) return kInfiniteCardinality;
    return n > std::numeric_limits<std::int64_t>::max() / count_ ? kInfiniteCardinality : n * count_;
  }

 private:
  std::shared_ptr<const DatasetImpl> in_;
  std::int64_t count_;
};

class TakeStream : public ElementStream {
 public:
  TakeStream(std::unique_ptr<ElementStream> in, std::int64_t n) : in_(std::move(in)), left_(n) {}
  std::optional<Element> next() override {
    if (left_ == 0) return std::nullopt;
    auto e = in_->next();
    if (e && left_ > 0) --left_;
    return e;
  }

 private:
  std::unique_ptr<ElementStream> in_;
  std::int64_t left_;
};

class TakeImpl : public DatasetImpl {
 public:
  TakeImpl(std::shared_ptr<const DatasetImpl> in, std::int64_t n) : in_(std::move(in)), n_(n) {}
  std::unique_ptr<ElementStream> open() const override { return std::make_unique<TakeStream>(in_->open(), n_); }
  std::int64_t cardinality() const override {
    const std::int64_t c = in_->cardinality();
    if (n_ < 0) return c;
    if (c == kInfiniteCardinality) return n_;
    if (c == kUnknownCardinality) return kUnknownCardinality;
    return std::min(c, n_);
  }

 private:
  std::shared_ptr<const DatasetImpl> in_;
  std::int64_t n_;
};

}  // namespace

Dataset Dataset::from_tensors(const Tensors& tensors) {
  if (tensors.empty()) throw ValueError("Dataset::from_tensors: expected at least one tensor, got none");
  std::string lengths;
  bool differ = false;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    if (!t.defined()) throw ValueError("Dataset::from_tensors: tensor " + std::to_string(i) + " is undefined");
    if (t.ndim() == 0)
      throw ValueError("Dataset::from_tensors: tensor " + std::to_string(i) +
                       " is a scalar; expected a tensor to slice along axis 0");
    if (t.dim(0) != tensors[0].dim(0)) differ = true;
    lengths += (i ? ", " : "") + std::to_string(t.dim(0));
  }
  if (differ)
    throw ValueError("Dataset::from_tensors: every tensor must have the same length along axis 0, got lengths (" +
                     lengths + ")");
  return Dataset(std::make_shared<SlicesImpl>(tensors));
}

Dataset Dataset::from_generator(Generator fn) {
  if (!fn) throw ValueError("Dataset::from_generator: the generator is empty");
  // One shared function for every pass: a pass continues where the last one stopped.
  auto shared = std::make_shared<Generator>(std::move(fn));
  return from_generator_factory([shared] { return Generator([shared] { return (*shared)(); }); });
}

Dataset Dataset::from_generator_factory(std::function<Generator()> factory) {
  if (!factory) throw ValueError("Dataset::from_generator_factory: the factory is empty");
  return Dataset(std::make_shared<GeneratorImpl>(std::move(factory)));
}

Dataset Dataset::from_impl(std::shared_ptr<const DatasetImpl> impl) {
  if (!impl) throw ValueError("Dataset::from_impl: null implementation");
  return Dataset(std::move(impl));
}

Dataset Dataset::map(std::function<Element(const Element&)> fn) const {
  if (!fn) throw ValueError("Dataset.map: the function is empty");
  return Dataset(std::make_shared<MapImpl>(impl_, std::move(fn)));
}

Dataset Dataset::repeat(std::int64_t count) const {
  if (count < -1) throw ValueError("Dataset.repeat: expected count >= 0 or -1 (forever), got " + std::to_string(count));
  return Dataset(std::make_shared<RepeatImpl>(impl_, count));
}

Dataset Dataset::take(std::int64_t n) const {
  if (n < -1) throw ValueError("Dataset.take: expected n >= 0 or -1 (all), got " + std::to_string(n));
  return Dataset(std::make_shared<TakeImpl>(impl_, n));
}

// The stream keeps the recipe alive: a pass may outlive the Dataset it came from.
namespace {
class OwningStream : public ElementStream {
 public:
  explicit OwningStream(std::shared_ptr<const DatasetImpl> impl) : impl_(std::move(impl)), s_(impl_->open()) {}
  std::optional<Element> next() override { return s_->next(); }

 private:
  std::shared_ptr<const DatasetImpl> impl_;
  std::unique_ptr<ElementStream> s_;
};
}  // namespace

Iterator Dataset::begin_epoch() const { return Iterator(std::make_shared<OwningStream>(impl_)); }

std::int64_t Dataset::cardinality() const { return impl_->cardinality(); }

}  // namespace xkeras::data
