// Very deep graphs are freed without recursion. Each Node owns its inputs' nodes, so freeing a chain
// used to recurse once per call: a 150 000-call graph died when destroyed, and a 99 999-layer
// Sequential at a 6 MiB stack. Here the graphs are smaller and run on a thread with a 256 KiB stack,
// which the old recursive free overflowed just the same.
#include <catch2/catch.hpp>

#include <pthread.h>

#include <functional>
#include <string>
#include <vector>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;

namespace {

// Runs `work` on a thread with a small stack; returns what it threw ("" when nothing).
std::string on_small_stack(const std::function<void()>& work) {
  struct Job {
    std::function<void()> work;
    std::string error;
  } job{work, ""};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t t;
  auto body = [](void* p) -> void* {
    auto* j = static_cast<Job*>(p);
    try {
      j->work();
    } catch (const std::exception& e) {
      j->error = e.what();
    }
    return nullptr;
  };
  REQUIRE(pthread_create(&t, &attr, body, &job) == 0);
  pthread_join(t, nullptr);
  pthread_attr_destroy(&attr);
  return job.error;
}

constexpr int kDepth = 20000;

}  // namespace

TEST_CASE("a functional chain of 20 000 calls of one shared layer is built, run and freed on a 256 KiB stack") {
  float out = 0;
  CHECK(on_small_stack([&] {
          auto x = Input({2});
          KerasTensor y = x;
          auto shared = layers::Activation("linear");
          for (int i = 0; i < kDepth; ++i) y = shared(y);
          Model m(x, layers::Activation("relu")(y));
          out = m.predict(Tensor::from({1, 2}, {-1.0f, 3.0f})).to_vector()[1];
        }) == "");
  CHECK(out == 3.0f);
}

TEST_CASE("a Sequential of 20 000 layers is freed on a 256 KiB stack") {
  std::size_t layers_seen = 0;
  CHECK(on_small_stack([&] {
          Sequential s({layers::Input({2})});
          for (int i = 0; i < kDepth; ++i) s.add(layers::Activation("linear"));
          layers_seen = s.layers().size();
        }) == "");
  CHECK(layers_seen == kDepth);
}

TEST_CASE("a model file of 20 000 calls loads and is freed on a 256 KiB stack, also when loading fails") {
  // Keras 3 JSON: four shared Activations called in turn, kDepth calls in all (5 000 each, within the
  // 10 000 calls a layer may have); the second variant refers to a call that does not exist.
  auto model_text = [](bool broken) {
    constexpr int kLayers = 4;
    std::vector<std::string> nodes(kLayers);
    for (int i = 0; i < kDepth; ++i) {
      const std::string src = i == 0 ? "in" : "act" + std::to_string((i - 1) % kLayers);
      const int node = i == 0 ? 0 : (i - 1) / kLayers;
      std::string& n = nodes[i % kLayers];
      n += std::string(n.empty() ? "" : ",") + R"({"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": [")" +
           src + R"(", )" + std::to_string(node) + R"(, 0]}}], "kwargs": {}})";
    }
    std::string layers = R"({"class_name": "InputLayer", "name": "in", "config": {"batch_shape": [null, 2], "name": "in"}, "inbound_nodes": []})";
    for (int j = 0; j < kLayers; ++j)
      layers += R"(, {"class_name": "Activation", "name": "act)" + std::to_string(j) + R"(", "config": {"name": "act)" +
                std::to_string(j) + R"(", "activation": "linear"}, "inbound_nodes": [)" + nodes[j] + "]}";
    const int last = kDepth - 1;
    return R"({"class_name": "Functional", "config": {"name": "deep", "layers": [)" + layers +
           R"(], "input_layers": [["in", 0, 0]], "output_layers": [["act)" + std::to_string(last % kLayers) + R"(", )" +
           std::to_string(broken ? last / kLayers + 5 : last / kLayers) + ", 0]]}}";
  };
  const std::string good = model_text(false), broken = model_text(true);
  std::size_t nodes = 0;
  CHECK(on_small_stack([&] { nodes = model_from_json(good)->nodes().size(); }) == "");
  CHECK(nodes == kDepth + 1);
  const std::string error = on_small_stack([&] { model_from_json(broken); });
  CHECK_THAT(error, Catch::Contains("config.output_layers[0][1]") && Catch::Contains("out of range"));
}
