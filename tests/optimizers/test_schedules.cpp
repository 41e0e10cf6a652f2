// Learning-rate schedules against keras/src/optimizers/schedules/learning_rate_schedule_test.py
// (the expected values there are Python formulas; the same formulas are written out here).
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/schedules.hpp>

using namespace xkeras;
namespace sch = xkeras::optimizers::schedules;

namespace {

constexpr double kPi = 3.14159265358979323846;

// learning_rate_schedule_test.py's np_cosine_decay
double np_cosine_decay(double step, double decay_steps, double alpha = 0.0) {
  step = std::min(step, decay_steps);
  const double decay = 0.5 * (1.0 + std::cos(kPi * step / decay_steps));
  return (1.0 - alpha) * decay + alpha;
}

// learning_rate_schedule_test.py's np_cosine_decay_restarts: walk the periods one by one.
double np_cosine_decay_restarts(double step, double decay_steps, double t_mul = 2.0, double m_mul = 1.0,
                                double alpha = 0.0) {
  double fac = 1.0;
  while (step >= decay_steps) {
    step -= decay_steps;
    decay_steps *= t_mul;
    fac *= m_mul;
  }
  const double decay = fac * 0.5 * (1.0 + std::cos(kPi * step / decay_steps));
  return (1.0 - alpha) * decay + alpha;
}

// Keras's assertAllClose(x, expected, 1e-6): rtol 1e-6 (atol 1e-6 by default).
void check_close(double got, double want, double rtol = 1e-6) {
  INFO("got " << got << " want " << want);
  CHECK(std::fabs(got - want) <= 1e-6 + rtol * std::fabs(want));
}

}  // namespace

TEST_CASE("ExponentialDecay matches ExponentialDecayTest") {
  // test_continuous
  check_close(sch::ExponentialDecay(0.05, 10, 0.96)(5), 0.05 * std::pow(0.96, 5.0 / 10.0));
  // test_staircase / test_variables
  const sch::ExponentialDecay s(0.1, 3, 0.96, true);
  check_close(s(1), 0.1);
  check_close(s(2), 0.1);
  check_close(s(100), 0.1 * std::pow(0.96, 100 / 3));
  CHECK_THROWS_WITH(sch::ExponentialDecay(0.1, 0, 0.9), Catch::Contains("`decay_steps` must be > 0"));
}

TEST_CASE("PiecewiseConstantDecay matches PiecewiseConstantDecayTest") {
  // test_piecewise_values
  const sch::PiecewiseConstantDecay s({100, 110, 120}, {1.0, 0.1, 0.01, 0.001});
  check_close(s(-999), 1.0);
  check_close(s(100), 1.0);
  check_close(s(105), 0.1);
  check_close(s(110), 0.1);
  check_close(s(120), 0.01);
  check_close(s(999), 0.001);
  // test_boundary_values
  const sch::PiecewiseConstantDecay b({1, 2, 3}, {0.4, 0.5, 0.6, 0.7});
  const double want[] = {0.4, 0.4, 0.5, 0.6, 0.7};
  for (int step = 0; step <= 4; ++step) check_close(b(step), want[step]);
  CHECK_THROWS_WITH(sch::PiecewiseConstantDecay({1, 2}, {0.1, 0.2}),
                    Catch::Contains("the length of boundaries should be 1 less than the length of values"));
  CHECK_THROWS_AS(sch::PiecewiseConstantDecay({2, 1}, {0.1, 0.2, 0.3}), ValueError);
}

TEST_CASE("PolynomialDecay matches LinearDecayTest and SqrtDecayTest") {
  const double lr = 0.05, end = 0.001;
  // LinearDecayTest
  check_close(sch::PolynomialDecay(lr, 10, 0.0)(5), lr * 0.5);                             // test_halfway
  check_close(sch::PolynomialDecay(lr, 10, end)(10), end);                                // test_end
  check_close(sch::PolynomialDecay(lr, 10, end)(5), (lr + end) * 0.5);                    // test_halfway_with_end
  check_close(sch::PolynomialDecay(lr, 10, end)(15), end);                                // test_beyond_end
  check_close(sch::PolynomialDecay(lr, 10, end, 1.0, true)(15), (lr - end) * 0.25 + end);  // test_beyond_end_with_cycle
  // SqrtDecayTest (power 0.5)
  check_close(sch::PolynomialDecay(lr, 10, 0.0, 0.5)(5), lr * std::pow(0.5, 0.5));
  check_close(sch::PolynomialDecay(lr, 10, end, 0.5)(10), end);
  check_close(sch::PolynomialDecay(lr, 10, end, 0.5)(5), (lr - end) * std::pow(0.5, 0.5) + end);
  check_close(sch::PolynomialDecay(lr, 10, end, 0.5)(15), end);
  check_close(sch::PolynomialDecay(lr, 10, end, 0.5, true)(15), (lr - end) * std::pow(0.25, 0.5) + end);
  check_close(sch::PolynomialDecay(0.001, 10, 0.0001, 1.0, true)(0), 0.001);  // test_begin_with_cycle
}

TEST_CASE("InverseTimeDecay matches InverseTimeDecayTest") {
  const double lr = 0.1, rate = 0.96;
  const int k = 10;
  const sch::InverseTimeDecay cont(lr, k, rate), stair(lr, k, rate, true);
  for (int i = 0; i <= k; ++i) {
    check_close(cont(i), lr / (1 + double(i) / k * rate));  // test_decay
    check_close(stair(i), lr / (1 + rate * (i / k)));        // test_staircase
  }
}

TEST_CASE("CosineDecay matches CosineDecayTest") {
  for (int step = 0; step < 1500; step += 250) {
    INFO("step " << step);
    check_close(sch::CosineDecay(1.0, 1000)(step), np_cosine_decay(step, 1000));             // test_decay
    check_close(sch::CosineDecay(1.0, 1000, 0.1)(step), np_cosine_decay(step, 1000, 0.1));   // test_alpha
    // test_warmup: warmup from 0 to 10 over 1500 steps (Keras's linear_warmup omits the
    // initial rate, which is 0 here).
    check_close(sch::CosineDecay(0.0, 10, 0.0, "CosineDecay", 10.0, 1500)(step), step / 1500.0 * 10.0);
  }
  // test_warmup_decay: warmup 2000 steps to 10, then 1000 steps of cosine decay.
  for (int step = 0; step < 3000; step += 250) {
    INFO("step " << step);
    const double want = step < 2001 ? step / 2000.0 * 10.0 : 10.0 * np_cosine_decay(step - 2000, 1000);
    check_close(sch::CosineDecay(0.0, 1000, 0.0, "CosineDecay", 10.0, 2000)(step), want);
  }
}

TEST_CASE("CosineDecayRestarts matches CosineDecayRestartsTest") {
  for (int step = 0; step < 1500; step += 250) {
    INFO("step " << step);
    check_close(sch::CosineDecayRestarts(1.0, 1000)(step), np_cosine_decay_restarts(step, 1000));  // test_decay
    check_close(sch::CosineDecayRestarts(1.0, 1000, 2.0, 1.0, 0.1)(step),
                np_cosine_decay_restarts(step, 1000, 2.0, 1.0, 0.1));  // test_alpha
    check_close(sch::CosineDecayRestarts(1.0, 1000, 2.0, 0.9)(step),
                np_cosine_decay_restarts(step, 1000, 2.0, 0.9));  // test_mmul
    check_close(sch::CosineDecayRestarts(1.0, 1000, 1.0)(step),
                np_cosine_decay_restarts(step, 1000, 1.0));  // test_tmul
  }
  // Further into the geometric periods (10 + 20 + 40 ...), against the same step-by-step walk.
  const sch::CosineDecayRestarts s(0.05, 10, 3.0, 4.0, 0.1);
  for (int step : {0, 9, 10, 25, 39, 40, 100, 129, 130, 200})
    check_close(s(step), 0.05 * np_cosine_decay_restarts(step, 10, 3.0, 4.0, 0.1), 1e-9);
}

TEST_CASE("schedule configs are Keras's and round trip") {
  // The test_config constructors of learning_rate_schedule_test.py.
  const std::vector<std::shared_ptr<const sch::LearningRateSchedule>> all{
      std::make_shared<sch::ExponentialDecay>(0.05, 10, 0.96, true, "my_ed"),
      std::make_shared<sch::PiecewiseConstantDecay>(std::vector<double>{10, 20}, std::vector<double>{1, 2, 3}, "my_pcd"),
      std::make_shared<sch::PolynomialDecay>(0.1, 100, 0.005, 1.0, false, "my_ld"),
      std::make_shared<sch::InverseTimeDecay>(0.05, 10, 0.96, true, "my_itd"),
      std::make_shared<sch::CosineDecay>(0.05, 10, 0.1, "my_cd", 0.2, 2),
      std::make_shared<sch::CosineDecayRestarts>(0.05, 10, 3.0, 4.0, 0.1, "my_cdr")};
  for (const auto& s : all) {
    INFO(s->class_name());
    const json j = sch::serialize(*s);
    CHECK(j["module"] == "keras.optimizers.schedules");
    CHECK(j["registered_name"].is_null());
    const auto back = sch::deserialize(json::parse(j.dump()), "lr");
    CHECK(back->class_name() == s->class_name());
    CHECK(sch::serialize(*back) == j);
    for (int step : {0, 1, 7, 15, 40}) CHECK((*back)(step) == (*s)(step));
  }
  // Keras's key order and values.
  CHECK(sch::serialize(*all[4])["config"].dump() ==
        R"({"initial_learning_rate":0.05,"decay_steps":10,"alpha":0.1,"name":"my_cd","warmup_target":0.2,"warmup_steps":2})");
  CHECK(sch::serialize(*all[1])["config"].dump() == R"({"boundaries":[10,20],"values":[1.0,2.0,3.0],"name":"my_pcd"})");
  CHECK(sch::CosineDecay(0.1, 100).get_config()["warmup_target"].is_null());
  CHECK(sch::CosineDecayRestarts(0.1, 100).get_config()["name"] == "SGDRDecay");
  CHECK(sch::PiecewiseConstantDecay({1}, {0.1, 0.2}).get_config()["name"] == "PiecewiseConstant");
}

TEST_CASE("schedule JSON errors name the path") {
  // tf.keras 2.x's layout has no "module".
  const json tf2 = json::parse(R"({"class_name": "InverseTimeDecay", "config": {"initial_learning_rate": 0.1,
      "decay_steps": 1.0, "decay_rate": 0.5, "staircase": false, "name": null}})");
  const auto s = sch::deserialize(tf2, "lr");
  check_close((*s)(2), 0.1 / (1 + 0.5 * 2));
  CHECK_THROWS_WITH(sch::deserialize(json{{"class_name", "Bogus"}, {"config", json::object()}}, "o.lr"),
                    Catch::StartsWith("o.lr.class_name: unknown learning-rate schedule \"Bogus\""));
  json bad = sch::serialize(sch::ExponentialDecay(0.1, 10, 0.9));
  bad["config"]["decay_rate"] = "fast";
  CHECK_THROWS_WITH(sch::deserialize(bad, "o.lr"), Catch::StartsWith("o.lr.config.decay_rate: expected a number"));
  bad["config"]["decay_rate"] = 0.9;
  bad["config"]["decay_steps"] = 0;
  CHECK_THROWS_WITH(sch::deserialize(bad, "o.lr"), Catch::StartsWith("o.lr.config: ExponentialDecay: argument `decay_steps` must be > 0"));
  bad["config"]["decay_steps"] = 10;
  bad["config"]["extra"] = 1;
  CHECK_THROWS_WITH(sch::deserialize(bad, "o.lr"), Catch::StartsWith("o.lr.config.extra: unknown argument"));
  bad = sch::serialize(sch::PiecewiseConstantDecay({1}, {0.1, 0.2}));
  bad["config"]["values"][1] = nullptr;
  CHECK_THROWS_WITH(sch::deserialize(bad, "p"), Catch::StartsWith("p.config.values[1]: expected a number"));
  CHECK_THROWS_AS(sch::deserialize(json(0.1), "p"), ConfigError);
}
