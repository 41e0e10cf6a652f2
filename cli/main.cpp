// xkeras-convert: converts a model between Keras 3's .keras, legacy .h5, .weights.h5, TensorFlow.js and
// xkeras JSON, or prints its summary. Exit codes: 0 done, 1 the model could not be read or written
// (the library's message, naming the file and the path inside it), 2 a wrong command line.
#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <xkeras/errors.hpp>

#include "convert.hpp"

namespace {

constexpr const char* kDescription =
    "Converts a model between Keras 3 .keras archives, legacy Keras .h5 files, TensorFlow.js layers models and "
    "xkeras JSON, or prints its summary. No Python needed.\n\n"
    "The input's type is read from its first bytes: .keras (ZIP), .h5 (HDF5, a full model with model_config), "
    "xkeras JSON, TensorFlow.js (a folder holding model.json, or the model.json). With --weights, the input may "
    "also be an architecture only (Keras's model.to_json()), and the weights (.weights.h5, a save_weights .h5 or a "
    ".keras) are loaded into it.\n\n"
    "The output format follows OUT's name: .keras, .h5/.hdf5, .weights.h5 (weights only), a folder (existing, or "
    "ending in '/') or FOLDER/model.json for TensorFlow.js, any other .json for xkeras JSON; --to overrides it.\n\n"
    "Examples:\n"
    "  xkeras-convert model.keras web_model/model.json\n"
    "  xkeras-convert old_model.h5 model.keras\n"
    "  xkeras-convert architecture.json model.keras --weights model.weights.h5\n"
    "  xkeras-convert --summary model.keras";

// Runs `f`; an exception whose message does not name `file` gets "<what> <file>: " in front, so every
// message says which file failed.
template <class F>
auto in_context(const char* what, const std::string& file, F&& f) {
  try {
    return f();
  } catch (const xkeras_convert::UsageError&) {
    throw;
  } catch (const std::exception& e) {
    const std::string msg = e.what();
    if (msg.find(file) != std::string::npos) throw;
    throw std::runtime_error(std::string(what) + " " + file + ": " + msg);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{kDescription, "xkeras-convert"};
  std::string in, out, to, weights, summary_file;
  bool no_compile = false, by_name = false, skip_mismatch = false;
  app.add_option("IN", in, "the model to read: a .keras, .h5, xkeras .json, TensorFlow.js folder or model.json");
  app.add_option("OUT", out, "where to write it; its name picks the format (see above)");
  app.add_option("--to", to, "the output format whatever OUT's name: keras, h5, weights, tfjs or xkeras")
      ->check(CLI::IsMember({"keras", "h5", "weights", "tfjs", "xkeras"}));
  app.add_option("-w,--weights", weights,
                 "load these weights into IN's model first (.weights.h5, a save_weights .h5, or a .keras); IN may "
                 "then be an architecture-only JSON (model.to_json())");
  app.add_flag("--by-name", by_name, "with --weights from a legacy .h5: match layers by name, not by position");
  app.add_flag("--skip-mismatch", skip_mismatch,
               "with --weights: skip layers whose weight count or shapes differ (with a warning) instead of failing");
  app.add_flag("--no-compile", no_compile,
               "drop the saved optimizer, losses and metrics (load_model(compile=false)); by default they are "
               "kept and written when the output format holds them");
  app.add_option("-s,--summary", summary_file, "print the model's summary (layers, output shapes, parameters) and exit")
      ->excludes("OUT")
      ->excludes("--to");
  try {
    app.parse(argc, argv);
    if (summary_file.empty() && (in.empty() || out.empty()))
      throw CLI::ValidationError("IN and OUT are required (or --summary FILE); see --help");
    if (!summary_file.empty() && !in.empty())
      throw CLI::ValidationError("--summary takes one file: \"" + summary_file + "\" and \"" + in + "\" given");
    if ((by_name || skip_mismatch) && weights.empty())
      throw CLI::ValidationError(std::string(by_name ? "--by-name" : "--skip-mismatch") + " applies to --weights, which is not given");
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help); its own codes (105, 106, ...) become the usual 2.
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    const bool compile = !no_compile && summary_file.empty();
    const std::string source = summary_file.empty() ? in : summary_file;
    // The output format first: a wrong OUT must not cost a long load.
    xkeras_convert::Format format{};
    if (summary_file.empty())
      format = to.empty() ? xkeras_convert::format_from_path(out) : xkeras_convert::format_from_name(to);
    const xkeras::Model model = in_context("reading", source, [&] {
      return xkeras_convert::read_model(source, !weights.empty(), compile);
    });
    if (!weights.empty())
      in_context("loading the weights", weights, [&] { model.load_weights(weights, by_name, skip_mismatch); });
    if (!summary_file.empty()) {
      model.summary(std::cout);
      return 0;
    }
    in_context("writing", out, [&] { xkeras_convert::write_model(model, out, format); });
    std::cout << source << " -> " << out << ": " << xkeras_convert::describe(format) << ", " << model.count_params()
              << " parameters\n";
    return 0;
  } catch (const xkeras_convert::UsageError& e) {
    std::cerr << "xkeras-convert: " << e.what() << "\nRun with --help for more information.\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "xkeras-convert: error: " << e.what() << "\n";
    return 1;
  }
}
