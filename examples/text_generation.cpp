// Character-level text generation with an LSTM, as Keras's example "Character-level text
// generation with LSTM", trained on the fortunes of Debian's fortunes package.
//
//   ids (maxlen,) int32 -> Embedding(vocab, 48) -> LSTM(128) -> Dense(vocab, softmax)
//
// The corpus is cut into windows of maxlen characters every `step` characters; each window is
// trained to predict the character that follows it (sparse_categorical_crossentropy, RMSprop 0.01
// as Keras's example). The last --validation fraction of the windows (the end of the corpus)
// is held out. After each epoch the model writes samples at temperatures 0.2, 0.5 and 1.0; at
// the end it is saved as JSON, reloaded with load_model and checked to predict the same.
//
// A model without context can at best predict each character with its frequency: its loss is
// the unigram entropy of the targets, printed for comparison. A loss below it is context learned.
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <random>

#include <CLI/CLI.hpp>
#include <xkeras/datasets.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

using namespace xkeras;

namespace {

struct Windows {
  Tensor x;  // (N, maxlen) int32 character ids
  Tensor y;  // (N,) int32 the id of the next character
};

Windows cut_windows(const std::vector<std::int32_t>& ids, std::size_t maxlen, std::size_t step) {
  std::vector<std::int32_t> x;
  std::vector<std::int32_t> y;
  for (std::size_t i = 0; i + maxlen < ids.size(); i += step) {
    x.insert(x.end(), ids.begin() + static_cast<long>(i), ids.begin() + static_cast<long>(i + maxlen));
    y.push_back(ids[i + maxlen]);
  }
  return {Tensor::from_ints({y.size(), maxlen}, x), Tensor::from_ints({y.size()}, y)};
}

// Entropy (nats) of the distribution of the labels y[begin, end): the loss of the best model without context.
double unigram_entropy(const Tensor& y, std::size_t begin, std::size_t end, std::size_t vocab) {
  std::vector<double> count(vocab, 0.0);
  for (std::size_t i = begin; i < end; ++i) count[static_cast<std::size_t>(y.idata()[i])] += 1;
  double h = 0;
  for (double c : count)
    if (c > 0) h -= c / double(end - begin) * std::log(c / double(end - begin));
  return h;
}

// Keras's sample(): p^(1/T) renormalized, then one draw.
std::int32_t sample(const float* p, std::size_t n, double temperature, std::mt19937_64& rng) {
  std::vector<double> w(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += w[i] = std::exp(std::log(std::max<double>(p[i], 1e-12)) / temperature);
  double u = double(rng() >> 11) * 0x1.0p-53 * sum;
  for (std::size_t i = 0; i < n; ++i)
    if ((u -= w[i]) < 0) return static_cast<std::int32_t>(i);
  return static_cast<std::int32_t>(n - 1);
}

std::string generate(const Model& model, const datasets::CharVocabulary& vocab, std::vector<std::int32_t> window,
                     std::size_t length, double temperature, std::mt19937_64& rng) {
  std::vector<std::int32_t> out;
  for (std::size_t k = 0; k < length; ++k) {
    Tensor p = model.predict(Tensor::from_ints({1, window.size()}, window), 1);
    const std::int32_t next = sample(p.data(), vocab.size(), temperature, rng);
    out.push_back(next);
    window.erase(window.begin());
    window.push_back(next);
  }
  return vocab.decode(out);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Train a character-level LSTM on the fortunes and generate text"};
  int epochs = 5, batch_size = 128, embedding_dim = 48, units = 128, verbose = 1;
  std::size_t corpus_bytes = 300000, maxlen = 40, step = 3, sample_length = 300;
  double validation = 0.05, learning_rate = 0.01;
  std::uint64_t seed = 42;
  std::string out = ".", data_dir = datasets::fortunes::default_dir();
  app.add_option("--epochs", epochs, "training epochs")->check(CLI::PositiveNumber);
  app.add_option("--batch-size", batch_size, "batch size")->check(CLI::PositiveNumber);
  app.add_option("--corpus-bytes", corpus_bytes, "use the first N bytes of the corpus (0 = all 2.5 MB)");
  app.add_option("--maxlen", maxlen, "characters of context per window")->check(CLI::PositiveNumber);
  app.add_option("--step", step, "characters between window starts")->check(CLI::PositiveNumber);
  app.add_option("--embedding-dim", embedding_dim, "embedding size")->check(CLI::PositiveNumber);
  app.add_option("--units", units, "LSTM units")->check(CLI::PositiveNumber);
  app.add_option("--learning-rate", learning_rate, "RMSprop learning rate")->check(CLI::PositiveNumber);
  app.add_option("--validation", validation, "held-out fraction of the windows (the end of the corpus)")
      ->check(CLI::Range(0.0, 0.5));
  app.add_option("--sample-length", sample_length, "characters generated per sample (0 = none)");
  app.add_option("--seed", seed, "random seed");
  app.add_option("--out", out, "directory for text_generation.json");
  app.add_option("--data", data_dir, "folder of fortune files");
  app.add_option("--verbose", verbose, "0 silent, 1 progress bar, 2 one line per epoch");
  CLI11_PARSE(app, argc, argv);

  try {
    set_random_seed(seed);
    std::mt19937_64 rng(seed);
    const std::string text = datasets::fortunes::load_text(data_dir, corpus_bytes);
    const datasets::CharVocabulary vocab(text);
    const std::vector<std::int32_t> ids = vocab.encode(text);
    if (ids.size() <= maxlen + 1) throw ValueError("the corpus has fewer than maxlen + 2 characters");
    const Windows data = cut_windows(ids, maxlen, step);
    const std::size_t n = data.y.dim(0);
    // fit's validation_split holds out the last rows (split before shuffling).
    const auto n_train = static_cast<std::size_t>(std::floor(double(n) * (1.0 - validation)));
    std::cout << "Corpus: " << text.size() << " bytes, " << ids.size() << " characters, vocabulary " << vocab.size()
              << ", windows " << n << " (" << n_train << " train, " << n - n_train << " validation)\n";
    std::cout << std::fixed << std::setprecision(4);
    std::cout << "Unigram entropy of the training targets: " << unigram_entropy(data.y, 0, n_train, vocab.size())
              << " nats\n";
    if (n_train < n)
      std::cout << "Unigram entropy of the validation targets: " << unigram_entropy(data.y, n_train, n, vocab.size())
                << " nats\n";

    const int v = static_cast<int>(vocab.size());
    Sequential model({layers::Input({static_cast<Dim>(maxlen)}, DType::int32), layers::Embedding(v, embedding_dim),
                      layers::LSTM(units), layers::Dense(v, "softmax")},
                     "char_lstm");
    model.compile(optimizers::RMSprop(static_cast<float>(learning_rate)), "sparse_categorical_crossentropy");
    if (verbose) model.summary();

    for (int epoch = 1; epoch <= epochs; ++epoch) {
      const auto t0 = std::chrono::steady_clock::now();
      History h = model.fit(data.x, data.y,
                            {.epochs = epoch, .batch_size = batch_size, .validation_split = validation,
                             .verbose = verbose, .initial_epoch = epoch - 1});
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::cout << "epoch " << epoch << ": loss " << h["loss"].back();
      if (n_train < n) std::cout << " val_loss " << h["val_loss"].back();
      std::cout << " (" << std::setprecision(1) << seconds << " s)" << std::setprecision(4) << "\n";
      if (!std::isfinite(h["loss"].back())) throw std::runtime_error("the loss is not finite");
      if (sample_length == 0) continue;
      // Seed the generator with a window of the corpus, as Keras's example does.
      const std::size_t start = rng() % (ids.size() - maxlen);
      const std::vector<std::int32_t> window(ids.begin() + static_cast<long>(start),
                                             ids.begin() + static_cast<long>(start + maxlen));
      std::cout << "  seed: \"" << vocab.decode(window) << "\"\n";
      for (double t : {0.2, 0.5, 1.0})
        std::cout << "  temperature " << std::setprecision(1) << t << std::setprecision(4) << ": \""
                  << generate(model, vocab, window, sample_length, t, rng) << "\"\n";
    }

    const std::string path = out + "/text_generation.json";
    model.save(path);
    Model loaded = load_model(path);
    const std::size_t rows = std::min<std::size_t>(n, 256);
    Tensor probe = Tensor::from_ints({rows, maxlen}, std::vector<std::int32_t>(data.x.idata(), data.x.idata() + rows * maxlen));
    Tensor a = model.predict(probe, 64), b = loaded.predict(probe, 64);
    double diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = std::max(diff, double(std::fabs(a.data()[i] - b.data()[i])));
    std::cout << "Saved " << path << "; the reloaded model's predictions differ by at most " << std::scientific
              << diff << "\n";
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
