// AdamW, Adagrad, Adadelta, Adamax, Nadam, Lion and Ftrl against Keras's own tests
// (keras/src/optimizers/<name>_test.py: test_single_step, test_weight_decay,
// test_correctness_with_golden, argument checks). The numbers are Keras's, copied from those tests.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/optimizers.hpp>

#include "opt_helpers.hpp"

using namespace xkeras;
using namespace opttest;

TEST_CASE("AdamW matches adamw_test") {
  // test_single_step
  check_all_close(single_step(optimizers::AdamW(0.5)), {0.4980f, 1.4960f, 2.494f, 3.492f}, 1e-4, 1e-4);
  // test_weight_decay
  check_weight_decay([] { return optimizers::AdamW(1.0, 0.004f); });
  // test_correctness_with_golden: AdamW(learning_rate=1.0, weight_decay=0.5, epsilon=2)
  check_golden(optimizers::AdamW(1.0, 0.5f, 0.9f, 0.999f, 2.0f),
               {{0.4998f, 0.4998f, 0.4998f, 0.4998f, 0.4998f, 0.4998f, 0.4998f, 0.4998f, 0.4998f, 0.4998f},
                {0.2486f, 0.2475f, 0.2463f, 0.2451f, 0.244f, 0.2428f, 0.2417f, 0.2405f, 0.2394f, 0.2382f},
                {0.1223f, 0.1198f, 0.1174f, 0.1149f, 0.1124f, 0.11f, 0.1075f, 0.1051f, 0.1027f, 0.1003f},
                {0.0586f, 0.0549f, 0.0512f, 0.0475f, 0.0439f, 0.0402f, 0.0366f, 0.033f, 0.0294f, 0.0258f},
                {0.0263f, 0.0215f, 0.0167f, 0.012f, 0.0073f, 0.0026f, -0.0021f, -0.0067f, -0.0113f, -0.0159f}});
  // AdamW's weight_decay wins over base.weight_decay and shows in the config.
  CHECK(optimizers::AdamW(0.1, 0.01f, 0.9f, 0.999f, 1e-7f, false, {.weight_decay = 0.5f})->get_config()["weight_decay"] == 0.01);
  CHECK_THROWS_AS(optimizers::AdamW(0.1, std::nanf("")), ValueError);
}

TEST_CASE("Adagrad matches adagrad_test") {
  check_all_close(single_step(optimizers::Adagrad(0.5)), {0.5233f, 1.5007f, 2.5005f, 3.5061f}, 1e-4, 1e-4);
  check_weight_decay([] { return optimizers::Adagrad(1.0, 0.1f, 1e-7f, {.weight_decay = 0.004f}); });
  // Adagrad(learning_rate=0.2, initial_accumulator_value=0.3, epsilon=1e-6)
  check_golden(optimizers::Adagrad(0.2, 0.3f, 1e-6f),
               {{0.9963f},
                {0.9604f, 0.9278f, 0.9003f, 0.8784f, 0.8615f, 0.8487f, 0.8388f, 0.8313f, 0.8255f, 0.8209f},
                {0.9251f, 0.8629f, 0.8137f, 0.7768f, 0.7497f, 0.7298f, 0.7151f, 0.704f, 0.6956f, 0.6891f},
                {0.8903f, 0.8012f, 0.7342f, 0.6862f, 0.6521f, 0.6277f, 0.6099f, 0.5967f, 0.5867f, 0.579f},
                {0.856f, 0.7422f, 0.6604f, 0.6037f, 0.5644f, 0.5367f, 0.5168f, 0.5021f, 0.491f, 0.4825f}});
}

TEST_CASE("Adadelta matches adadelta_test") {
  check_all_close(single_step(optimizers::Adadelta(0.5)), {0.9993f, 1.9993f, 2.9993f, 3.9993f}, 1e-4, 1e-4);
  check_weight_decay([] { return optimizers::Adadelta(1.0, 0.95f, 1e-7f, {.weight_decay = 0.004f}); });
  // Adadelta(learning_rate=1.0, rho=0.8, epsilon=1e-6)
  check_golden(optimizers::Adadelta(1.0, 0.8f, 1e-6f), {{0.9978f}, {0.9947f}, {0.9915f}, {0.9882f}, {0.9849f}});
}

TEST_CASE("Adamax matches adamax_test") {
  check_all_close(single_step(optimizers::Adamax(0.5)), {0.5f, 1.5f, 2.5f, 3.5f}, 1e-4, 1e-4);
  check_weight_decay([] { return optimizers::Adamax(1.0, 0.9f, 0.999f, 1e-7f, {.weight_decay = 0.004f}); });
  // Adamax(learning_rate=0.2, beta_1=0.85, beta_2=0.95, epsilon=1e-6)
  check_golden(optimizers::Adamax(0.2, 0.85f, 0.95f, 1e-6f),
               {{0.8f},
                {0.6827f, 0.6873f, 0.6888f, 0.6896f, 0.6901f, 0.6904f, 0.6906f, 0.6908f, 0.6909f, 0.691f},
                {0.5333f, 0.5407f, 0.5431f, 0.5444f, 0.5451f, 0.5456f, 0.546f, 0.5462f, 0.5464f, 0.5466f},
                {0.368f, 0.3773f, 0.3804f, 0.382f, 0.3829f, 0.3835f, 0.384f, 0.3843f, 0.3846f, 0.3848f},
                {0.1933f, 0.204f, 0.2076f, 0.2094f, 0.2105f, 0.2112f, 0.2117f, 0.2121f, 0.2124f, 0.2126f}});
}

TEST_CASE("Nadam matches nadam_test") {
  check_all_close(single_step(optimizers::Nadam(0.5)), {0.4686f, 1.4686f, 2.4686f, 3.4686f}, 1e-4, 1e-4);
  check_weight_decay([] { return optimizers::Nadam(1.0, 0.9f, 0.999f, 1e-7f, {.weight_decay = 0.004f}); });
  // Nadam(learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5)
  Optimizer opt = optimizers::Nadam(0.5, 0.5f, 0.67f, 1e-5f);
  check_golden(opt,
               {{0.4281f},
                {-0.1738f, -0.1731f, -0.1726f, -0.1723f, -0.1721f, -0.172f, -0.1719f, -0.1718f, -0.1718f, -0.1717f},
                {-0.7115f, -0.7103f, -0.7096f, -0.7092f, -0.709f, -0.7088f, -0.7086f, -0.7085f, -0.7085f, -0.7084f},
                {-1.2335f, -1.2322f, -1.2313f, -1.2309f, -1.2306f, -1.2304f, -1.2302f, -1.2301f, -1.23f, -1.2299f},
                {-1.7492f, -1.7478f, -1.7469f, -1.7464f, -1.7461f, -1.7459f, -1.7457f, -1.7456f, -1.7455f, -1.7454f}});
  // u_product after 6 steps: prod_{t=1..6} 0.5 (1 - 0.5 * 0.96^t), by hand.
  double u = 1;
  for (int t = 1; t <= 6; ++t) u *= 0.5 * (1 - 0.5 * std::pow(0.96, t));
  REQUIRE(opt->scalars().size() == 1);
  CHECK(opt->scalars()[0] == Approx(u).epsilon(1e-5));
  CHECK(opt->scalar_names() == std::vector<std::string>{"u_product"});
}

TEST_CASE("Lion matches lion_test") {
  check_all_close(single_step(optimizers::Lion(0.5)), {0.5f, 1.5f, 2.5f, 3.5f}, 1e-4, 1e-4);
  check_weight_decay([] { return optimizers::Lion(1.0, 0.9f, 0.99f, {.weight_decay = 0.004f}); });
  check_golden(optimizers::Lion(), {{0.999f}, {0.998f}, {0.997f}, {0.996f}, {0.995f}});
  // test_invalid_beta_1
  CHECK_THROWS_WITH(optimizers::Lion(0.001, -0.1f), Catch::Contains("argument `beta_1` must be in the [0, 1] range. "
                                                                    "Otherwise, the optimizer degenerates to SignSGD. "
                                                                    "Received: beta_1=-0.1."));
  CHECK_THROWS_WITH(optimizers::Lion(0.001, 0.0f), Catch::Contains("Received: beta_1=0.0."));
  CHECK_THROWS_WITH(optimizers::Lion(0.001, 1.1f), Catch::Contains("Received: beta_1=1.1."));
}

TEST_CASE("Ftrl matches ftrl_test") {
  check_all_close(single_step(optimizers::Ftrl(0.5)), {0.2218f, 1.3954f, 2.3651f, 2.8814f}, 1e-4, 1e-4);
  const auto opts = optimizers::FtrlOptions()
                        .with_learning_rate_power(-0.2f)
                        .with_initial_accumulator_value(0.4f)
                        .with_l1_regularization_strength(0.05f)
                        .with_l2_regularization_strength(0.15f)
                        .with_l2_shrinkage_regularization_strength(0.01f)
                        .with_beta(0.3f);
  check_golden(optimizers::Ftrl(0.05, opts),
               {{0.0f},
                {-0.0034f, -0.0077f, -0.0118f, -0.0157f, -0.0194f, -0.023f, -0.0263f, -0.0294f, -0.0325f, -0.0354f},
                {-0.0078f, -0.0162f, -0.0242f, -0.0317f, -0.0387f, -0.0454f, -0.0516f, -0.0575f, -0.0631f, -0.0685f},
                {-0.0121f, -0.0246f, -0.0363f, -0.0472f, -0.0573f, -0.0668f, -0.0757f, -0.0842f, -0.0922f, -0.0999f},
                {-0.0164f, -0.0328f, -0.0481f, -0.0623f, -0.0753f, -0.0875f, -0.099f, -0.1098f, -0.1201f, -0.1299f}});
  // test_invalid_*: each argument's message
  CHECK_THROWS_WITH(optimizers::Ftrl(0.001, optimizers::FtrlOptions().with_initial_accumulator_value(-0.1f)),
                    Catch::Contains("`initial_accumulator_value` needs to be positive or zero. "
                                    "Received: initial_accumulator_value=-0.1."));
  CHECK_THROWS_WITH(optimizers::Ftrl(0.001, optimizers::FtrlOptions().with_learning_rate_power(0.1f)),
                    Catch::Contains("`learning_rate_power` needs to be negative or zero"));
  CHECK_THROWS_WITH(optimizers::Ftrl(0.001, optimizers::FtrlOptions().with_l1_regularization_strength(-0.1f)),
                    Catch::Contains("`l1_regularization_strength` needs to be positive or zero"));
  CHECK_THROWS_WITH(optimizers::Ftrl(0.001, optimizers::FtrlOptions().with_l2_regularization_strength(-0.1f)),
                    Catch::Contains("`l2_regularization_strength` needs to be positive or zero"));
  CHECK_THROWS_WITH(optimizers::Ftrl(0.001, optimizers::FtrlOptions().with_l2_shrinkage_regularization_strength(-0.1f)),
                    Catch::Contains("`l2_shrinkage_regularization_strength` needs to be positive or zero"));
}

TEST_CASE("Adagrad and Ftrl accumulators start at initial_accumulator_value") {
  // One Adagrad step by hand: acc = 0.3 + 0.5^2 = 0.55, w = 1 - 0.1 * 0.5 / sqrt(0.55 + 1e-7).
  auto v = variable({1.0f});
  Optimizer opt = optimizers::Adagrad(0.1, 0.3f);
  set_grad(v, {0.5f});
  opt->apply_gradients({v});
  CHECK(v->value.item() == Approx(1.0 - 0.1 * 0.5 / std::sqrt(0.55 + 1e-7)).epsilon(1e-6));
  CHECK(opt->slot_arrays(v)[0][0] == Approx(0.55f));
  // A slot made for a variable that never had a gradient is fresh too.
  Optimizer ftrl = optimizers::Ftrl(0.1, optimizers::FtrlOptions().with_initial_accumulator_value(0.25f));
  auto w = variable({1.0f, 2.0f}, "w");
  CHECK(ftrl->slot_arrays(w)[0][1] == 0.25f);
  CHECK(ftrl->slot_arrays(w)[1][1] == 0.0f);
}

TEST_CASE("the new optimizers are found by name and class name") {
  const std::vector<std::pair<std::string, std::string>> names{
      {"adamw", "AdamW"}, {"adagrad", "Adagrad"}, {"adadelta", "Adadelta"}, {"adamax", "Adamax"},
      {"nadam", "Nadam"}, {"lion", "Lion"},       {"ftrl", "Ftrl"}};
  for (const auto& [lower, cls] : names) {
    INFO(lower);
    CHECK(Optimizer(lower)->class_name() == cls);
    CHECK(Optimizer(cls)->class_name() == cls);
    CHECK(Optimizer(lower)->name() == lower);  // Keras's default name: the snake-case class name
    CHECK(Optimizer::from_json(json(cls), "o")->class_name() == cls);
  }
}
