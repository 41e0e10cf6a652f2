// BackupAndRestore's training_metadata.json -> fit with the callback, which reads it in on_train_begin
// to resume at the epoch it names (callbacks/backup_and_restore.cpp). A tiny compiled model, one epoch.
#include <filesystem>
#include <fstream>

#include <xkeras/callbacks.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/models/sequential.hpp>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace xkeras;
  static const std::string dir = xkeras_fuzz::scratch_path() + ".backup";
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir + "/training_metadata.json", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  return xkeras_fuzz::guarded([&] {
    Sequential m({layers::Input({2}), layers::Dense(1)});
    m.compile("sgd", "mse");
    Array xa = Array::from_shape({2, 2}), ya = Array::from_shape({2, 1});
    xa.fill(0.5f);
    ya.fill(1.0f);
    const Tensor x(xa), y(ya);
    // delete_checkpoint=false keeps the folder for the next input; epochs 3 bounds the resumed run.
    m.fit(x, y, FitOptions().with_epochs(3).with_verbose(0).with_callbacks({callbacks::BackupAndRestore(dir, false, false)}));
  });
}
