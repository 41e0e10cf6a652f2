// Data-parallel training across real MPI ranks: started by CTest as `mpirun -np K test_dp_worker`
// (mpi_tests.cmake). Every rank runs the same test cases in the same order. The reference runs are
// single-process fits of rank 0's model on the same data, made on each rank without any MPI call.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "xkeras/xkeras.hpp"

using namespace xkeras;

namespace {

struct Data {
  Tensor x, y;
};

// 3 classes from a fixed linear rule over 20 smooth features: learnable, deterministic, no files.
Data make_data(std::size_t n) {
  std::vector<float> x(n * 20), y(n * 3, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    float score[3] = {0, 0, 0};
    for (std::size_t j = 0; j < 20; ++j) {
      const float v = std::sin(0.37f * float(i) + 1.3f * float(j)) + 0.1f * float(j % 3);
      x[i * 20 + j] = v;
      score[j % 3] += v * (j % 2 ? 1.0f : -0.5f);
    }
    std::size_t best = 0;
    for (std::size_t c = 1; c < 3; ++c)
      if (score[c] > score[best]) best = c;
    y[i * 3 + best] = 1.0f;
  }
  return {Tensor::from({n, 20}, x), Tensor::from({n, 3}, y)};
}

Model make_model(bool bn, bool synchronized, std::uint64_t seed) {
  set_random_seed(seed);
  auto in = Input({20});
  auto h = layers::Dense(32, "relu")(in);
  if (bn) h = layers::BatchNormalization(layers::BatchNormalizationOptions().with_synchronized(synchronized))(h);
  return Model(in, layers::Dense(3, "softmax")(h));
}

Optimizer make_optimizer(const std::string& name) {
  return name == "sgd" ? optimizers::SGD(0.1, 0.9f) : optimizers::Adam(0.01);
}

double max_abs_diff(const Model& a, const Model& b) {
  const auto wa = a.get_weights(), wb = b.get_weights();
  REQUIRE(wa.size() == wb.size());
  double worst = 0;
  for (std::size_t k = 0; k < wa.size(); ++k)
    for (std::size_t i = 0; i < wa[k].size(); ++i) worst = std::max(worst, double(std::abs(wa[k].data()[i] - wb[k].data()[i])));
  return worst;
}

// The largest difference between this rank's weights and rank 0's, the same on every rank.
double max_diff_to_rank0(const Model& m) {
  double worst = 0;
  for (const auto& w : m.get_weights()) {
    Array mine = w, root = w;
    distributed::broadcast(root.data(), root.size() * sizeof(float), 0);
    for (std::size_t i = 0; i < w.size(); ++i) worst = std::max(worst, double(std::abs(mine.data()[i] - root.data()[i])));
  }
  distributed::allreduce_max(&worst, 1);
  return worst;
}

FitOptions fit_options(int epochs, bool distributed, bool overlap = false) {
  FitOptions o = FitOptions().with_epochs(epochs).with_batch_size(128).with_verbose(0);
  // Small fusion buffers: several buckets per step, so that overlap has something to start early.
  if (distributed) o.distribution = distributed::DataParallel().with_overlap(overlap).with_bucket_bytes(2048);
  return o;
}

}  // namespace

TEST_CASE("K ranks with batch 128/K each train like 1 rank with batch 128, SGD and Adam, with and without BN") {
  REQUIRE(distributed::size() >= 2);
  const Data d = make_data(512);  // 4 global batches per epoch, 3 epochs: 12 steps
  for (const bool overlap : {false, true})
  for (const std::string opt : {"sgd", "adam"})
    for (const bool bn : {false, true}) {
      // Different initial weights per rank: the broadcast must make them rank 0's.
      Model dist = make_model(bn, true, 1 + std::uint64_t(distributed::rank()));
      dist.compile(make_optimizer(opt), "categorical_crossentropy", {"accuracy"});
      const History hd = dist.fit(d.x, d.y, fit_options(3, true, overlap));
      Model ref = make_model(bn, true, 1);
      ref.compile(make_optimizer(opt), "categorical_crossentropy", {"accuracy"});
      const History hr = ref.fit(d.x, d.y, fit_options(3, false));
      const double diff = max_abs_diff(dist, ref);
      double worst = diff;
      distributed::allreduce_max(&worst, 1);
      if (distributed::is_chief())
        std::printf("equivalence %d ranks, %s, %s, overlap %s: worst |weight difference| %.3g after 12 steps\n",
                    distributed::size(), opt.c_str(), bn ? "synchronized BatchNormalization" : "no BatchNormalization",
                    overlap ? "on" : "off", worst);
      CHECK(diff < 2e-5);
      CHECK(max_diff_to_rank0(dist) == 0.0);  // every rank applied the same updates
      // The logs are those of the global batch: the loss and accuracy of the single-process run.
      for (std::size_t e = 0; e < 3; ++e) {
        CHECK(hd["loss"][e] == Approx(hr["loss"][e]).epsilon(1e-5));
        CHECK(hd["accuracy"][e] == Approx(hr["accuracy"][e]).margin(1e-6));
      }
      CHECK(dist.optimizer()->iterations() == 12);
    }
}

TEST_CASE("Unsynchronized BatchNormalization: the ranks stay identical (moving statistics averaged each epoch)") {
  const Data d = make_data(512);
  Model m = make_model(true, false, 7);
  m.compile(optimizers::Adam(0.01), "categorical_crossentropy");
  m.fit(d.x, d.y, fit_options(2, true));
  CHECK(max_diff_to_rank0(m) < 1e-6);
}

TEST_CASE("Broadcast: rank 0's weights and optimizer state on every rank, whatever each rank's seed") {
  const Data d = make_data(256);
  Model m = make_model(false, false, 100 + std::uint64_t(distributed::rank()));
  m.compile(optimizers::Adam(0.01), "categorical_crossentropy");
  CHECK(max_diff_to_rank0(m) > 0.01);  // different before
  // Rank 0 alone trains a little first: its Adam slots and iteration count must reach the others.
  if (distributed::is_chief()) m.fit(d.x, d.y, fit_options(1, false));
  m.fit(d.x, d.y, fit_options(0, true));  // no step: only the broadcast at train begin
  CHECK(max_diff_to_rank0(m) == 0.0);
  CHECK(m.optimizer()->iterations() == 2);
  double worst = 0;
  for (const auto& v : m.ptr()->trainable_weights())
    for (Array slot : m.optimizer()->slot_arrays(v)) {
      Array root = slot;
      distributed::broadcast(root.data(), root.size() * sizeof(float), 0);
      for (std::size_t i = 0; i < slot.size(); ++i) worst = std::max(worst, double(std::abs(slot.data()[i] - root.data()[i])));
    }
  CHECK(worst == 0.0);
}

TEST_CASE("evaluate with distribution gives the single-process result") {
  const Data d = make_data(257);  // batches of 128, 128 and 1 row: the last leaves ranks without rows
  Model m = make_model(false, false, 5);
  m.compile(optimizers::SGD(0.1), "categorical_crossentropy", {"accuracy", metrics::AUC()});
  const auto local = m.evaluate(d.x, d.y, EvaluateOptions().with_batch_size(128));
  const auto global =
      m.evaluate(d.x, d.y, EvaluateOptions().with_batch_size(128).with_distribution(distributed::DataParallel()));
  CHECK(global.at("loss") == Approx(local.at("loss")).epsilon(1e-6));
  CHECK(global.at("accuracy") == Approx(local.at("accuracy")).margin(1e-9));
  CHECK(global.at("auc") == Approx(local.at("auc")).epsilon(1e-6));
  // The same through a Dataset.
  const auto ds = data::Dataset::from_tensors({d.x, d.y}).batch(128);
  const auto from_ds = m.evaluate(ds, EvaluateOptions().with_distribution(distributed::DataParallel()));
  CHECK(from_ds.at("loss") == Approx(local.at("loss")).epsilon(1e-6));
  CHECK(from_ds.at("accuracy") == Approx(local.at("accuracy")).margin(1e-9));
}

namespace {
// A metric that cannot be summed over ranks: its value is the rank's number.
class RankMetric : public metrics::MetricImpl {
 public:
  void update_state(const Tensor&, const Tensor&, const Tensor&) override {}
  double result() const override { return 10.0 + distributed::rank(); }
  void reset_state() override {}
  std::string name() const override { return "rank_metric"; }
  std::string class_name() const override { return "RankMetric"; }
};
}  // namespace

TEST_CASE("A metric without summable_state logs rank 0's value on every rank") {
  const Data d = make_data(256);
  Model m = make_model(false, false, 6);
  m.compile(optimizers::SGD(0.1), "categorical_crossentropy", {Metric(std::make_shared<RankMetric>())});
  const History h = m.fit(d.x, d.y, fit_options(1, true));
  CHECK(h["rank_metric"][0] == 10.0);
}

TEST_CASE("A Sequential built by its first call (no Input) gets rank 0's weights too") {
  const Data d = make_data(256);
  set_random_seed(50 + std::uint64_t(distributed::rank()));
  Sequential m({layers::Dense(16, "relu"), layers::Dense(3, "softmax")});
  m.compile(optimizers::Adam(0.01), "categorical_crossentropy");
  m.fit(d.x, d.y, fit_options(1, true));
  CHECK(max_diff_to_rank0(m) == 0.0);
}

TEST_CASE("Rank 0 alone writes checkpoints and CSV logs; a stop on one rank stops every rank") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("xkeras_dp_" + std::to_string(::getppid()));
  if (distributed::is_chief()) fs::create_directories(dir);
  distributed::barrier();
  const std::string me = std::to_string(distributed::rank());
  const Data d = make_data(512);
  Model m = make_model(false, false, 3);
  m.compile(optimizers::SGD(0.1), "categorical_crossentropy");
  auto stop = callbacks::LambdaCallback(callbacks::LambdaCallbackOptions().with_on_train_batch_end([&](int batch, Logs&) {
    if (distributed::rank() == 1 && batch == 1) m.set_stop_training(true);  // rank 1 only
  }));
  FitOptions o = fit_options(3, true);
  o.callbacks = {callbacks::CSVLogger((dir / ("log_" + me + ".csv")).string()),
                 callbacks::ModelCheckpoint((dir / ("ckpt_" + me + ".keras")).string()), stop};
  const History h = m.fit(d.x, d.y, o);
  CHECK(h.epoch.size() == 1);                  // stopped in the first epoch, on every rank
  CHECK(m.optimizer()->iterations() == 2);     // after batch 1: two steps everywhere
  const bool wrote = fs::exists(dir / ("log_" + me + ".csv")) && fs::exists(dir / ("ckpt_" + me + ".keras"));
  CHECK(wrote == distributed::is_chief());
  distributed::barrier();
  if (distributed::is_chief()) fs::remove_all(dir);
}

TEST_CASE("A last batch with fewer rows than ranks is skipped on every rank, without a hang") {
  const Data d = make_data(129);  // 128 + 1 row
  Model m = make_model(false, false, 9);
  m.compile(optimizers::SGD(0.1), "categorical_crossentropy");
  m.fit(d.x, d.y, fit_options(2, true));
  CHECK(m.optimizer()->iterations() == 2);
  CHECK(max_diff_to_rank0(m) == 0.0);
}

TEST_CASE("Under mpirun, a fit without distribution stays local, synchronized BatchNormalization included") {
  const Data d = make_data(256);
  Model m = make_model(true, true, 4);
  m.compile(optimizers::SGD(0.1), "categorical_crossentropy", {"accuracy"});
  const auto before = distributed::stats();
  m.fit(d.x, d.y, fit_options(2, false));
  m.evaluate(d.x, d.y);
  const auto after = distributed::stats();
  CHECK(after.allreduce_calls == before.allreduce_calls);
  CHECK(after.broadcast_calls == before.broadcast_calls);
}

int main(int argc, char** argv) {
  distributed::Session mpi(&argc, &argv);
  distributed::set_timeout(120);  // a failing CHECK on one rank must not hold CTest for long
  set_num_threads(1);
  const int failed = Catch::Session().run(argc, argv);
  return failed;
}
