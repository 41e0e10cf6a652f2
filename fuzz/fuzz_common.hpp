// Shared by the fuzz targets: the exception policy, a per-process scratch file and a small predict.
// The same sources build the libFuzzer binaries (clang, XKERAS_FUZZ=ON) and the corpus replays of
// the normal build (fuzz/replay_main.cpp), so a finding reproduces without clang.
#pragma once

#include <cxxabi.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include <xkeras/errors.hpp>
#include <xkeras/models/model.hpp>
#include <xkeras/threads.hpp>

namespace xkeras_fuzz {

// One thread: libFuzzer runs one process per core, and OpenMP workers spinning on a shared 2-core
// machine only slow every execution down. (This sets the runtime xkeras was compiled against;
// scripts/fuzz.sh also exports OMP_NUM_THREADS=1 for oneDNN's libgomp, which reads it at load.)
inline void init_once() {
  static const bool done = [] {
    try {
      xkeras::set_num_threads(1);
    } catch (...) {
    }
    return true;
  }();
  (void)done;
}

inline std::string type_name(const std::type_info& t) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> s(abi::__cxa_demangle(t.name(), nullptr, nullptr, &status), std::free);
  return status == 0 && s ? s.get() : t.name();
}

[[noreturn]] inline void finding(const std::string& type, const char* what) {
  std::fprintf(stderr, "\n==xkeras-fuzz== uncaught exception of type %s: %s\n", type.c_str(), what);
  std::fflush(stderr);
  std::abort();  // libFuzzer saves the input as a crash artifact
}

/// Runs `f`. xkeras's own exception types are the documented answer to a bad file, so they end the
/// input quietly; anything else escaping (a nlohmann::json exception, std::out_of_range,
/// std::bad_alloc, ...) is a bug the library must turn into one of its own errors: abort.
template <class F>
int guarded(F&& f) {
  init_once();
  try {
    f();
  } catch (const xkeras::ValueError&) {
  } catch (const xkeras::ConfigError&) {
  } catch (const xkeras::IOError&) {
  } catch (const xkeras::NotImplementedError&) {
  } catch (const std::exception& e) {
    finding(type_name(typeid(e)), e.what());
  } catch (...) {
    finding("(not a std::exception)", "");
  }
  return 0;
}

/// A scratch file for readers that take a path: one per process (the pid keeps parallel libFuzzer
/// jobs apart), rewritten for each input, removed at exit.
inline const std::string& scratch_path() {
  // Never destroyed: the atexit handler below is registered before the static is constructed, so it
  // would run after a static std::string had been destroyed.
  static const std::string* path = [] {
    const char* dir = std::getenv("TMPDIR");
    auto* p = new std::string(std::string(dir && *dir ? dir : "/tmp") + "/xkeras-fuzz-" + std::to_string(getpid()) + ".bin");
    std::atexit([] { std::remove(scratch_path().c_str()); });
    return p;
  }();
  return *path;
}

inline const std::string& write_scratch(const std::uint8_t* data, std::size_t size) {
  const std::string& path = scratch_path();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) {
    // Not the library's fault; a fuzzer that silently tests nothing would be worse than stopping.
    std::fprintf(stderr, "xkeras-fuzz: cannot write %s\n", path.c_str());
    std::exit(1);
  }
  return path;
}

/// A scratch folder for readers that take several files (a TensorFlow.js model.json and its shards):
/// one per process, emptied and refilled for each input so that no file of an earlier input is
/// found by a later one (a replay must not depend on what ran before), removed at exit.
inline const std::string& scratch_dir() {
  static const std::string* dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    auto* p = new std::string(std::string(tmp && *tmp ? tmp : "/tmp") + "/xkeras-fuzz-" + std::to_string(getpid()) + ".d");
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return p;
  }();
  return *dir;
}

/// Empties the scratch folder and writes `files` (name, bytes) into it; returns the folder.
inline const std::string& write_scratch_files(const std::vector<std::pair<std::string, std::string>>& files) {
  namespace fs = std::filesystem;
  const std::string& dir = scratch_dir();
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  for (const auto& [name, bytes] : files) {
    std::ofstream out(dir + "/" + name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::fprintf(stderr, "xkeras-fuzz: cannot write %s/%s\n", dir.c_str(), name.c_str());
      std::exit(1);
    }
  }
  return dir;
}

/// Predicts on a batch of 2 when every input's shape is small enough: the config reader alone
/// misses whatever a hostile config breaks only when the layers run (shape inference, kernels).
inline void predict_small(const xkeras::Model& model) {
  constexpr std::size_t kMaxSample = std::size_t(1) << 16;
  const auto& inputs = model->inputs();
  if (inputs.empty()) return;  // e.g. a Sequential without an input shape: nothing to feed
  // One batch size for every input: a fixed one (Input(batch_size=...)) if any is given and small.
  std::size_t batch = 2;
  for (const auto& in : inputs) {
    const xkeras::TensorShape& ts = in.shape();
    if (ts.empty()) return;
    if (ts[0] != xkeras::None) {
      if (ts[0] < 0 || ts[0] > 8) return;
      batch = static_cast<std::size_t>(ts[0]);
      break;
    }
  }
  xkeras::Tensors xs;
  for (const auto& in : inputs) {
    const xkeras::TensorShape& ts = in.shape();
    xkeras::Shape s{batch};
    std::size_t sample = 1;
    for (std::size_t i = 1; i < ts.size(); ++i) {
      const xkeras::Dim d = ts[i] == xkeras::None ? 2 : ts[i];
      // A negative size is not a shape a model should have accepted; the config checks own that.
      if (d < 0 || d > static_cast<xkeras::Dim>(kMaxSample)) return;
      sample *= static_cast<std::size_t>(d);
      if (sample > kMaxSample) return;
      s.push_back(static_cast<std::size_t>(d));
    }
    std::vector<float> v(batch * sample);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.25f * static_cast<float>(static_cast<int>(i % 7) - 3);
    xs.push_back(xkeras::Tensor::from(s, v));
  }
  model.predict(xs, static_cast<int>(batch));
}

}  // namespace xkeras_fuzz
