// Hostile TensorFlow.js model folders: each must fail with exactly the documented exception type and a
// message naming the JSON path or the file at fault, before anything large is allocated. The model is
// Sequential([Dense(3)]) on 2 features (tfjs_case.hpp) unless a case says otherwise.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>

#include <cmath>
#include <limits>

#include "tfjs_case.hpp"
#include "xkeras/errors.hpp"

using namespace xkeras;
using namespace tfjstest;
using Catch::Contains;
using Catch::StartsWith;

namespace {

long peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// The Dense model with the manifest's first group's paths replaced.
std::string with_paths(const std::string& test, const json& paths, const Files& files) {
  json manifest = dense_manifest();
  manifest[0]["paths"] = paths;
  return write_model(test, document(dense_topology(), manifest), files);
}

// The Dense model with manifest entry `i` replaced and the given shard bytes.
std::string with_entry(const std::string& test, std::size_t i, const json& e, const std::string& shard) {
  json manifest = dense_manifest();
  manifest[0]["weights"][i] = e;
  return write_model(test, document(dense_topology(), manifest), {{"group1-shard1of1.bin", shard}});
}

}  // namespace

TEST_CASE("tfjs hostile: a shard path that leaves the model folder is refused before any file is opened") {
  for (const std::string p : {"../outside.bin", "sub/../../outside.bin", "/etc/passwd", "a//b.bin", ""}) {
    INFO(p);
    const std::string path = with_paths("dotdot", json::array({p}), {});
    // The file the path names exists: a refusal, not a missing file.
    write_bytes(fs::path(path).parent_path().parent_path().string() + "/outside.bin", dense_shard());
    const std::string e = error_of<ConfigError>([&] { load_model(path); });
    CHECK_THAT(e, StartsWith("weightsManifest[0].paths[0]: expected the name of a shard file in the model's folder"));
    CHECK_THAT(e, Contains("absolute paths and \"..\" are refused"));
  }
}

TEST_CASE("tfjs hostile: a shard that is a directory or a FIFO is not opened") {
  const std::string path = with_paths("special", json::array({"group1-shard1of1.bin"}), {});
  const std::string dir = fs::path(path).parent_path().string();
  fs::create_directory(dir + "/group1-shard1of1.bin");
  std::string e = error_of<IOError>([&] { load_model(path); });
  CHECK_THAT(e, Contains(dir + "/group1-shard1of1.bin (weightsManifest[0].paths[0]) is a directory, not a regular file"));

  fs::remove(dir + "/group1-shard1of1.bin");
  REQUIRE(mkfifo((dir + "/group1-shard1of1.bin").c_str(), 0600) == 0);  // opening it would block forever
  e = error_of<IOError>([&] { load_model(path); });
  CHECK_THAT(e, Contains(dir + "/group1-shard1of1.bin (weightsManifest[0].paths[0]) is a FIFO, not a regular file"));

  fs::remove(dir + "/group1-shard1of1.bin");
  e = error_of<IOError>([&] { load_model(path); });
  CHECK_THAT(e, Contains("cannot open the weights shard " + dir + "/group1-shard1of1.bin (weightsManifest[0].paths[0])"));
}

TEST_CASE("tfjs hostile: shard bytes one short or one long are refused with both sizes") {
  const std::string full = dense_shard();
  for (const std::string& shard : {full.substr(0, 35), full + "x"}) {
    const std::string path = write_model("size", document(dense_topology(), dense_manifest()), {{"group1-shard1of1.bin", shard}});
    const std::string e = error_of<ConfigError>([&] { load_model(path); });
    CHECK(e == "weightsManifest[0].paths: the group's shard files hold " + std::to_string(shard.size()) +
                   " bytes, but its weights need 36 bytes");
  }
}

TEST_CASE("tfjs hostile: manifest weights that do not fit the model name the entry") {
  SECTION("a shape that disagrees with the model") {
    const std::string path = with_entry("shape", 0, entry("d1/kernel", {3, 2}), dense_shard());
    CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
          "weightsManifest[0].weights[0].shape: weight \"d1/kernel\" has shape (2, 3) in the model, but the manifest gives (3, 2)");
  }
  SECTION("an unknown weight name") {
    const std::string path = with_entry("unknown", 1, entry("d1/beta", {3}), dense_shard());
    CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
          "weightsManifest[0].weights[1].name: the model has no weight named \"d1/beta\"");
  }
  SECTION("a weight given twice") {
    json manifest = dense_manifest();
    manifest[0]["weights"].push_back(entry("d1/bias", {3}));
    const std::string path =
        write_model("twice", document(dense_topology(), manifest), {{"group1-shard1of1.bin", dense_shard() + f32({7, 8, 9})}});
    CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
          "weightsManifest[0].weights[2].name: weight \"d1/bias\" is given twice (also weightsManifest[0].weights[1])");
  }
  SECTION("a model weight missing from the manifest") {
    json manifest = dense_manifest();
    manifest[0]["weights"].erase(1);
    const std::string path = write_model("missing", document(dense_topology(), manifest),
                                         {{"group1-shard1of1.bin", dense_shard().substr(0, 24)}});
    CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
          "weightsManifest: 1 weight(s) of the model are not in the manifest: d1/bias (3,)");
  }
}

TEST_CASE("tfjs hostile: dtypes that are not numbers are refused") {
  for (const std::string dtype : {"string", "bool", "complex64", "float64"}) {
    INFO(dtype);
    const std::string path = with_entry("dtype", 1, entry("d1/bias", {3}, dtype), dense_shard());
    CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
          "weightsManifest[0].weights[1].dtype: expected \"float32\" or \"int32\" (xkeras weights are numbers), got \"" + dtype + "\"");
  }
}

TEST_CASE("tfjs hostile: a quantization with a scale that is no finite number or an unknown dtype is refused") {
  json e = entry("d1/bias", {3});
  e["quantization"] = {{"dtype", "uint8"}, {"min", 0.0}, {"scale", nullptr}};  // JSON.stringify(NaN) is null
  std::string path = with_entry("qnull", 1, e, dense_shard().substr(0, 24) + "abc");
  CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
        "weightsManifest[0].weights[1].quantization.scale: expected a finite number, got null");

  // A literal NaN is not JSON: the document itself is refused, naming the file.
  e["quantization"]["scale"] = 0.5;
  json manifest = dense_manifest();
  manifest[0]["weights"][1] = e;
  std::string text = document(dense_topology(), manifest).dump();
  const auto at = text.find("0.5");
  REQUIRE(at != std::string::npos);
  text.replace(at, 3, "NaN");
  path = write_model_text("qnan", text, {{"group1-shard1of1.bin", dense_shard().substr(0, 24) + "abc"}});
  std::string msg = error_of<ConfigError>([&] { load_model(path); });
  CHECK_THAT(msg, StartsWith(path + ": invalid JSON"));

  e["quantization"] = {{"dtype", "int4"}, {"min", 0.0}, {"scale", 1.0}};
  path = with_entry("qdtype", 1, e, dense_shard());
  CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
        "weightsManifest[0].weights[1].quantization.dtype: expected \"uint8\", \"uint16\" or \"float16\", got \"int4\"");

  e["quantization"] = {{"dtype", "uint8"}, {"min", 0.0}, {"scale", 1.0}};
  e["dtype"] = "int32";
  path = with_entry("qbase", 1, e, dense_shard());
  CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
        "weightsManifest[0].weights[1].dtype: expected \"float32\" for a quantized weight, got \"int32\"");
}

TEST_CASE("tfjs hostile: a manifest declaring 2^31 values per weight fails before allocating them") {
  // Dense(32768) on 65536 features: a kernel of 2^31 values (8 GiB of float32), 4 bytes of shards.
  const json topology = dense_topology(65536, 32768);
  const long before = peak_rss_mib();
  SECTION("float32: the group alone would need 2^33 bytes") {
    const json manifest = json::array({group({"group1-shard1of1.bin"},
                                             json::array({entry("d1/kernel", {65536, 32768}), entry("d1/bias", {32768})}))});
    const std::string path = write_model("huge32", document(topology, manifest), {{"group1-shard1of1.bin", "abcd"}});
    CHECK(error_of<ConfigError>([&] { load_model(path); }) == "weightsManifest[0].weights[0]: the group's weights need more than 2^32 bytes");
  }
  SECTION("uint8: 2^31 bytes declared, 4 held") {
    json kernel = entry("d1/kernel", {65536, 32768});
    kernel["quantization"] = {{"dtype", "uint8"}, {"min", 0.0}, {"scale", 1.0}};
    const json manifest = json::array({group({"group1-shard1of1.bin"}, json::array({kernel, entry("d1/bias", {32768})}))});
    const std::string path = write_model("huge8", document(topology, manifest), {{"group1-shard1of1.bin", "abcd"}});
    CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
          "weightsManifest[0].paths: the group's shard files hold 4 bytes, but its weights need 2147614720 bytes");
  }
  SECTION("a dimension past 2^31") {
    const json manifest = json::array({group({"group1-shard1of1.bin"}, json::array({entry("d1/kernel", {65536, 4294967296})}))});
    const std::string path = write_model("hugedim", document(topology, manifest), {{"group1-shard1of1.bin", "abcd"}});
    CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
          "weightsManifest[0].weights[0].shape[1]: expected an integer in [0, 2147483648], got 4294967296");
  }
  CHECK(peak_rss_mib() - before < 64);
}

TEST_CASE("tfjs hostile: a graph model or a modelTopology that is not an object is refused") {
  json doc = document(dense_topology(), dense_manifest());
  doc["format"] = "graph-model";
  std::string path = write_model("graph", doc, {{"group1-shard1of1.bin", dense_shard()}});
  std::string e = error_of<ConfigError>([&] { load_model(path); });
  CHECK_THAT(e, StartsWith("format: this is a TensorFlow.js graph model"));

  doc["format"] = 3;
  path = write_model("format3", doc, {{"group1-shard1of1.bin", dense_shard()}});
  CHECK(error_of<ConfigError>([&] { load_model(path); }) == "format: expected \"layers-model\", got 3");

  for (const json& topology : {json("Sequential"), json::array({1}), json(nullptr)}) {
    INFO(topology.dump());
    doc = document(topology, dense_manifest());
    path = write_model("topology", doc, {{"group1-shard1of1.bin", dense_shard()}});
    CHECK_THAT(error_of<ConfigError>([&] { load_model(path); }), StartsWith("modelTopology: expected an object, got "));
  }
}

TEST_CASE("tfjs hostile: a malformed manifest names its JSON path") {
  json doc = document(dense_topology(), json::object());
  std::string path = write_model("manifest_obj", doc, {});
  CHECK_THAT(error_of<ConfigError>([&] { load_model(path); }), StartsWith("weightsManifest: expected a list of weight groups"));

  json manifest = dense_manifest();
  manifest[0]["weights"][0]["shape"] = {2, -3};
  path = write_model("negdim", document(dense_topology(), manifest), {{"group1-shard1of1.bin", dense_shard()}});
  CHECK(error_of<ConfigError>([&] { load_model(path); }) ==
        "weightsManifest[0].weights[0].shape[1]: expected an integer in [0, 2147483648], got -3");

  manifest = dense_manifest();
  manifest[0]["weights"][1].erase("name");
  path = write_model("noname", document(dense_topology(), manifest), {{"group1-shard1of1.bin", dense_shard()}});
  CHECK(error_of<ConfigError>([&] { load_model(path); }) == "weightsManifest[0].weights[1].name: missing required key");
}
