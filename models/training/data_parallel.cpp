#include "models/training/data_parallel.hpp"

#include <cstring>
#include <sstream>
#include <string>

#include "models/compiled_state.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"
#include "xkeras/tape.hpp"

namespace xkeras::training {

namespace {

void broadcast_weight(const VariablePtr& v) {
  Tensor& t = v->value;
  if (t.is_int()) distributed::broadcast(t.idata(), t.size() * sizeof(std::int32_t), 0, "the weight broadcast");
  else distributed::broadcast(t.data(), t.size() * sizeof(float), 0, "the weight broadcast");
}

}  // namespace

DataParallelContext::DataParallelContext(const distributed::DataParallel& options) : options_(options) {
  distributed::init();  // a no-op when the program did it, or when no launcher started this process
  rank_ = distributed::rank();
  size_ = distributed::size();
}

bool DataParallelContext::backward(const Tensor& loss, double share, const std::vector<VariablePtr>& trainable,
                                   bool bad_loss) {
  sizes_.clear();  // member buffers: no allocation per step
  for (const auto& v : trainable) sizes_.push_back(v->value.size());
  if (!buckets_.laid_out_for(sizes_)) buckets_.layout(sizes_, 1, options_.bucket_bytes, options_.overlap);
  watch_.clear();
  for (const auto& v : trainable) watch_.push_back(v->value.impl());
  buckets_.begin();
  buckets_.extras()[0] = bad_loss ? 1.0f : 0.0f;
  // d(share * loss) = share * d(loss): the ranks' seeded gradients sum to the global batch's mean.
  Array seed = Array::from_shape(loss.value().shape());
  seed.fill(static_cast<float>(share));
  Tape::current().backward(loss, seed, watch_, [&](std::size_t i) {
    TensorImpl* impl = trainable[i]->value.impl();
    buckets_.ready(i, impl->has_grad ? impl->grad.data() : nullptr);
  });
  buckets_.finish();
  return buckets_.extras()[0] > 0.0f;
}

void DataParallelContext::sum(std::vector<double>& values, const char* what) {
  // A metric whose state grew on one rank only would make the ranks' buffers differ: refuse clearly.
  double len[2] = {static_cast<double>(values.size()), -static_cast<double>(values.size())};
  distributed::allreduce_max(len, 2, what);
  if (len[0] != -len[1])
    throw ValueError(std::string("data-parallel training: the ranks hold different numbers of metric values (") +
                     std::to_string(-len[1]) + " to " + std::to_string(len[0]) + ") for " + what +
                     "; a metric's summable_state() must have the same size on every rank");
  distributed::allreduce_sum(values.data(), values.size(), what);
}

bool DataParallelContext::any(bool flag, const char* what) {
  double v = flag ? 1.0 : 0.0;
  distributed::allreduce_max(&v, 1, what);
  return v > 0;
}

void DataParallelContext::broadcast_state(ModelImpl& model, CompiledState& compiled, std::optional<int>& resume_epoch) {
  // A model that builds its weights on its first call (a Sequential without Input) has none yet: its
  // weights go out at the first train step instead (broadcast_weights). Any rank unbuilt: all wait.
  weights_sent_ = false;
  if (!any(!model.has_graph(), "the model check")) broadcast_weights(model, compiled);
  std::int64_t epoch = resume_epoch ? *resume_epoch : -1;
  distributed::broadcast(&epoch, sizeof epoch, 0, "the resume-epoch broadcast");
  if (epoch >= 0) resume_epoch = static_cast<int>(epoch);
  else resume_epoch.reset();
  // The shuffling stream: every rank must draw the same order of the data to read its share of it.
  std::string text;
  if (rank_ == 0) {
    std::ostringstream out;
    out << compiled.shuffle_rng;
    text = out.str();
  }
  std::uint64_t length = text.size();
  distributed::broadcast(&length, sizeof length, 0, "the shuffle-state broadcast");
  text.resize(length);
  distributed::broadcast(text.data(), length, 0, "the shuffle-state broadcast");
  if (rank_ != 0) {
    std::istringstream in(text);
    in >> compiled.shuffle_rng;
  }
}

void DataParallelContext::broadcast_weights(ModelImpl& model, CompiledState& compiled) {
  if (weights_sent_) return;
  weights_sent_ = true;
  // Every rank must hold the same model and optimizer: compare every weight's and slot's size and the
  // optimizer's scalars with rank 0's first, so that a difference is a clear error, not mismatched messages.
  const auto weights = model.weights();
  const auto trainable = model.trainable_weights();
  optimizers::OptimizerImpl& opt = *compiled.optimizer.ptr();
  std::vector<std::uint64_t> mine{weights.size()};
  for (const auto& v : weights) mine.push_back(v->value.size());
  for (const auto& v : trainable) mine.push_back(opt.slot_arrays(v).size());
  mine.push_back(opt.scalars().size());
  std::uint64_t count = mine.size();
  distributed::broadcast(&count, sizeof count, 0, "the model check");
  std::vector<std::uint64_t> root = mine;
  root.resize(count);
  distributed::broadcast(root.data(), count * sizeof(std::uint64_t), 0, "the model check");
  if (root != mine) {
    std::uint64_t values = 0, root_values = 0;
    for (const auto& v : weights) values += v->value.size();
    for (std::size_t i = 1; i <= root[0] && i < root.size(); ++i) root_values += root[i];
    throw ValueError("data-parallel fit: model \"" + model.name() + "\" has " + std::to_string(weights.size()) +
                     " weights with " + std::to_string(values) + " values on rank " + std::to_string(rank_) + ", but " +
                     std::to_string(root[0]) + " weights with " + std::to_string(root_values) +
                     " values on rank 0, or other weight sizes or another optimizer; every rank must build and "
                     "compile the same model");
  }
  for (const auto& v : weights) broadcast_weight(v);
  for (const auto& v : trainable)
    for (Array& slot : opt.slot_arrays(v)) distributed::broadcast(slot.data(), slot.size() * sizeof(float), 0, "the optimizer broadcast");
  std::int64_t iterations = opt.iterations();
  distributed::broadcast(&iterations, sizeof iterations, 0, "the optimizer broadcast");
  opt.set_iterations(iterations);
  std::vector<float>& scalars = opt.scalars();
  distributed::broadcast(scalars.data(), scalars.size() * sizeof(float), 0, "the optimizer broadcast");
  if (!opt.has_schedule()) {
    float lr = opt.learning_rate();
    distributed::broadcast(&lr, sizeof lr, 0, "the optimizer broadcast");
    opt.set_learning_rate(lr);
  }
}

void DataParallelContext::average_non_trainable(ModelImpl& model) {
  std::vector<VariablePtr> vars;
  std::size_t total = 0;
  for (const auto& v : model.non_trainable_weights())
    if (!v->value.is_int()) {
      vars.push_back(v);
      total += v->value.size();
    }
  if (total == 0) return;
  // mean = rank 0's value + the mean of the ranks' differences from it: exactly rank 0's value when all
  // agree (frozen layers, synchronized statistics), where a plain sum / size could move it by an ulp.
  std::vector<float> root(total), delta(total);
  std::size_t at = 0;
  for (const auto& v : vars) {
    std::memcpy(root.data() + at, v->value.data(), v->value.size() * sizeof(float));
    at += v->value.size();
  }
  distributed::broadcast(root.data(), total * sizeof(float), 0, "the non-trainable weights' average");
  at = 0;
  for (const auto& v : vars) {
    const float* p = v->value.data();
    for (std::size_t i = 0, n = v->value.size(); i < n; ++i) delta[at + i] = p[i] - root[at + i];
    at += v->value.size();
  }
  distributed::allreduce_sum(delta.data(), total, "the non-trainable weights' average");
  const float inv = 1.0f / static_cast<float>(size_);
  at = 0;
  for (const auto& v : vars) {
    float* p = v->value.data();
    for (std::size_t i = 0, n = v->value.size(); i < n; ++i) p[i] = root[at + i] + delta[at + i] * inv;
    at += v->value.size();
  }
}

}  // namespace xkeras::training
