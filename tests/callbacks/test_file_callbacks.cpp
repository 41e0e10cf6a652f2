// The callbacks that write files: CSVLogger's rows as Keras writes them, ModelCheckpoint's file names and
// save_best_only, BackupAndRestore resuming an interrupted fit; and Python's number formatting they use.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <xkeras/callbacks.hpp>

#include "callbacks/callback_fixtures.hpp"
#include "support/cout_capture.hpp"

using namespace xkeras;
using callbacks::python_float_str;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string fmt(const std::string& pattern, double v, bool is_int = false) {
  return callbacks::python_format(
      pattern, [&](const std::string&) -> std::optional<double> { return v; }, [&](const std::string&) { return is_int; });
}

}  // namespace

TEST_CASE("python_float_str prints as Python's repr") {
  CHECK(python_float_str(0.1) == "0.1");
  CHECK(python_float_str(3.0) == "3.0");
  CHECK(python_float_str(-2.5) == "-2.5");
  CHECK(python_float_str(1e-05) == "1e-05");
  CHECK(python_float_str(0.0001) == "0.0001");
  CHECK(python_float_str(1.5e-7) == "1.5e-07");
  CHECK(python_float_str(1e16) == "1e+16");
  CHECK(python_float_str(123456789.0) == "123456789.0");
  CHECK(python_float_str(static_cast<double>(0.01f)) == "0.009999999776482582");
  CHECK(python_float_str(0.0) == "0.0");
  CHECK(python_float_str(std::nan("")) == "nan");
  CHECK(python_float_str(-INFINITY) == "-inf");
}

TEST_CASE("python_format fills fields as str.format") {
  CHECK(fmt("ckpt_{epoch:02d}.keras", 3, true) == "ckpt_03.keras");
  CHECK(fmt("{epoch}", 12, true) == "12");
  CHECK(fmt("m-{val_loss:.2f}.keras", 0.12567) == "m-0.13.keras");
  CHECK(fmt("{v:>8.3f}|", 1.5) == "   1.500|");
  CHECK(fmt("{v:*<6.1f}|", 1.5) == "1.5***|");
  CHECK(fmt("{v:+.1e}", 12345.0) == "+1.2e+04");
  CHECK(fmt("{v:.1%}", 0.25) == "25.0%");
  CHECK(fmt("{v}", 0.5) == "0.5");
  CHECK(fmt("{{literal}}_{v:03d}", 7, true) == "{literal}_007");
  CHECK_THROWS_AS(fmt("{v:d}", 0.5), ValueError);   // Python refuses 'd' for a float
  CHECK_THROWS_AS(fmt("{v", 1), ValueError);
  CHECK_THROWS_AS(fmt("a}b", 1), ValueError);
  CHECK_THROWS_AS(fmt("{v:.}", 1), ValueError);
  CHECK_THROWS_AS(fmt("{v:q}", 1), ValueError);
  CHECK_THROWS_WITH(callbacks::python_format(
                        "{nope}", [](const std::string&) -> std::optional<double> { return std::nullopt; },
                        [](const std::string&) { return false; }),
                    Catch::Contains("{nope}"));
}

TEST_CASE("CSVLogger writes Keras's rows") {
  cbtest::TempDir dir("csv");
  Model m = cbtest::regressor(optimizers::SGD(0.01f));
  auto [x, y] = cbtest::make_data(10);
  const std::string path = dir / "log.csv";
  // Given by value, as Keras's callbacks=[CSVLogger(path)]: the list owns it.
  const History h = m.fit(x, y, FitOptions().with_epochs(2).with_batch_size(4).with_validation_split(0.2).with_verbose(0)
                                    .with_callbacks({callbacks::CSVLogger(path), callbacks::TerminateOnNaN()}));
  const std::string want = "epoch,loss,val_loss\r\n0," + python_float_str(h["loss"][0]) + "," +
                           python_float_str(h["val_loss"][0]) + "\r\n1," + python_float_str(h["loss"][1]) + "," +
                           python_float_str(h["val_loss"][1]) + "\r\n";
  CHECK(slurp(path) == want);

  // Without validation, Keras adds val_ columns that read NA; append=true adds rows without a header.
  const std::string path2 = dir / "log2.csv";
  auto logger = std::make_shared<callbacks::CSVLogger>(path2, ";", true);
  const History h2 = m.fit(x, y, FitOptions().with_epochs(1).with_batch_size(4).with_verbose(0).with_callbacks({logger}));
  const History h3 = m.fit(x, y, FitOptions().with_epochs(1).with_batch_size(4).with_verbose(0).with_callbacks({logger}));
  CHECK(slurp(path2) == "epoch;loss;val_loss\r\n0;" + python_float_str(h2["loss"][0]) + ";NA\r\n0;" +
                            python_float_str(h3["loss"][0]) + ";NA\r\n");
}

TEST_CASE("ModelCheckpoint names files from the epoch and logs and saves the best only") {
  cbtest::TempDir dir("ckpt");
  Model m = cbtest::regressor(optimizers::SGD(0.01f));
  const std::string pattern = dir / "sub/m_{epoch:02d}_{loss:.1f}.keras";
  callbacks::ModelCheckpoint all(pattern);
  CHECK(all.file_path(2, Logs{{"loss", 0.26}}) == dir / "sub/m_03_0.3.keras");

  callbacks::ModelCheckpoint best(dir / "best_{epoch}.weights.h5",
                                  callbacks::ModelCheckpointOptions().with_monitor("val_loss").with_save_best_only(true)
                                      .with_save_weights_only(true).with_verbose(1));
  best.set_model(m.ptr());
  testing::CoutCapture out;
  const std::vector<double> losses = {0.5, 0.6, 0.4, 0.4};
  for (int e = 0; e < 4; ++e) {
    Logs logs{{"loss", 1.0}, {"val_loss", losses[static_cast<std::size_t>(e)]}};
    best.on_epoch_end(e, logs);
  }
  namespace fs = std::filesystem;
  CHECK(fs::exists(dir / "best_1.weights.h5"));
  CHECK_FALSE(fs::exists(dir / "best_2.weights.h5"));
  CHECK(fs::exists(dir / "best_3.weights.h5"));
  CHECK_FALSE(fs::exists(dir / "best_4.weights.h5"));  // equal is not better
  CHECK(out.text.str() == "\nEpoch 1: val_loss improved from inf to 0.50000, saving model to " + (dir / "best_1.weights.h5") +
                              "\n\nEpoch 2: val_loss did not improve from 0.50000\n"
                              "\nEpoch 3: val_loss improved from 0.50000 to 0.40000, saving model to " + (dir / "best_3.weights.h5") +
                              "\n\nEpoch 4: val_loss did not improve from 0.40000\n");
  CHECK_THROWS_WITH(callbacks::ModelCheckpoint(dir / "w.h5", callbacks::ModelCheckpointOptions().with_save_weights_only(true)),
                    Catch::Contains("must end in `.weights.h5`"));
  CHECK_THROWS_WITH(callbacks::ModelCheckpoint(dir / "m.json"), Catch::Contains("must end in `.keras`"));
}

TEST_CASE("ModelCheckpoint in fit writes a model that loads with the trained weights") {
  cbtest::TempDir dir("ckpt_fit");
  Model m = cbtest::regressor(optimizers::Adam(0.01f));
  auto [x, y] = cbtest::make_data(12);
  m.fit(x, y, FitOptions().with_epochs(2).with_batch_size(4).with_verbose(0)
                  .with_callbacks({std::make_shared<callbacks::ModelCheckpoint>(
                      dir / "e{epoch}.keras", callbacks::ModelCheckpointOptions().with_monitor("loss"))}));
  Model e2 = load_model(dir / "e2.keras");
  const auto a = m.get_weights(), b = e2.get_weights();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == b[i]);
  CHECK(e2.optimizer()->iterations() == 6);
  CHECK(std::filesystem::exists(dir / "e1.keras"));
}

TEST_CASE("BackupAndRestore resumes an interrupted fit where its backup stopped") {
  cbtest::TempDir dir("backup");
  auto [x, y] = cbtest::make_data(12);
  const auto opts = FitOptions().with_epochs(4).with_batch_size(4).with_shuffle(false).with_verbose(0);

  Model straight = cbtest::regressor(optimizers::Adam(0.01f));
  straight.fit(x, y, opts);

  Model m = cbtest::regressor(optimizers::Adam(0.01f));
  auto backup = std::make_shared<callbacks::BackupAndRestore>(dir / "bk");
  struct Crash : callbacks::Callback {
    void on_epoch_end(int epoch, Logs&) override {
      if (epoch == 1) throw std::runtime_error("simulated crash");
    }
  };
  CHECK_THROWS_WITH(m.fit(x, y, FitOptions(opts).with_callbacks({backup, std::make_shared<Crash>()})), "simulated crash");
  CHECK(std::filesystem::exists(dir / "bk/latest.weights.h5"));

  // A new process would build a fresh model; the backup brings back weights, optimizer state and the epoch.
  Model resumed = cbtest::regressor(optimizers::Adam(0.01f));
  const History h = resumed.fit(x, y, FitOptions(opts).with_callbacks({backup}));
  CHECK(h.epoch == std::vector<int>{2, 3});
  CHECK(resumed.optimizer()->iterations() == 12);
  const auto a = straight.get_weights(), b = resumed.get_weights();
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == b[i]);
  CHECK_FALSE(std::filesystem::exists(dir / "bk"));  // deleted once training ended normally

  std::filesystem::create_directories(dir / "bad");
  std::ofstream(dir / "bad/training_metadata.json") << "{\"epoch\": -3}";
  Model fresh = cbtest::regressor(optimizers::Adam(0.01f));
  CHECK_THROWS_WITH(fresh.fit(x, y, FitOptions(opts).with_callbacks({std::make_shared<callbacks::BackupAndRestore>(dir / "bad")})),
                    Catch::Contains("training_metadata.json"));
}
