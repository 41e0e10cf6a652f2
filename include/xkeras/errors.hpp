// Exception types. Messages follow Keras: name the layer, what was expected, what was received.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace xkeras {

/// A wrong argument or shape (Keras's ValueError).
class ValueError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A malformed model file or config; the message starts with the JSON path of the problem.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& path, const std::string& what)
      : std::runtime_error(path + ": " + what), path_(path) {}
  const std::string& path() const { return path_; }

 protected:
  struct Verbatim {};
  ConfigError(const std::string& path, const std::string& message, Verbatim) : std::runtime_error(message), path_(path) {}

 private:
  std::string path_;
};

/// Several problems in one file, each with its JSON path: a loader reports every layer it cannot read,
/// not only the first. path() and the first line name the first problem.
class ConfigErrors : public ConfigError {
 public:
  explicit ConfigErrors(std::vector<ConfigError> problems);
  const std::vector<ConfigError>& problems() const { return problems_; }

 private:
  std::vector<ConfigError> problems_;
};

/// Reading or writing a file or dataset failed.
class IOError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A feature that exists in Keras but not (yet) in xkeras.
class NotImplementedError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace xkeras
