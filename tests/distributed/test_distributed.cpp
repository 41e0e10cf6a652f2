// xkeras::distributed in one process (no mpirun): the process API, the tape's gradient-ready hook
// that the overlap rests on, the gradient buckets' bookkeeping, the data sharding, and that a
// DataParallel fit of one process is a plain fit. The multi-rank tests are in tests/distributed_mpi.
#include <catch2/catch.hpp>

#include <numeric>

#include "distributed/gradient_buckets.hpp"
#include "models/training/batch_source.hpp"
#include "xkeras/xkeras.hpp"

using namespace xkeras;

TEST_CASE("Without a launcher: rank 0 of 1, no MPI, collectives return at once") {
  distributed::init();
  CHECK_FALSE(distributed::initialized());
  CHECK(distributed::rank() == 0);
  CHECK(distributed::size() == 1);
  CHECK(distributed::local_rank() == 0);
  CHECK(distributed::local_size() == 1);
  CHECK(distributed::is_chief());
  std::vector<float> v{1, 2, 3};
  distributed::allreduce_sum(v.data(), v.size());
  distributed::broadcast(v.data(), v.size() * sizeof(float), 0);
  distributed::barrier();
  CHECK(v == std::vector<float>{1, 2, 3});
  CHECK(distributed::stats().allreduce_calls == 0);
  CHECK_THROWS_AS(distributed::set_timeout(0), ValueError);
  CHECK_THROWS_AS(distributed::set_timeout(-3), ValueError);
  distributed::set_timeout(300);
  distributed::finalize();  // nothing was started: a no-op
}

TEST_CASE("Tape::backward reports each watched gradient once, when it is final") {
  // w1 is read by two matmuls (the second one recorded first in reverse), w2 once, w3 never.
  Tensor w1 = Tensor::from({2, 2}, {1, 2, 3, 4}), w2 = Tensor::from({2, 1}, {0.5f, -1}), w3 = Tensor::from({1}, {7});
  for (const Tensor& w : {w1, w2, w3}) w.set_requires_grad(true);
  const Tensor x = Tensor::from({1, 2}, {1, -2});
  Tensor h = ops::add(ops::matmul(x, w1), ops::matmul(ops::relu(ops::matmul(x, w1)), w1));
  Tensor loss = ops::sum(ops::matmul(h, w2));
  std::vector<int> calls(3, 0);
  std::vector<std::vector<float>> seen(3);
  const std::vector<const TensorImpl*> watch{w1.impl(), w2.impl(), w3.impl()};
  Array seed = Array::from_shape(loss.value().shape());
  seed.fill(1.0f);
  Tape::current().backward(loss, seed, watch, [&](std::size_t i) {
    ++calls[i];
    const Tensor& w = i == 0 ? w1 : i == 1 ? w2 : w3;
    const Array g = w.grad();
    seen[i] = w.has_grad() ? std::vector<float>(g.begin(), g.end()) : std::vector<float>{};
  });
  CHECK(calls == std::vector<int>{1, 1, 1});
  const auto final_grad = [](const Tensor& w) {
    const Array g = w.grad();
    return std::vector<float>(g.begin(), g.end());
  };
  CHECK(seen[0] == final_grad(w1));  // the gradient when reported is the final one
  CHECK(seen[1] == final_grad(w2));
  CHECK(seen[2].empty());  // never read: reported at the end, without a gradient
  CHECK_FALSE(w3.has_grad());
}

TEST_CASE("Gradient buckets: large gradients alone and in place, small ones fused, one process sums to itself") {
  distributed::detail::GradientBuckets b;
  // 1000 floats >= the 256-float buckets: alone; the 100s fuse two per bucket; the extra rides along.
  const std::vector<std::size_t> sizes{100, 1000, 100, 100, 100};
  b.layout(sizes, 1, 256 * sizeof(float), true);
  CHECK(b.laid_out_for(sizes));
  std::vector<std::vector<float>> g;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    g.emplace_back(sizes[i]);
    std::iota(g.back().begin(), g.back().end(), float(i * 1000));
  }
  const auto before = g;
  b.begin();
  b.extras()[0] = 3.0f;
  for (std::size_t i = sizes.size(); i-- > 0;) b.ready(i, g[i].data());
  b.finish();
  CHECK(g == before);
  CHECK(b.extras()[0] == 3.0f);
}

TEST_CASE("Sharding: each rank's rows of a global batch, the larger shares first, too small a batch skipped in training") {
  using training::shard_rows;
  CHECK(shard_rows(128, 0, 2).begin == 0);
  CHECK(shard_rows(128, 0, 2).end == 64);
  CHECK(shard_rows(128, 1, 2).begin == 64);
  CHECK(shard_rows(128, 1, 2).end == 128);
  // 10 rows over 3 ranks: 4, 3, 3.
  CHECK(shard_rows(10, 0, 3).end == 4);
  CHECK(shard_rows(10, 1, 3).begin == 4);
  CHECK(shard_rows(10, 1, 3).end == 7);
  CHECK(shard_rows(10, 2, 3).begin == 7);
  CHECK(shard_rows(10, 2, 3).end == 10);
  // Fewer rows than ranks: the last ranks get none (training skips such a batch, evaluation keeps it).
  CHECK(shard_rows(2, 0, 3).end - shard_rows(2, 0, 3).begin == 1);
  CHECK(shard_rows(2, 1, 3).end - shard_rows(2, 1, 3).begin == 1);
  CHECK(shard_rows(2, 2, 3).end == shard_rows(2, 2, 3).begin);

  // Shuffled arrays: the ranks' batches, put together, are the one-process batch, in order.
  std::vector<float> xs(10);
  std::iota(xs.begin(), xs.end(), 0.0f);
  const Tensors x{Tensor::from({10, 1}, xs)};
  std::mt19937_64 rng0(42), rng1(42), rng_all(42);
  training::ArrayBatches all(x, nullptr, nullptr, 0, 10, 4, &rng_all), r0(x, nullptr, nullptr, 0, 10, 4, &rng0),
      r1(x, nullptr, nullptr, 0, 10, 4, &rng1);
  REQUIRE(r0.shard(0, 2, true));
  REQUIRE(r1.shard(1, 2, true));
  training::Batch ba, b0, b1;
  for (int step = 0; step < 3; ++step) {
    REQUIRE(all.next(ba));
    REQUIRE(r0.next(b0));
    REQUIRE(r1.next(b1));
    std::vector<float> joined = b0.x[0].to_vector();
    for (float v : b1.x[0].to_vector()) joined.push_back(v);
    CHECK(joined == ba.x[0].to_vector());
    CHECK(b0.global_rows == ba.x[0].shape()[0]);
  }
  CHECK_FALSE(r0.next(b0));

  // Evaluation over 3 ranks keeps a last batch of 1 row: rank 0 gets it, the others an empty batch.
  training::ArrayBatches e0(x, nullptr, nullptr, 0, 9, 4, nullptr), e2(x, nullptr, nullptr, 0, 9, 4, nullptr);
  REQUIRE(e0.shard(0, 3, false));
  REQUIRE(e2.shard(2, 3, false));
  for (int step = 0; step < 2; ++step) {
    REQUIRE(e0.next(b0));
    REQUIRE(e2.next(b1));
  }
  REQUIRE(e0.next(b0));
  REQUIRE(e2.next(b1));
  CHECK(b0.x[0].to_vector() == std::vector<float>{8});
  CHECK(b1.x.empty());
  CHECK(b1.global_rows == 1);
  CHECK_FALSE(e0.next(b0));
  CHECK_FALSE(e2.next(b1));
}

TEST_CASE("A DataParallel fit of one process is a plain fit, bit for bit") {
  const auto run = [](bool dp) {
    set_random_seed(11);
    auto in = Input({3});
    auto h = layers::BatchNormalization(layers::BatchNormalizationOptions().with_synchronized(true))(layers::Dense(4, "tanh")(in));
    Model m(in, layers::Dense(1)(h));
    m.compile(optimizers::Adam(0.01), "mse");
    std::vector<float> xv(60), yv(20);
    for (std::size_t i = 0; i < xv.size(); ++i) xv[i] = float(i % 7) * 0.3f - 1.0f;
    for (std::size_t i = 0; i < yv.size(); ++i) yv[i] = float(i % 3);
    FitOptions o = FitOptions().with_epochs(2).with_batch_size(8).with_verbose(0);
    if (dp) o.distribution = distributed::DataParallel();
    m.fit(Tensor::from({20, 3}, xv), Tensor::from({20, 1}, yv), o);
    return m.get_weights();
  };
  const auto a = run(false), b = run(true);
  REQUIRE(a.size() == b.size());
  for (std::size_t k = 0; k < a.size(); ++k) CHECK(a[k] == b[k]);
}

TEST_CASE("BatchNormalization(synchronized=true): Keras's config key round-trips") {
  auto bn = layers::BatchNormalization(layers::BatchNormalizationOptions().with_synchronized(true));
  const json c = bn.ptr()->get_config();
  CHECK(c["synchronized"] == true);
  auto again = layers::BatchNormalizationImpl::from_config(c, "config");
  CHECK(again->options().synchronized);
}
