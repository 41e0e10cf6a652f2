// A rank that fails must not leave the others waiting. Started by CTest through expect_failure.cmake
// as `mpirun -np 2 test_dp_failure MODE`, which must end with an error naming the rank, quickly:
//   throw     rank 1's callback throws during fit (fit names the rank and aborts every rank)
//   uncaught  rank 1 throws outside fit and nobody catches it (the terminate handler)
//   hang      rank 1 never joins fit; rank 0 gives up at the collective timeout (3 s here)
//   model     rank 1 builds a wider model than rank 0 (fit names the mismatch on rank 1)
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "xkeras/xkeras.hpp"

using namespace xkeras;

int main(int argc, char** argv) {
  distributed::Session mpi(&argc, &argv);
  distributed::set_timeout(3);
  const std::string mode = argc > 1 ? argv[1] : "";
  set_random_seed(1);
  auto in = Input({4});
  const int width = mode == "model" && distributed::rank() == 1 ? 3 : 1;
  Model m(in, layers::Dense(1)(layers::Dense(width)(in)));
  m.compile(optimizers::SGD(0.1), "mse");
  const Tensor x = Tensor::full({256, 4}, 0.5f), y = Tensor::full({256, 1}, 1.0f);
  if (mode == "uncaught" && distributed::rank() == 1) throw std::runtime_error("rank 1 gives up before fit");
  if (mode == "hang" && distributed::rank() == 1) {
    std::this_thread::sleep_for(std::chrono::seconds(60));  // never joins: mpirun ends it when rank 0 aborts
    return 0;
  }
  auto thrower = callbacks::LambdaCallback(callbacks::LambdaCallbackOptions().with_on_train_batch_end([&](int batch, Logs&) {
    if (mode == "throw" && distributed::rank() == 1 && batch == 2) throw std::runtime_error("a callback failed at batch 2");
  }));
  m.fit(x, y, FitOptions().with_epochs(5).with_batch_size(32).with_verbose(0).with_callbacks({thrower})
                  .with_distribution(distributed::DataParallel()));
  return 0;
}
