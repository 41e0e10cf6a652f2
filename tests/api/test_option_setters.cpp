// Option structs written in any order: the chained with_<field> setters (xkeras/options.hpp) give the same
// layer as designated initializers, and every default survives the conversion to XKERAS_OPTION.
#include <catch2/catch.hpp>

#include <xkeras/datasets.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/optimizers.hpp>
#include <xkeras/regularizers.hpp>

using namespace xkeras;

TEST_CASE("options: Dense from setters in reverse order equals designated initializers") {
  layers::Dense a(4, {.activation = "relu",
                      .use_bias = false,
                      .kernel_initializer = "he_normal",
                      .bias_initializer = "ones",
                      .kernel_regularizer = regularizers::L2(0.5f),
                      .bias_regularizer = regularizers::L1(0.25f),
                      .kernel_constraint = constraints::NonNeg(),
                      .bias_constraint = constraints::MaxNorm(3.0f),
                      .name = "d"});
  layers::Dense b(4, layers::DenseOptions()
                         .with_name("d")
                         .with_bias_constraint(constraints::MaxNorm(3.0f))
                         .with_kernel_constraint(constraints::NonNeg())
                         .with_bias_regularizer(regularizers::L1(0.25f))
                         .with_kernel_regularizer(regularizers::L2(0.5f))
                         .with_bias_initializer("ones")
                         .with_kernel_initializer("he_normal")
                         .with_use_bias(false)
                         .with_activation("relu"));
  const json ca = a->get_config(), cb = b->get_config();
  CHECK(ca == cb);
  // The config really carries the options (a config equal because both were defaults would prove nothing).
  CHECK(cb.at("activation") == "relu");
  CHECK(cb.at("use_bias") == false);
  CHECK(cb.at("kernel_initializer").at("class_name") == "HeNormal");
  CHECK(cb.at("kernel_regularizer").at("config").at("l2").get<double>() == Approx(0.5));
  CHECK(cb.at("bias_constraint").at("config").at("max_value").get<double>() == Approx(3.0));
}

TEST_CASE("options: Conv2D LSTM and LayerNormalization from setters equal designated initializers") {
  layers::Conv2D ca(8, 3, {.strides = 2, .padding = "same", .dilation_rate = 1, .activation = "tanh", .name = "c"});
  layers::Conv2D cb(8, 3, layers::Conv2DOptions().with_name("c").with_activation("tanh").with_padding("same").with_strides(2));
  CHECK(ca->get_config() == cb->get_config());
  CHECK(cb->get_config().at("strides") == json::array({2, 2}));

  layers::LSTM la(5, {.recurrent_activation = "hard_sigmoid", .dropout = 0.25, .return_sequences = true, .name = "l"});
  layers::LSTM lb(5, layers::LSTMOptions().with_name("l").with_return_sequences(true).with_dropout(0.25)
                         .with_recurrent_activation("hard_sigmoid"));
  CHECK(la->get_config() == lb->get_config());
  CHECK(lb->get_config().at("return_sequences") == true);

  layers::LayerNormalization na({.axis = {1, 2}, .epsilon = 1e-5f, .center = false, .name = "n"});
  layers::LayerNormalization nb(layers::LayerNormalizationOptions().with_name("n").with_center(false)
                                    .with_epsilon(1e-5f).with_axis({1, 2}));
  CHECK(na->get_config() == nb->get_config());
  CHECK(nb->get_config().at("axis") == json::array({1, 2}));
}

TEST_CASE("options: the defaults are unchanged by the setter macro") {
  const layers::DenseOptions d;
  CHECK(d.activation == "linear");
  CHECK(d.use_bias);
  CHECK(!d.kernel_regularizer);
  const layers::LayerNormalizationOptions ln;
  CHECK(ln.axis == std::vector<int>{-1});  // not a vector of size -1
  CHECK(ln.epsilon == 1e-3f);
  const layers::BatchNormalizationOptions bn;
  CHECK(bn.momentum == 0.99f);
  CHECK(bn.axis == -1);
  const layers::Conv2DOptions c;
  CHECK(c.padding == "valid");
  CHECK(c.groups == 1);
  const layers::NormalizationOptions no;
  CHECK(no.axis == std::vector<int>{-1});
  CHECK(!no.mean.has_value());
  CHECK(datasets::TextFolderOptions().max_bytes == (std::size_t(1) << 28));
  CHECK(layers::RecurrentOptions().recurrent_initializer.class_name() == "Orthogonal");
}

TEST_CASE("options: optimizer BaseOptions and TextFolderOptions chain") {
  const auto base = optimizers::BaseOptions().with_clipnorm(1.5f).with_weight_decay(0.01f);
  CHECK(*base.clipnorm == 1.5f);
  CHECK(*base.weight_decay == 0.01f);
  CHECK(!base.clipvalue);
  const json cfg = optimizers::Adam(0.01f, 0.9f, 0.999f, 1e-7f, false, base)->get_config();
  CHECK(cfg.at("clipnorm").get<double>() == Approx(1.5));
  CHECK(cfg.at("weight_decay").get<double>() == Approx(0.01));
  CHECK(cfg.at("global_clipnorm").is_null());

  const auto t = datasets::TextFolderOptions().with_max_bytes(10).with_skip_suffixes({".dat"});
  CHECK(t.max_bytes == 10);
  CHECK(t.skip_suffixes == std::vector<std::string>{".dat"});
}
