// Keras's layer and weight order of functional models: the depth order of map_graph
// (keras_reference_layers2.md §11.2's worked examples), not the order of creation or of execution.
#include <catch2/catch.hpp>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;

namespace {
std::vector<std::string> names(const Model& m) {
  std::vector<std::string> out;
  for (const auto& l : m.layers()) out.push_back(l->name());
  return out;
}
}  // namespace

TEST_CASE("graph order: two Dense branches into Add come in argument order") {
  auto inp = Input({3}, "input_layer");
  auto a = layers::Dense(4, {.name = "dense"})(inp);
  auto b = layers::Dense(4, {.name = "dense_1"})(inp);
  Model m(inp, layers::Add("add")({a, b}));
  CHECK(names(m) == std::vector<std::string>{"input_layer", "dense", "dense_1", "add"});
}

TEST_CASE("graph order: the first argument path from the output wins over creation order") {
  auto inp = Input({3}, "input_layer");
  layers::Dense d0(4, {.name = "dense"}), d1(4, {.name = "dense_1"});
  auto a = d0(inp);  // created and called first...
  auto b = d1(inp);
  Model m(inp, layers::Concatenate(-1, "concatenate")({b, a}));  // ...but dense_1 is the first argument
  CHECK(names(m) == std::vector<std::string>{"input_layer", "dense_1", "dense", "concatenate"});
  // get_weights follows model.layers: dense_1's kernel and bias first.
  const auto w = m.get_weights();
  REQUIRE(w.size() == 4);
  CHECK((w[0] == d1->kernel()->value.value()));
  CHECK((w[2] == d0->kernel()->value.value()));
  // set_weights of a Keras-ordered list lands on the layers Keras meant.
  std::vector<Array> keras_list = w;
  keras_list[0].fill(1.0f);
  keras_list[2].fill(2.0f);
  m.set_weights(keras_list);
  CHECK(d1->kernel()->value.value()(0, 0) == 1.0f);
  CHECK(d0->kernel()->value.value()(0, 0) == 2.0f);
  // config["layers"] is written in the same order.
  const json c = json::parse(m.to_json());
  CHECK(c["config"]["layers"][1]["name"] == "dense_1");
  CHECK(c["config"]["layers"][2]["name"] == "dense");
}

TEST_CASE("graph order: an input at a shallower depth comes after a Dense") {
  auto in_a = Input({3}, "in_a");
  auto in_b = Input({2}, "in_b");
  auto x = layers::Dense(4, {.name = "dense"})(in_a);
  Model m({in_a, in_b}, layers::Concatenate(-1, "concatenate")({x, in_b}));
  CHECK(names(m) == std::vector<std::string>{"in_a", "dense", "in_b", "concatenate"});
}

TEST_CASE("graph order: a shared layer sits at its deepest call") {
  auto inp = Input({4}, "input_layer");
  layers::Dense shared(4, {.name = "shared"});
  auto h = shared(inp);
  auto g = layers::Dense(4, {.name = "middle"})(h);
  auto out = shared(g);  // the second call of "shared" is the last layer call
  Model m(inp, out);
  // shared's calls have depths 2 and 0: the layer takes 2, so it comes before "middle" (depth 1).
  CHECK(names(m) == std::vector<std::string>{"input_layer", "shared", "middle"});
}

TEST_CASE("graph order: an input no output reads sits at depth 0 with index -1, first of its depth") {
  auto used = Input({3}, "used");
  auto unused = Input({3}, "unused");
  Model m({used, unused}, layers::Dense(2, {.name = "dense"})(used));
  CHECK(names(m) == std::vector<std::string>{"used", "unused", "dense"});
}
