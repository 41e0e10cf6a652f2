// Dataset sources and element-wise transformations: exact element sequences, hand-written.
#include <catch2/catch.hpp>

#include <xkeras/data.hpp>
#include <xkeras/errors.hpp>

using namespace xkeras;
using data::Dataset;
using data::Element;

namespace {

// x row i = {2i, 2i+1}; y row i = 10 i.
Tensors xy(std::size_t n) {
  std::vector<float> x, y;
  for (std::size_t i = 0; i < n; ++i) {
    x.push_back(2.0f * i);
    x.push_back(2.0f * i + 1);
    y.push_back(10.0f * i);
  }
  return {Tensor::from({n, 2}, x), Tensor::from({n}, y)};
}

std::vector<Element> all(const Dataset& ds) {
  std::vector<Element> out;
  for (const Element& e : ds) out.push_back(e);
  return out;
}

// The first component's first value of each element.
std::vector<float> firsts(const Dataset& ds) {
  std::vector<float> out;
  for (const Element& e : ds) out.push_back(e[0].to_vector()[0]);
  return out;
}

}  // namespace

TEST_CASE("from_tensors slices along axis 0") {
  auto ds = Dataset::from_tensors(xy(3));
  CHECK(ds.cardinality() == 3);
  auto es = all(ds);
  REQUIRE(es.size() == 3);
  CHECK(es[1].size() == 2);
  CHECK(es[1][0].shape() == Shape{2});
  CHECK(es[1][0].to_vector() == std::vector<float>{2, 3});
  CHECK(es[1][1].shape() == Shape{});
  CHECK(es[2][1].item() == 20.0f);
  // Two passes see the same elements.
  CHECK(firsts(ds) == firsts(ds));
}

TEST_CASE("from_tensors keeps int32 components") {
  auto ds = Dataset::from_tensors({Tensor::from_ints({3, 2}, {1, 2, 3, 4, 5, 6})}).batch(2);
  auto es = all(ds);
  REQUIRE(es.size() == 2);
  CHECK(es[0][0].is_int());
  CHECK(es[0][0].shape() == Shape{2, 2});
  CHECK(es[1][0].shape() == Shape{1, 2});
  CHECK(es[1][0].idata()[1] == 6);
}

TEST_CASE("from_tensors refuses components of different lengths") {
  try {
    Dataset::from_tensors({Tensor::zeros({4, 2}), Tensor::zeros({3})});
    FAIL("expected ValueError");
  } catch (const ValueError& e) {
    CHECK(std::string(e.what()).find("lengths (4, 3)") != std::string::npos);
  }
  CHECK_THROWS_AS(Dataset::from_tensors({}), ValueError);
  CHECK_THROWS_AS(Dataset::from_tensors({Tensor::scalar(1)}), ValueError);
}

TEST_CASE("batch stacks along a new axis and keeps or drops the remainder") {
  auto ds = Dataset::from_tensors(xy(5)).batch(2);
  CHECK(ds.cardinality() == 3);
  auto es = all(ds);
  REQUIRE(es.size() == 3);
  CHECK(es[0][0].shape() == Shape{2, 2});
  CHECK(es[0][0].to_vector() == std::vector<float>{0, 1, 2, 3});
  CHECK(es[0][1].to_vector() == std::vector<float>{0, 10});
  CHECK(es[2][0].shape() == Shape{1, 2});
  CHECK(es[2][0].to_vector() == std::vector<float>{8, 9});
  auto dropped = Dataset::from_tensors(xy(5)).batch(2, true);
  CHECK(dropped.cardinality() == 2);
  CHECK(all(dropped).size() == 2);
  CHECK_THROWS_AS(Dataset::from_tensors(xy(5)).batch(0), ValueError);
}

TEST_CASE("batch of unequal element shapes names the element") {
  int i = 0;
  auto ds = Dataset::from_generator([&]() -> std::optional<Element> {
    if (i >= 3) return std::nullopt;
    ++i;
    return Element{Tensor::zeros({i == 3 ? std::size_t(4) : std::size_t(2)})};
  });
  auto it = ds.batch(3).begin_epoch();
  try {
    it.next();
    FAIL("expected ValueError");
  } catch (const ValueError& e) {
    INFO(e.what());
    CHECK(std::string(e.what()).find("component 0 of element 2 is float32 (4,), expected float32 (2,)") != std::string::npos);
  }
}

TEST_CASE("map take and repeat compose in order") {
  auto base = Dataset::from_tensors(xy(3));
  auto doubled = base.map([](const Element& e) { return Element{Tensor::scalar(2 * e[1].item())}; });
  CHECK(firsts(doubled) == std::vector<float>{0, 20, 40});
  CHECK(firsts(base.repeat(2)) == std::vector<float>{0, 2, 4, 0, 2, 4});
  CHECK(base.repeat(2).cardinality() == 6);
  CHECK(firsts(base.repeat().take(7)) == std::vector<float>{0, 2, 4, 0, 2, 4, 0});
  CHECK(base.repeat().cardinality() == data::kInfiniteCardinality);
  CHECK(base.repeat().take(7).cardinality() == 7);
  CHECK(firsts(base.take(2).repeat(2)) == std::vector<float>{0, 2, 0, 2});
  CHECK(base.take(10).cardinality() == 3);
  CHECK(firsts(base.take(0)).empty());
  // repeat, then batch across the pass boundary (tf.data's order of operations).
  auto b = all(base.repeat(2).batch(4));
  REQUIRE(b.size() == 2);
  CHECK(b[0][1].to_vector() == std::vector<float>{0, 10, 20, 0});
  CHECK(b[1][1].to_vector() == std::vector<float>{10, 20});
}

TEST_CASE("repeat of an empty dataset ends") {
  auto empty = Dataset::from_tensors(xy(3)).take(0);
  CHECK(empty.repeat().cardinality() == 0);
  CHECK(firsts(empty.repeat()).empty());
}

TEST_CASE("from_generator ends at nullopt and its cardinality is unknown") {
  int i = 0;
  auto ds = Dataset::from_generator([&]() -> std::optional<Element> {
    if (i >= 4) return std::nullopt;
    return Element{Tensor::scalar(float(i++))};
  });
  CHECK(ds.cardinality() == data::kUnknownCardinality);
  CHECK(firsts(ds.batch(3)) == std::vector<float>{0, 3});
  // A second pass continues with the same function, which is exhausted.
  CHECK(firsts(ds).empty());
  // A factory restarts every pass.
  auto fresh = Dataset::from_generator_factory([] {
    auto k = std::make_shared<int>(0);
    return data::Generator([k]() -> std::optional<Element> {
      if (*k >= 2) return std::nullopt;
      return Element{Tensor::scalar(float((*k)++))};
    });
  });
  CHECK(firsts(fresh) == std::vector<float>{0, 1});
  CHECK(firsts(fresh) == std::vector<float>{0, 1});
}

TEST_CASE("an infinite generator with take") {
  float v = 0;
  auto ds = Dataset::from_generator([&]() -> std::optional<Element> { return Element{Tensor::scalar(v++)}; });
  CHECK(firsts(ds.take(3)) == std::vector<float>{0, 1, 2});
}

TEST_CASE("an iterator outlives its dataset and stays ended") {
  data::Iterator it;
  {
    auto ds = Dataset::from_tensors(xy(2)).map([](const Element& e) { return e; });
    it = ds.begin_epoch();
  }
  CHECK(it.next()->at(1).item() == 0.0f);
  CHECK(it.next()->at(1).item() == 10.0f);
  CHECK(!it.next());
  CHECK(!it.next());
}

TEST_CASE("batch stops at the first end of its input") {
  // A generator that would go on after a nullopt: 0 1 2 end 3 4 ...
  int i = 0;
  auto ds = Dataset::from_generator([&]() -> std::optional<Element> {
    const int k = i++;
    if (k == 3) return std::nullopt;
    return Element{Tensor::scalar(float(k > 3 ? k - 1 : k))};
  });
  auto b = all(ds.batch(2));
  REQUIRE(b.size() == 2);
  CHECK(b[0][0].to_vector() == std::vector<float>{0, 1});
  CHECK(b[1][0].to_vector() == std::vector<float>{2});
  CHECK(i == 4);  // asked 4 times: three elements and the end
}
