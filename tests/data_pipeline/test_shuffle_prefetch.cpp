// shuffle (tf.data's buffer semantics) and prefetch (a background producer).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <xkeras/data.hpp>
#include <xkeras/errors.hpp>

using namespace xkeras;
using data::Dataset;
using data::Element;

namespace {

Dataset range(std::size_t n) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = float(i);
  return Dataset::from_tensors({Tensor::from({n}, v)});
}

std::vector<float> pass(data::Iterator it) {
  std::vector<float> out;
  while (auto e = it.next()) out.push_back(e->at(0).item());
  return out;
}
std::vector<float> pass(const Dataset& ds) { return pass(ds.begin_epoch()); }

std::vector<float> iota(std::size_t n) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = float(i);
  return v;
}

}  // namespace

TEST_CASE("shuffle is a permutation and is reproducible with a seed") {
  auto ds = range(100).shuffle(100, 42);
  auto a = pass(ds);
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == iota(100));
  CHECK(a != iota(100));
  // Same seed, a new Dataset: the same passes.
  auto again = range(100).shuffle(100, 42);
  CHECK(pass(again) == a);
  CHECK(pass(range(100).shuffle(100, 43)) != a);
}

TEST_CASE("shuffle reshuffles each pass unless told not to") {
  auto ds = range(50).shuffle(50, 7);
  auto p1 = pass(ds), p2 = pass(ds);
  CHECK(p1 != p2);
  auto s2 = p2;
  std::sort(s2.begin(), s2.end());
  CHECK(s2 == iota(50));
  // The sequence of passes is itself reproducible.
  auto twin = range(50).shuffle(50, 7);
  CHECK(pass(twin) == p1);
  CHECK(pass(twin) == p2);
  auto fixed = range(50).shuffle(50, 7, false);
  CHECK(pass(fixed) == pass(fixed));
}

TEST_CASE("shuffle with a small buffer only moves elements within reach") {
  // With buffer b, output k is one of the first k + b inputs (the buffer has seen no more), so
  // element i can come out no earlier than position i - b + 1.
  const std::size_t b = 4;
  auto out = pass(range(200).shuffle(b, 3));
  auto sorted = out;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == iota(200));
  for (std::size_t k = 0; k < out.size(); ++k) CHECK(out[k] < float(k + b));
  CHECK(out != iota(200));
  // buffer 1 is the identity.
  CHECK(pass(range(20).shuffle(1, 3)) == iota(20));
}

TEST_CASE("prefetch yields the same sequence as without") {
  auto ds = range(37).shuffle(10, 5, false).batch(4).map([](const Element& e) {
    return Element{Tensor::scalar(e[0].to_vector().back())};
  });
  CHECK(pass(ds.prefetch(3)) == pass(ds));
  CHECK(pass(ds.prefetch(1)) == pass(ds));
  CHECK(ds.prefetch(2).cardinality() == 10);
  CHECK_THROWS_AS(ds.prefetch(0), ValueError);
}

TEST_CASE("prefetch runs the input on another thread ahead of the consumer") {
  std::atomic<int> produced{0};
  const auto main_id = std::this_thread::get_id();
  std::atomic<bool> other_thread{false};
  auto ds = range(10).map([&](const Element& e) {
    if (std::this_thread::get_id() != main_id) other_thread = true;
    ++produced;
    return e;
  });
  auto it = ds.prefetch(3).begin_epoch();
  REQUIRE(it.next());
  // Wait (bounded) until the producer has filled its queue of 3 beyond the consumed element.
  for (int i = 0; i < 2000 && produced < 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(produced.load() == 4);
  CHECK(other_thread.load());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(produced.load() == 4);  // bounded: it waits for room
}

TEST_CASE("an exception in the producer reaches the consumer after the elements before it") {
  auto ds = range(10).map([](const Element& e) {
    if (e[0].item() == 3.0f) throw std::runtime_error("bad element 3");
    return e;
  });
  auto it = ds.prefetch(2).begin_epoch();
  CHECK(it.next()->at(0).item() == 0.0f);
  CHECK(it.next()->at(0).item() == 1.0f);
  CHECK(it.next()->at(0).item() == 2.0f);
  CHECK_THROWS_WITH(it.next(), "bad element 3");
}

TEST_CASE("destroying a prefetching iterator mid-pass stops its thread") {
  // An infinite input: only the stop request can end the producer.
  std::atomic<int> produced{0};
  auto ds = Dataset::from_generator([&]() -> std::optional<Element> {
              ++produced;
              return Element{Tensor::scalar(1)};
            }).prefetch(4);
  for (int round = 0; round < 20; ++round) {
    auto it = ds.begin_epoch();
    it.next();
  }  // each destructor joins; a hang here fails the test by CTest's timeout
  const int after = produced;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(produced.load() == after);  // no producer left running
  // Destroyed before the first next(): also joins.
  { auto it = ds.begin_epoch(); }
  // Nested prefetches.
  auto nested = range(100).prefetch(2).map([](const Element& e) { return e; }).prefetch(2);
  auto it = nested.begin_epoch();
  CHECK(it.next()->at(0).item() == 0.0f);
}
