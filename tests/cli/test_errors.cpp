// xkeras-convert's failures: a wrong command line exits with 2, a file that cannot be read or written
// with 1, and the message says what went wrong and names the file.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "cli_helpers.hpp"

using namespace clitest;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("help lists the formats and every option") {
  const Run r = convert({"--help"});
  CHECK(r.exit_code == 0);
  for (const char* part : {"--summary", "--weights", "--to", "--no-compile", "--by-name", "--skip-mismatch", ".keras", ".h5", ".weights.h5",
                           "model.json", "to_json()"})
    CHECK(has(r.output, part));
}

TEST_CASE("wrong command lines exit with code 2 and say why") {
  const std::string dir = scratch("usage");
  dense_model().save(dir + "/m.json");

  Run r = convert({});
  CHECK(r.exit_code == 2);
  CHECK(has(r.output, "IN and OUT are required"));

  r = convert({dir + "/m.json"});
  CHECK(r.exit_code == 2);
  CHECK(has(r.output, "IN and OUT are required"));

  r = convert({dir + "/m.json", dir + "/out.xyz"});
  CHECK(r.exit_code == 2);
  CHECK(has(r.output, "cannot tell the output format from the name \"" + dir + "/out.xyz\""));

  r = convert({"--to", "onnx", dir + "/m.json", dir + "/out.onnx"});
  CHECK(r.exit_code != 0);
  CHECK(has(r.output, "--to"));
  CHECK(has(r.output, "onnx"));

  r = convert({"--to", "tfjs", dir + "/m.json", dir + "/web.json"});
  CHECK(r.exit_code == 2);
  CHECK(has(r.output, "give \"" + dir + "/web\" or FOLDER/model.json"));

  r = convert({"--summary", dir + "/m.json", dir + "/other.json"});
  CHECK(r.exit_code != 0);

  r = convert({"--by-name", dir + "/m.json", dir + "/o.json"});
  CHECK(r.exit_code == 2);
  CHECK(has(r.output, "--by-name applies to --weights"));

  r = convert({"--skip-mismatch", dir + "/m.json", dir + "/o.json"});
  CHECK(r.exit_code == 2);
  CHECK(has(r.output, "--skip-mismatch applies to --weights"));

  r = convert({"--frobnicate", dir + "/m.json", dir + "/o.json"});
  CHECK(r.exit_code != 0);
  CHECK(has(r.output, "frobnicate"));
  // Nothing was written by any of these.
  CHECK_FALSE(std::filesystem::exists(dir + "/o.json"));
  CHECK_FALSE(std::filesystem::exists(dir + "/out.xyz"));
}

TEST_CASE("unreadable inputs exit with code 1 and the message names the file") {
  const std::string dir = scratch("unreadable");
  Run r = convert({dir + "/missing.keras", dir + "/o.json"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.output, "xkeras-convert: error: "));
  CHECK(has(r.output, dir + "/missing.keras"));

  write_text(dir + "/garbage.json", "hello, world");
  r = convert({dir + "/garbage.json", dir + "/o.json"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.output, dir + "/garbage.json"));

  // A JSON file that is not a model: the message names the file and the JSON path.
  write_text(dir + "/not_model.json", "{\"format\": \"xkeras\", \"format_version\": 1, \"model\": 12, \"weights\": []}");
  r = convert({dir + "/not_model.json", dir + "/o.json"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.output, dir + "/not_model.json"));
  CHECK(has(r.output, "model"));

  // An architecture without --weights says what is missing.
  write_text(dir + "/arch.json", dense_model().to_json());
  r = convert({dir + "/arch.json", dir + "/o.json"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.output, dir + "/arch.json: holds a model's architecture only"));
  CHECK(has(r.output, "--weights FILE"));

  // A broken architecture with --weights: the file and the JSON path of the problem.
  write_text(dir + "/bad_arch.json",
             "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [{\"class_name\": \"Dense\", "
             "\"config\": {\"name\": \"d\", \"units\": -4}}]}}");
  r = convert({dir + "/bad_arch.json", dir + "/o.json", "--weights", dir + "/missing.weights.h5"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.output, dir + "/bad_arch.json: config.layers[0].config.units"));

  // A FIFO is refused, not waited on (also where --weights makes the tool look at the file itself).
  REQUIRE(mkfifo((dir + "/fifo.json").c_str(), 0600) == 0);
  r = convert({dir + "/fifo.json", dir + "/o.json", "--weights", dir + "/w.weights.h5"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.output, dir + "/fifo.json"));

  // A folder without model.json.
  std::filesystem::create_directories(dir + "/empty_dir");
  r = convert({dir + "/empty_dir", dir + "/o.json"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.output, dir + "/empty_dir: is a folder without model.json"));

  // Truncated archive and HDF5 signatures.
  write_text(dir + "/cut.keras", std::string("PK\x03\x04\x14\x00\x00\x00", 8));
  r = convert({dir + "/cut.keras", dir + "/o.json"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.output, dir + "/cut.keras"));
  write_text(dir + "/cut.h5", std::string("\x89HDF\r\n\x1a\n\0\0\0\0", 12));
  r = convert({dir + "/cut.h5", dir + "/o.json"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.output, dir + "/cut.h5"));
  CHECK_FALSE(std::filesystem::exists(dir + "/o.json"));
}

TEST_CASE("an output that cannot be written exits with code 1 and names it") {
  const std::string dir = scratch("unwritable");
  dense_model().save(dir + "/m.json");
  const Run r = convert({dir + "/m.json", dir + "/no/such/folder/o.json"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.output, dir + "/no/such/folder/o.json"));
}
