// Model JSON quoted verbatim from /work/shared/reference/keras_reference.md §3 (Keras's own output
// or built from its code path, as that section says).
#pragma once

namespace reference_json {

// §3.2: a real Keras 3 Sequential dump (with compile_config)
inline const char* kKeras3SequentialDump = R"json({
  "module": "keras",
  "class_name": "Sequential",
  "config": {
    "name": "sequential",
    "trainable": true,
    "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
    "layers": [
      {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {"batch_shape": [null, 8], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"},
        "registered_name": null
      },
      {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {"name": "dense", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 12, "activation": "relu", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
        "registered_name": null,
        "build_config": {"input_shape": [null, 8]}
      },
      {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {"name": "dense_1", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 8, "activation": "relu", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
        "registered_name": null,
        "build_config": {"input_shape": [null, 12]}
      },
      {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {"name": "dense_2", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 1, "activation": "sigmoid", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
        "registered_name": null,
        "build_config": {"input_shape": [null, 8]}
      }
    ],
    "build_input_shape": [null, 8]
  },
  "registered_name": null,
  "build_config": {"input_shape": [null, 8]},
  "compile_config": {
    "optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {"name": "adam", "learning_rate": 0.0010000000474974513, "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null, "loss_scale_factor": null, "gradient_accumulation_steps": null, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}, "registered_name": null},
    "loss": "binary_crossentropy",
    "loss_weights": null,
    "metrics": ["accuracy"],
    "weighted_metrics": null,
    "run_eagerly": false,
    "steps_per_execution": 1,
    "jit_compile": false
  }
})json";

// §3.3: Keras 3 Functional, two Dense branches merged by Add
inline const char* kKeras3FunctionalAdd = R"json({
  "module": "keras.src.models.functional",
  "class_name": "Functional",
  "config": {
    "name": "functional",
    "trainable": true,
    "layers": [
      {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {"batch_shape": [null, 4], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer", "optional": false},
        "registered_name": null,
        "name": "input_layer",
        "inbound_nodes": []
      },
      {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {"name": "dense", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 3, "activation": "linear", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null, "quantization_config": null},
        "registered_name": null,
        "build_config": {"input_shape": [null, 4]},
        "name": "dense",
        "inbound_nodes": [
          {"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 4], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}
        ]
      },
      {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {"name": "dense_1", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 3, "activation": "linear", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null, "quantization_config": null},
        "registered_name": null,
        "build_config": {"input_shape": [null, 4]},
        "name": "dense_1",
        "inbound_nodes": [
          {"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 4], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}
        ]
      },
      {
        "module": "keras.layers",
        "class_name": "Add",
        "config": {"name": "add", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}},
        "registered_name": null,
        "build_config": {"input_shape": [[null, 3], [null, 3]]},
        "name": "add",
        "inbound_nodes": [
          {"args": [[
              {"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "dtype": "float32", "keras_history": ["dense", 0, 0]}},
              {"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "dtype": "float32", "keras_history": ["dense_1", 0, 0]}}
            ]], "kwargs": {}}
        ]
      }
    ],
    "input_layers": ["input_layer", 0, 0],
    "output_layers": ["add", 0, 0]
  },
  "registered_name": "Functional",
  "build_config": {"input_shape": null}
})json";

// §3.4: a real tf.keras 2.10 Sequential (Conv1D, MaxPooling1D, Flatten, Dense)
inline const char* kTfKerasSequential = R"json({
  "class_name": "Sequential",
  "config": {
    "name": "sequential_2",
    "layers": [
      {
        "class_name": "InputLayer",
        "config": {"batch_input_shape": [null, 4, 2], "dtype": "float32", "sparse": false, "ragged": false, "name": "conv1d_4_input"}
      },
      {
        "class_name": "Conv1D",
        "config": {"name": "conv1d_4", "trainable": true, "batch_input_shape": [null, 4, 2], "dtype": "float32", "filters": 15, "kernel_size": [2], "strides": [1], "padding": "valid", "data_format": "channels_last", "dilation_rate": [1], "groups": 1, "activation": "relu", "use_bias": true, "kernel_initializer": {"class_name": "RandomUniform", "config": {"minval": -0.05, "maxval": 0.05, "seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}
      },
      {
        "class_name": "MaxPooling1D",
        "config": {"name": "max_pooling1d_4", "trainable": true, "dtype": "float32", "strides": [1], "pool_size": [1], "padding": "valid", "data_format": "channels_last"}
      },
      {
        "class_name": "Conv1D",
        "config": {"name": "conv1d_5", "trainable": true, "dtype": "float32", "filters": 51, "kernel_size": [1], "strides": [1], "padding": "valid", "data_format": "channels_last", "dilation_rate": [1], "groups": 1, "activation": "relu", "use_bias": true, "kernel_initializer": {"class_name": "RandomUniform", "config": {"minval": -0.05, "maxval": 0.05, "seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}
      },
      {
        "class_name": "MaxPooling1D",
        "config": {"name": "max_pooling1d_5", "trainable": true, "dtype": "float32", "strides": [1], "pool_size": [1], "padding": "valid", "data_format": "channels_last"}
      },
      {
        "class_name": "Flatten",
        "config": {"name": "flatten_2", "trainable": true, "dtype": "float32", "data_format": "channels_last"}
      },
      {
        "class_name": "Dense",
        "config": {"name": "dense_4", "trainable": true, "dtype": "float32", "units": 122, "activation": "relu", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}
      },
      {
        "class_name": "Dense",
        "config": {"name": "dense_5", "trainable": true, "dtype": "float32", "units": 1, "activation": "linear", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}
      }
    ]
  },
  "keras_version": "2.10.0",
  "backend": "tensorflow"
})json";

// §3.5: tf.keras 2.12 Functional with Add (legacy node lists)
inline const char* kTfKerasFunctionalAdd = R"json({
  "class_name": "Functional",
  "config": {
    "name": "model",
    "trainable": true,
    "layers": [
      {
        "class_name": "InputLayer",
        "config": {"batch_input_shape": [null, 4], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_1"},
        "name": "input_1",
        "inbound_nodes": []
      },
      {
        "class_name": "Dense",
        "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 3, "activation": "linear", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
        "name": "dense",
        "inbound_nodes": [[["input_1", 0, 0, {}]]]
      },
      {
        "class_name": "Dense",
        "config": {"name": "dense_1", "trainable": true, "dtype": "float32", "units": 3, "activation": "linear", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null},
        "name": "dense_1",
        "inbound_nodes": [[["input_1", 0, 0, {}]]]
      },
      {
        "class_name": "Add",
        "config": {"name": "add", "trainable": true, "dtype": "float32"},
        "name": "add",
        "inbound_nodes": [[["dense", 0, 0, {}], ["dense_1", 0, 0, {}]]]
      }
    ],
    "input_layers": [["input_1", 0, 0]],
    "output_layers": [["add", 0, 0]]
  },
  "keras_version": "2.12.0",
  "backend": "tensorflow"
})json";

}  // namespace reference_json
