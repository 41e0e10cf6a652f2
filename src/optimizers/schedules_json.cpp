// Learning-rate schedules to and from Keras's JSON: Keras 3's
// {"module": "keras.optimizers.schedules", "class_name", "config", "registered_name": null} and
// tf.keras 2.x's {"class_name", "config"}.
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/schedules.hpp"

namespace xkeras::optimizers::schedules {

json serialize(const LearningRateSchedule& schedule) {
  return json{{"module", "keras.optimizers.schedules"},
              {"class_name", schedule.class_name()},
              {"config", schedule.get_config()},
              {"registered_name", nullptr}};
}

namespace {

// Typed readers of one config; each error names the key's JSON path.
class Reader {
 public:
  Reader(const json& config, std::string path) : c_(config), path_(std::move(path)) {}

  double number(const char* key) const {
    auto it = c_.find(key);
    if (it == c_.end() || it->is_null()) throw ConfigError(path_ + "." + key, "missing required argument");
    return as_number(*it, path_ + "." + key);
  }
  double number(const char* key, double def) const { return has(key) ? number(key) : def; }
  std::optional<double> optional_number(const char* key) const {
    if (!has(key)) return std::nullopt;
    return number(key);
  }
  bool boolean(const char* key, bool def) const {
    if (!has(key)) return def;
    const json& v = c_.at(key);
    if (!v.is_boolean()) throw ConfigError(path_ + "." + key, "expected true or false, got " + shown(v));
    return v.get<bool>();
  }
  std::string string(const char* key, const std::string& def) const {
    if (!has(key)) return def;
    const json& v = c_.at(key);
    if (!v.is_string()) throw ConfigError(path_ + "." + key, "expected a string, got " + shown(v));
    return v.get<std::string>();
  }
  std::vector<double> numbers(const char* key) const {
    auto it = c_.find(key);
    if (it == c_.end() || !it->is_array())
      throw ConfigError(path_ + "." + key, "expected a list of numbers, got " + (it == c_.end() ? std::string("nothing") : shown(*it)));
    std::vector<double> out;
    for (std::size_t i = 0; i < it->size(); ++i)
      out.push_back(as_number((*it)[i], path_ + "." + key + "[" + std::to_string(i) + "]"));
    return out;
  }

 private:
  bool has(const char* key) const {
    auto it = c_.find(key);
    return it != c_.end() && !it->is_null();
  }
  static double as_number(const json& v, const std::string& where) {
    if (!v.is_number()) throw ConfigError(where, "expected a number, got " + shown(v));
    const double d = v.get<double>();
    if (!std::isfinite(d)) throw ConfigError(where, "expected a finite number, got " + shown(v));
    return d;
  }
  const json& c_;
  std::string path_;
};

struct Kind {
  std::set<std::string> keys;
  std::function<SchedulePtr(const Reader&)> make;
};

const std::map<std::string, Kind>& kinds() {
  static const std::map<std::string, Kind> k{
      {"ExponentialDecay",
       {{"initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"}, [](const Reader& r) {
          return std::make_shared<const ExponentialDecay>(r.number("initial_learning_rate"), r.number("decay_steps"),
                                                          r.number("decay_rate"), r.boolean("staircase", false),
                                                          r.string("name", "ExponentialDecay"));
        }}},
      {"PiecewiseConstantDecay",
       {{"boundaries", "values", "name"}, [](const Reader& r) {
          return std::make_shared<const PiecewiseConstantDecay>(r.numbers("boundaries"), r.numbers("values"),
                                                                r.string("name", "PiecewiseConstant"));
        }}},
      {"PolynomialDecay",
       {{"initial_learning_rate", "decay_steps", "end_learning_rate", "power", "cycle", "name"}, [](const Reader& r) {
          return std::make_shared<const PolynomialDecay>(r.number("initial_learning_rate"), r.number("decay_steps"),
                                                         r.number("end_learning_rate", 0.0001), r.number("power", 1.0),
                                                         r.boolean("cycle", false), r.string("name", "PolynomialDecay"));
        }}},
      {"InverseTimeDecay",
       {{"initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"}, [](const Reader& r) {
          return std::make_shared<const InverseTimeDecay>(r.number("initial_learning_rate"), r.number("decay_steps"),
                                                          r.number("decay_rate"), r.boolean("staircase", false),
                                                          r.string("name", "InverseTimeDecay"));
        }}},
      {"CosineDecay",
       {{"initial_learning_rate", "decay_steps", "alpha", "name", "warmup_target", "warmup_steps"}, [](const Reader& r) {
          return std::make_shared<const CosineDecay>(r.number("initial_learning_rate"), r.number("decay_steps"),
                                                     r.number("alpha", 0.0), r.string("name", "CosineDecay"),
                                                     r.optional_number("warmup_target"), r.number("warmup_steps", 0.0));
        }}},
      {"CosineDecayRestarts",
       {{"initial_learning_rate", "first_decay_steps", "t_mul", "m_mul", "alpha", "name"}, [](const Reader& r) {
          return std::make_shared<const CosineDecayRestarts>(r.number("initial_learning_rate"), r.number("first_decay_steps"),
                                                             r.number("t_mul", 2.0), r.number("m_mul", 1.0),
                                                             r.number("alpha", 0.0), r.string("name", "SGDRDecay"));
        }}},
  };
  return k;
}

}  // namespace

SchedulePtr deserialize(const json& j, const std::string& path) {
  if (!j.is_object())
    throw ConfigError(path, "expected a learning-rate schedule object {\"class_name\", \"config\"}, got " + shown(j));
  auto cn = j.find("class_name");
  if (cn == j.end() || !cn->is_string()) throw ConfigError(path + ".class_name", "expected the schedule's class name");
  const std::string name = cn->get<std::string>();
  auto kind = kinds().find(name);
  if (kind == kinds().end()) {
    std::string known;
    for (const auto& [k, _] : kinds()) known += (known.empty() ? "" : ", ") + k;
    throw ConfigError(path + ".class_name", "unknown learning-rate schedule \"" + name + "\" (known: " + known + ")");
  }
  auto cf = j.find("config");
  if (cf == j.end() || !cf->is_object()) throw ConfigError(path + ".config", "expected an object");
  const std::string cpath = path + ".config";
  for (const auto& item : cf->items())
    if (!kind->second.keys.count(item.key()))
      throw ConfigError(cpath + "." + item.key(), "unknown argument of learning-rate schedule " + name);
  try {
    return kind->second.make(Reader(*cf, cpath));
  } catch (const ValueError& e) {  // a value the constructor refuses (decay_steps <= 0, ...)
    throw ConfigError(cpath, e.what());
  }
}

}  // namespace xkeras::optimizers::schedules
