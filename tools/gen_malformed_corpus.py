#!/usr/bin/env python3
"""Writes tests/data/malformed/: valid Keras-layout models and xkeras saved files, each broken in one
place, plus EXPECTED.json (what each must raise). Usage: tools/gen_malformed_corpus.py tests/data/malformed"""
import base64
import copy
import json
import math
import os
import struct
import sys

OUT = sys.argv[1]
CASES = {}  # file name -> (text, expectation), in the order written


def dumps(obj, depth=4, indent=""):
    """JSON with one line per object or list down to `depth` levels (one layer config per line), compact
    below: readable, and small enough that the corpus stays well under 1 MB."""
    flat = all(not isinstance(v, (dict, list)) or (isinstance(v, list) and not any(isinstance(x, (dict, list)) for x in v))
               for v in (obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list) else []))
    if depth == 0 or not isinstance(obj, (dict, list)) or not obj or flat:
        return json.dumps(obj, separators=(", ", ": "))
    inner = indent + " "
    if isinstance(obj, dict):
        items = ["%s%s: %s" % (inner, json.dumps(k), dumps(v, depth - 1, inner)) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    items = [inner + dumps(v, depth - 1, inner) for v in obj]
    return "[\n" + ",\n".join(items) + "\n" + indent + "]"


def add(name, obj_or_text, error, where, expected, found, note=None):
    text = obj_or_text if isinstance(obj_or_text, (str, bytes)) else dumps(obj_or_text)
    e = {"error": error, "where": where, "expected": expected, "found": found}
    if note:
        e["note"] = note
    assert name not in CASES, name
    CASES[name] = (text, e)


# ---- Keras 3 layout builders ------------------------------------------------------------------

# Keras 3 writes a DTypePolicy object and every optional key (null when unset); the layer configs here keep
# the keys that matter and a dtype string (as tf.keras writes it), so that the corpus stays small.
POLICY = "float32"


def init(cls, config=None):
    return {"module": "keras.initializers", "class_name": cls, "config": config or {}, "registered_name": None}


def layer(cls, config, build=None):
    o = {"module": "keras.layers", "class_name": cls, "config": config, "registered_name": None}
    if build is not None:
        o["build_config"] = {"input_shape": build}
    return o


def base(name):
    return {"name": name, "trainable": True, "dtype": POLICY}


def input_layer(name, batch_shape):
    return layer("InputLayer", {"batch_shape": batch_shape, "dtype": "float32", "sparse": False, "ragged": False,
                                "name": name, "optional": False})


def dense(name, units, activation="linear", build=None):
    c = base(name)
    c.update({"units": units, "activation": activation, "use_bias": True,
              "kernel_initializer": init("GlorotUniform", {"seed": None}), "bias_initializer": "zeros"})
    return layer("Dense", c, build)


def dropout(name, rate):
    c = base(name)
    c.update({"rate": rate, "seed": None, "noise_shape": None})
    return layer("Dropout", c)


def conv2d(name, filters, build):
    c = base(name)
    c.update({"filters": filters, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same",
              "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "relu",
              "use_bias": True, "kernel_initializer": "glorot_uniform", "bias_initializer": "zeros"})
    return layer("Conv2D", c, build)


def batch_norm(name, build):
    c = base(name)
    c.update({"axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True,
              "gamma_initializer": "ones", "synchronized": False})
    return layer("BatchNormalization", c, build)


def max_pool(name):
    c = base(name)
    c.update({"pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"})
    return layer("MaxPooling2D", c)


def zero_pad(name):
    c = base(name)
    c.update({"padding": [[1, 1], [1, 1]], "data_format": "channels_last"})
    return layer("ZeroPadding2D", c)


def up_sample(name, size=(2, 2)):
    c = base(name)
    c.update({"size": list(size), "data_format": "channels_last", "interpolation": "nearest"})
    return layer("UpSampling2D", c)


def layer_norm(name, build):
    c = base(name)
    c.update({"axis": [-1], "epsilon": 0.001, "center": True, "scale": True, "rms_scaling": False})
    return layer("LayerNormalization", c, build)


def flatten(name):
    c = base(name)
    c["data_format"] = "channels_last"
    return layer("Flatten", c)


def reshape(name, target):
    c = base(name)
    c["target_shape"] = target
    return layer("Reshape", c)


def lambda_layer(name, fn, arguments):
    c = base(name)
    c.update({"function": {"module": "builtins", "class_name": "function", "config": fn, "registered_name": "function"},
              "arguments": arguments})
    return layer("Lambda", c)


def activation(name, act):
    c = base(name)
    c["activation"] = act
    return layer("Activation", c)


def sequential(name, layers, input_shape):
    return {"module": "keras", "class_name": "Sequential",
            "config": {"name": name, "trainable": True, "dtype": POLICY, "layers": layers,
                       "build_input_shape": input_shape},
            "registered_name": None, "build_config": {"input_shape": input_shape}}


def tensor(layer_name, node=0, index=0, shape=None):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": shape, "dtype": "float32", "keras_history": [layer_name, node, index]}}


def entry(obj, inputs=None, merge=False):
    """A functional layer entry: the entry name and inbound nodes added to the layer object."""
    o = copy.deepcopy(obj)
    o["name"] = o["config"]["name"]
    if inputs is None:
        o["inbound_nodes"] = []
    else:
        args = [[tensor(i) for i in inputs]] if merge else [tensor(i) for i in inputs]
        o["inbound_nodes"] = [{"args": args, "kwargs": {}}]
    return o


def functional(name, entries, inputs, outputs):
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "config": {"name": name, "trainable": True, "layers": entries, "input_layers": inputs,
                       "output_layers": outputs},
            "registered_name": "Functional", "build_config": {"input_shape": None}}


# ---- weights --------------------------------------------------------------------------------

def f32(values):
    return base64.b64encode(struct.pack("<%df" % len(values), *values)).decode()


def array(shape, seed):
    n = math.prod(shape)
    return {"shape": list(shape), "data": f32([((i * 7 + seed) % 19 - 9) / 16.0 for i in range(n)])}


def weight(path, shape, seed=1):
    a = array(shape, seed)
    return {"path": path, "shape": a["shape"], "dtype": "float32", "data": a["data"]}


def saved(model, weights, optimizer_state=None):
    doc = {"format": "xkeras", "format_version": 1, "model": model, "weights": weights}
    if optimizer_state is not None:
        doc["optimizer_state"] = optimizer_state
    return doc


# ---- the valid bases ----------------------------------------------------------------------------

def mlp_model():
    return sequential("mlp", [input_layer("input_layer", [None, 4]), dense("dense", 3, "relu", [None, 4]),
                              dropout("dropout", 0.5), dense("dense_1", 2, "softmax", [None, 3])], [None, 4])


MLP_SHAPES = [("dense/kernel", [4, 3]), ("dense/bias", [3]), ("dense_1/kernel", [3, 2]), ("dense_1/bias", [2])]


def mlp_saved(compiled=False):
    """Sequential MLP; when `compiled`, with Adam after one training step: compile_config and optimizer state."""
    m = mlp_model()
    weights = [weight(p, s, i) for i, (p, s) in enumerate(MLP_SHAPES)]
    if not compiled:
        return saved(m, weights)
    m["compile_config"] = {
        "optimizer": {"module": "keras.optimizers", "class_name": "Adam",
                      "config": {"name": "adam", "learning_rate": 0.001, "weight_decay": None, "clipnorm": None,
                                 "global_clipnorm": None, "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
                                 "ema_overwrite_frequency": None, "loss_scale_factor": None,
                                 "gradient_accumulation_steps": None, "beta_1": 0.9, "beta_2": 0.999,
                                 "epsilon": 1e-07, "amsgrad": False},
                      "registered_name": None},
        "loss": "categorical_crossentropy", "loss_weights": None, "metrics": ["accuracy"],
        "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}
    state = {"iterations": 1,
             "variables": {p: {"momentum": array(s, i + 5), "velocity": array(s, i + 9)}
                           for i, (p, s) in enumerate(MLP_SHAPES)}}
    return saved(m, weights, state)


def cnn_saved():
    """Functional Conv2D -> BatchNormalization -> MaxPooling2D -> Flatten -> Dense, not compiled."""
    conv = conv2d("conv2d", 2, [None, 6, 6, 1])
    conv["config"]["padding"] = "valid"
    entries = [entry(input_layer("input_layer", [None, 6, 6, 1])), entry(conv, ["input_layer"]),
               entry(batch_norm("batch_normalization", [None, 4, 4, 2]), ["conv2d"]),
               entry(max_pool("max_pooling2d"), ["batch_normalization"]),
               entry(flatten("flatten"), ["max_pooling2d"]), entry(dense("dense", 2, build=[None, 8]), ["flatten"])]
    m = functional("cnn", entries, ["input_layer", 0, 0], ["dense", 0, 0])
    shapes = [("conv2d/kernel", [3, 3, 1, 2]), ("conv2d/bias", [2]), ("batch_normalization/gamma", [2]),
              ("batch_normalization/beta", [2]), ("batch_normalization/moving_mean", [2]),
              ("batch_normalization/moving_variance", [2]), ("dense/kernel", [8, 2]), ("dense/bias", [2])]
    return saved(m, [weight(p, s, i) for i, (p, s) in enumerate(shapes)])


def nested_saved():
    """Functional autoencoder whose encoder and decoder are nested Sequentials (weight paths prefixed)."""
    enc = sequential("encoder", [input_layer("enc_in", [None, 4]), dense("dense", 2, "relu", [None, 4])], [None, 4])
    dec = sequential("decoder", [input_layer("dec_in", [None, 2]), dense("dense_1", 4, "sigmoid", [None, 2])], [None, 2])
    entries = [entry(input_layer("input_layer", [None, 4])), entry(enc, ["input_layer"]), entry(dec, ["encoder"])]
    for e in entries[1:]:
        e["name"] = e["config"]["name"]
    m = functional("autoencoder", entries, ["input_layer", 0, 0], ["decoder", 0, 0])
    shapes = [("encoder/dense/kernel", [4, 2]), ("encoder/dense/bias", [2]), ("decoder/dense_1/kernel", [2, 4]),
              ("decoder/dense_1/bias", [4])]
    return saved(m, [weight(p, s, i) for i, (p, s) in enumerate(shapes)])


def conv_seq():
    """Sequential image model: Conv2D, BatchNormalization, MaxPooling2D, ZeroPadding2D, UpSampling2D,
    LayerNormalization, Flatten, Dense (layers[1] .. layers[8])."""
    return sequential("images", [input_layer("input_layer", [None, 8, 8, 1]), conv2d("conv2d", 2, [None, 8, 8, 1]),
                                 batch_norm("batch_normalization", [None, 8, 8, 2]), max_pool("max_pooling2d"),
                                 zero_pad("zero_padding2d"), up_sample("up_sampling2d"),
                                 layer_norm("layer_normalization", [None, 12, 12, 2]), flatten("flatten"),
                                 dense("dense", 3, build=[None, 288])], [None, 8, 8, 1])


def misc_seq():
    """Sequential: Reshape, Lambda("scale"), Activation, Flatten (layers[1] .. layers[4])."""
    return sequential("misc", [input_layer("input_layer", [None, 6]), reshape("reshape", [2, 3]),
                               lambda_layer("lambda", "scale", {"factor": 2.0}), activation("activation", "relu"),
                               flatten("flatten")], [None, 6])


def func():
    """Functional: input -> Dense a, Dense b -> Concatenate -> Dense out (layers[0] .. layers[4])."""
    return functional("two_branches",
                      [entry(input_layer("input_layer", [None, 4])), entry(dense("a", 3), ["input_layer"]),
                       entry(dense("b", 3), ["input_layer"]),
                       entry(layer("Concatenate", dict(base("concatenate"), axis=-1)), ["a", "b"], merge=True),
                       entry(dense("out", 2), ["concatenate"])],
                      ["input_layer", 0, 0], ["out", 0, 0])


def history(m, layer_index, arg=0, merge_index=None):
    """The keras_history list of one input of a functional layer's first call."""
    args = m["config"]["layers"][layer_index]["inbound_nodes"][0]["args"]
    t = args[0][merge_index] if merge_index is not None else args[arg]
    return t["config"]["keras_history"]


def sub(text, old, new):
    """text with `old` (which must occur) replaced by `new`."""
    assert old in text, old
    return text.replace(old, new)


def with_(obj, fn):
    o = copy.deepcopy(obj)
    fn(o)
    return o


def cfg(m, i):
    return m["config"]["layers"][i]["config"]


def set_cfg(i, key, value):
    def f(m):
        cfg(m, i)[key] = value
    return f


def del_cfg(i, key):
    def f(m):
        del cfg(m, i)[key]
    return f


L = "config.layers"           # a bare model JSON
ML = "model.config.layers"    # inside a saved file


# =========================================================================================
# 1. Files that are not JSON, or not complete JSON: truncation, NaN/Inf, numbers out of range.
# =========================================================================================
mlp_text = dumps(mlp_saved(compiled=True))
# For a file that is not valid JSON, "where" is the file (or "(json text)") and the line and column.
add("json_truncated.saved.json", mlp_text[: len(mlp_text) // 2], "ConfigError", ["{file}", "line 25, column 74"],
    "invalid JSON", "last read: '\"weight_decay\": nu'", note="cut in the middle of a null")
add("json_empty.saved.json", "", "ConfigError", ["{file}", "line 1, column 1"], "invalid JSON",
    "unexpected end of input")
add("json_trailing_garbage.saved.json", mlp_text + "\n}\n", "ConfigError", ["{file}", "line 65, column 1"],
    "expected end of input", "unexpected '}'")
add("json_nan_literal.saved.json", sub(mlp_text, '"rate": 0.5', '"rate": NaN'), "ConfigError",
    ["{file}", "line 14, column 134"], "invalid JSON", "last read: '\"rate\": N'",
    note="Python's json.dumps writes NaN; JSON has no such literal")
add("json_infinity_literal.saved.json", sub(mlp_text, '"epsilon": 1e-07', '"epsilon": Infinity'), "ConfigError",
    ["{file}", "line 25, column 320"], "invalid JSON", "last read: '\"epsilon\": I'")
add("json_number_overflow.saved.json", sub(mlp_text, '"units": 3', '"units": 1e400'), "ConfigError",
    ["{file}", "line 13"], "invalid JSON", "1e400", note="a number no double can hold; the message must say where it is")
add("json_invalid_utf8.saved.json", sub(mlp_text, '"name": "mlp"', '"name": "ml\udcff"').encode("utf-8", "surrogateescape"),
    "ConfigError", ["{file}", "line 8, column 15"], "invalid JSON", "ill-formed UTF-8 byte")
model_text = dumps(func())
add("json_truncated.model.json", model_text[: len(model_text) * 2 // 3], "ConfigError",
    ["(json text)", "line 38, column 78"], "invalid JSON", "unexpected end of input")
add("json_nan_in_config.model.json", sub(dumps(mlp_model()), '"rate": 0.5', '"rate": -Infinity'),
    "ConfigError", ["(json text)", "line 25, column 83"], "expected digit after '-'", "last read: '-I'")

# =========================================================================================
# 2. The saved file's envelope: format, format_version, model, weights.
# =========================================================================================
doc = mlp_saved()
add("format_missing.saved.json", with_(doc, lambda d: d.pop("format")), "ConfigError", "format", "missing", "missing")
add("format_wrong.saved.json", with_(doc, lambda d: d.update(format="keras")), "ConfigError", "format",
    '"xkeras"', '"keras"')
add("format_number.saved.json", with_(doc, lambda d: d.update(format=1)), "ConfigError", "format", '"xkeras"', "got 1")
add("format_version_2.saved.json", with_(doc, lambda d: d.update(format_version=2)), "ConfigError", "format_version",
    "format 1", "format 2")
add("format_version_string.saved.json", with_(doc, lambda d: d.update(format_version="2")), "ConfigError",
    "format_version", "positive integer", '"2"')
add("format_version_2pow64.saved.json",
    sub(dumps(with_(doc, lambda d: d.update(format_version=123456789))), "123456789", "18446744073709551616"),
    "ConfigError", "format_version", "positive integer", "1.8446744073709552e+19",
    note="2^64 does not fit 64 bits: the parser keeps it as a double")
add("format_version_2pow64_minus_1.saved.json",
    dumps(with_(doc, lambda d: d.update(format_version=18446744073709551615))), "ConfigError",
    "format_version", "format 1", "18446744073709551615",
    note="fits uint64; must not wrap to -1 (it is a newer version, not a non-positive one)")
add("format_version_zero.saved.json", with_(doc, lambda d: d.update(format_version=0)), "ConfigError",
    "format_version", "positive integer", "got 0")
add("format_version_missing.saved.json", with_(doc, lambda d: d.pop("format_version")), "ConfigError",
    "format_version", "missing", "missing")
add("top_level_list.saved.json", [doc], "ConfigError", "{file}", "JSON object", "array")
add("model_missing.saved.json", with_(doc, lambda d: d.pop("model")), "ConfigError", "model", "missing", "missing")
add("model_not_object.saved.json", with_(doc, lambda d: d.update(model="mlp")), "ConfigError", "model",
    "model object", '"mlp"')
add("model_class_unknown.saved.json", with_(doc, lambda d: d["model"].update(class_name="Transformer")),
    "ConfigError", "model.class_name", "Sequential, Functional or Model", '"Transformer"')
add("weights_missing.saved.json", with_(doc, lambda d: d.pop("weights")), "ConfigError", "weights", "missing",
    "missing")
add("weights_not_list.saved.json", with_(doc, lambda d: d.update(weights={})), "ConfigError", "weights",
    "list of weights", "{}")

# =========================================================================================
# 3. Weights: paths, dtype, shapes (negative, zero, huge, overflowing), base64.
# =========================================================================================
def wset(i, **kv):
    return lambda d: d["weights"][i].update(kv)


add("weight_entry_not_object.saved.json", with_(doc, lambda d: d["weights"].__setitem__(0, 5)), "ConfigError",
    "weights[0]", "an object", "number")
add("weight_path_missing.saved.json", with_(doc, lambda d: d["weights"][0].pop("path")), "ConfigError",
    "weights[0].path", "missing", "missing")
add("weight_path_number.saved.json", with_(doc, wset(0, path=3)), "ConfigError", "weights[0].path", "a string",
    "got 3")
add("weight_path_unknown.saved.json", with_(doc, wset(0, path="dense/kernal")), "ConfigError", "weights[0].path",
    "has no weight", '"dense/kernal"')
add("weight_path_duplicate.saved.json", with_(doc, lambda d: d["weights"].append(copy.deepcopy(d["weights"][0]))),
    "ConfigError", "weights[4].path", "given twice", ['"dense/kernel"', "weights[0]"])
add("weight_missing.saved.json", with_(doc, lambda d: d["weights"].pop(3)), "ConfigError", "weights",
    ["missing weight", "(2,)"], '"dense_1/bias"')
add("weight_extra_unknown.saved.json", with_(doc, lambda d: d["weights"].append(weight("dense_2/kernel", [2, 2]))),
    "ConfigError", "weights[4].path", "has no weight", '"dense_2/kernel"')
add("weight_dtype_float16.saved.json", with_(doc, wset(0, dtype="float16")), "ConfigError", "weights[0].dtype",
    '"float32"', '"float16"')
add("weight_dtype_number.saved.json", with_(doc, wset(1, dtype=32)), "ConfigError", "weights[1].dtype", '"float32"',
    "got 32")
add("weight_shape_transposed.saved.json", with_(doc, wset(0, shape=[3, 4])), "ConfigError", "weights[0].shape",
    "(4, 3)", "(3, 4)")
add("weight_shape_wrong_rank.saved.json", with_(doc, wset(0, shape=[12])), "ConfigError", "weights[0].shape",
    "(4, 3)", "(12,)")
add("weight_shape_zero.saved.json", with_(doc, wset(0, shape=[0, 3])), "ConfigError", "weights[0].shape", "(4, 3)",
    "(0, 3)")
add("weight_shape_negative.saved.json", with_(doc, wset(0, shape=[-4, 3])), "ConfigError", "weights[0].shape[0]",
    "an integer in [0,", "got -4")
add("weight_shape_float.saved.json", with_(doc, wset(0, shape=[4.0, 3])), "ConfigError", "weights[0].shape[0]",
    "an integer", "got 4.0")
add("weight_shape_huge.saved.json", with_(doc, wset(0, shape=[4294967296, 3])), "ConfigError", "weights[0].shape[0]",
    "an integer in [0,", "got 4294967296")
add("weight_shape_overflow.saved.json", with_(doc, wset(0, shape=[65536, 65536, 65536, 65536])), "ConfigError",
    "weights[0].shape", "2^31 elements", "[65536,65536,65536,65536]",
    note="the product wraps to 0 in 64 bits")
add("weight_shape_2pow64.saved.json",
    sub(dumps(with_(doc, wset(0, shape=[123456789, 3]))), "123456789", "18446744073709551616"),
    "ConfigError", "weights[0].shape[0]", "an integer", "1.8446744073709552e+19")
add("weight_shape_not_list.saved.json", with_(doc, wset(0, shape="4x3")), "ConfigError", "weights[0].shape",
    "a list of at most 16 dimensions", '"4x3"')
add("weight_shape_17_dims.saved.json", with_(doc, wset(1, shape=[1] * 16 + [3])), "ConfigError", "weights[1].shape",
    "at most 16 dimensions", "[1,1,1")
add("weight_shape_missing.saved.json", with_(doc, lambda d: d["weights"][0].pop("shape")), "ConfigError",
    "weights[0].shape", "missing", "missing")
add("weight_data_missing.saved.json", with_(doc, lambda d: d["weights"][2].pop("data")), "ConfigError",
    "weights[2].data", "missing", "missing")
add("weight_data_number.saved.json", with_(doc, wset(2, data=0)), "ConfigError", "weights[2].data", "a string",
    "got 0")
ok = doc["weights"][0]["data"]  # dense/kernel: 48 bytes -> 64 characters, no padding
add("weight_data_bad_alphabet.saved.json", with_(doc, wset(0, data=ok[:5] + "*" + ok[6:])), "ConfigError",
    "weights[0].data", "base64", ["'*'", "offset 5"])
add("weight_data_url_safe_alphabet.saved.json", with_(doc, wset(0, data=ok[:7] + "-" + ok[8:])), "ConfigError",
    "weights[0].data", "base64", ["'-'", "offset 7"], note="base64url is not what the format uses")
pad = doc["weights"][3]["data"]  # dense_1/bias: 8 bytes -> 12 characters ending in one '='
assert pad.endswith("=") and not pad.endswith("==")
add("weight_data_bad_padding.saved.json", with_(doc, wset(3, data=pad[:-1] + "A")), "ConfigError", "weights[3].data",
    "'='", ["'A'", "offset 11"], note="the message must say that padding '=' was expected there")
add("weight_data_padding_inside.saved.json", with_(doc, wset(0, data=ok[:20] + "=" + ok[21:])), "ConfigError",
    "weights[0].data", "base64", ["'='", "offset 20"])
add("weight_data_short.saved.json", with_(doc, wset(0, data=ok[:-4])), "ConfigError", "weights[0].data",
    "64 base64 characters", "got 60")
add("weight_data_long.saved.json", with_(doc, wset(0, data=ok + "AAAA")), "ConfigError", "weights[0].data",
    "64 base64 characters", "got 68")
add("weight_data_empty.saved.json", with_(doc, wset(1, data="")), "ConfigError", "weights[1].data",
    "16 base64 characters", "got 0")
add("weight_data_whitespace.saved.json", with_(doc, wset(0, data=ok[:24] + "\n" + ok[25:])), "ConfigError",
    "weights[0].data", "base64", "offset 24", note="a line break inside the base64 text")
cnn = cnn_saved()
add("weight_bn_moving_variance_shape.saved.json",
    with_(cnn, lambda d: d["weights"][5].update(weight("batch_normalization/moving_variance", [3], 4))),
    "ConfigError", "weights[5].shape", "(2,)", "(3,)")
add("weight_conv_kernel_shape.saved.json",
    with_(cnn, lambda d: d["weights"][0].update(weight("conv2d/kernel", [3, 3, 2, 1], 4))), "ConfigError",
    "weights[0].shape", "(3, 3, 1, 2)", "(3, 3, 2, 1)")
nested = nested_saved()
add("weight_nested_path_without_prefix.saved.json", with_(nested, wset(0, path="dense/kernel")), "ConfigError",
    "weights[0].path", "has no weight", '"dense/kernel"', note="inside a sub-model the path is encoder/dense/kernel")

# A 1 KB file whose three Dense layers would need 3 x 2^28 floats (3 x 1 GiB), with no weights.
big = sequential("big", [input_layer("input_layer", [None, 16384])] + [
    {"class_name": "Dense", "config": {"units": 16384}} for _ in range(3)], [None, 16384])
del big["build_config"], big["module"], big["registered_name"]
bomb = json.dumps(saved(big, []))
assert len(bomb) < 1024, len(bomb)
add("weights_absent_3x1GiB_dense.saved.json", bomb, "ConfigError", ML + "[1]", "0 values of weights",
    "268435456 values")

# =========================================================================================
# 4. compile_config and optimizer_state (only read from saved files).
# =========================================================================================
compiled = mlp_saved(compiled=True)


def cc(fn):
    return with_(compiled, lambda d: fn(d["model"]["compile_config"]))


add("compile_config_not_object.saved.json", with_(compiled, lambda d: d["model"].update(compile_config=5)), "ConfigError",
    "model.compile_config", "an object", "5")
add("compile_optimizer_missing.saved.json", cc(lambda c: c.pop("optimizer")), "ConfigError",
    "model.compile_config.optimizer", "missing", "missing")
add("compile_optimizer_unknown.saved.json", cc(lambda c: c["optimizer"].update(class_name="Adafactor")), "ConfigError",
    "model.compile_config.optimizer.class_name", '"adam", "adamw", "sgd"', '"Adafactor"')
add("compile_optimizer_learning_rate_string.saved.json",
    cc(lambda c: c["optimizer"]["config"].update(learning_rate="fast")), "ConfigError",
    "model.compile_config.optimizer.config.learning_rate", "a number", '"fast"')
add("compile_optimizer_beta_1_bool.saved.json", cc(lambda c: c["optimizer"]["config"].update(beta_1=True)),
    "ConfigError", "model.compile_config.optimizer.config.beta_1", "a number", "true")
add("compile_optimizer_unknown_argument.saved.json", cc(lambda c: c["optimizer"]["config"].update(beta_3=0.5)),
    "ConfigError", "model.compile_config.optimizer.config.beta_3", "beta_1", "unknown argument",
    note="should list the arguments Adam takes")
add("compile_loss_unknown.saved.json", cc(lambda c: c.update(loss="hinge_squared_cubed")), "ConfigError",
    "model.compile_config.loss", "known:", '"hinge_squared_cubed"')
add("compile_loss_missing.saved.json", cc(lambda c: c.pop("loss")), "ConfigError", "model.compile_config.loss",
    "loss is required", "required")
add("compile_loss_weights.saved.json", cc(lambda c: c.update(loss_weights="heavy")), "ConfigError",
    "model.compile_config.loss_weights", "list or a dict of numbers", '"heavy"')
add("compile_metric_number.saved.json", cc(lambda c: c.update(metrics=[5])), "ConfigError",
    "model.compile_config.metrics[0]", "metric name", "got 5")
add("compile_metric_class_name_number.saved.json", cc(lambda c: c.update(metrics=[{"class_name": 5, "config": "acc"}])),
    "ConfigError", "model.compile_config.metrics[0]", "metric name", "5")
add("compile_metrics_not_list.saved.json", cc(lambda c: c.update(metrics="accuracy")), "ConfigError",
    "model.compile_config.metrics", "list of metrics", '"accuracy"')


def os_(fn):
    return with_(compiled, lambda d: fn(d["optimizer_state"]))


add("optimizer_state_not_object.saved.json", with_(compiled, lambda d: d.update(optimizer_state=[1])), "ConfigError", "optimizer_state",
    '"iterations" and "variables"', "[1]")
add("optimizer_state_iterations_negative.saved.json", os_(lambda s: s.update(iterations=-1)), "ConfigError",
    "optimizer_state.iterations", "non-negative integer", "-1")
add("optimizer_state_iterations_float.saved.json", os_(lambda s: s.update(iterations=1.5)), "ConfigError",
    "optimizer_state.iterations", "non-negative integer", "1.5")
add("optimizer_state_variables_list.saved.json", os_(lambda s: s.update(variables=[])), "ConfigError",
    "optimizer_state.variables", "keyed by variable path", "[]")
add("optimizer_state_unknown_variable.saved.json",
    os_(lambda s: s["variables"].__setitem__("dense/kernal", s["variables"].pop("dense/kernel"))), "ConfigError",
    'optimizer_state.variables["dense/kernal"]', "trainable variable", "dense/kernal")
add("optimizer_state_slot_missing.saved.json", os_(lambda s: s["variables"]["dense/bias"].pop("velocity")),
    "ConfigError", 'optimizer_state.variables["dense/bias"]', "2 slot(s)", "got 1")
add("optimizer_state_slot_shape.saved.json",
    os_(lambda s: s["variables"]["dense/kernel"]["momentum"].update(shape=[3, 4])), "ConfigError",
    'optimizer_state.variables["dense/kernel"].momentum', "(4, 3)", "(3, 4)")
add("optimizer_state_slot_shape_negative.saved.json",
    os_(lambda s: s["variables"]["dense/kernel"]["momentum"].update(shape=[-4, 3])), "ConfigError",
    'optimizer_state.variables["dense/kernel"].momentum.shape', "non-negative integers", "[-4,3]")
add("optimizer_state_slot_shape_overflow.saved.json",
    os_(lambda s: s["variables"]["dense/kernel"]["momentum"].update(shape=[4294967296, 4294967296])), "ConfigError",
    'optimizer_state.variables["dense/kernel"].momentum.shape', "2^28 elements", "[4294967296,4294967296]")
add("optimizer_state_slot_bad_base64.saved.json",
    os_(lambda s: s["variables"]["dense/bias"]["momentum"].update(data="!" + s["variables"]["dense/bias"]["momentum"]["data"][1:])),
    "ConfigError", 'optimizer_state.variables["dense/bias"].momentum.data', "base64", ["'!'", "offset 0"])

# =========================================================================================
# 5. Layer configs: a wrong value or type for one key of one layer (bare model JSON unless noted).
# =========================================================================================
mlp = mlp_model()


def k(name, model, i, key, value, expected, found, error="ConfigError", where=None, note=None):
    add(name, with_(model, set_cfg(i, key, value)), error, where or "%s[%d].config.%s" % (L, i, key), expected, found,
        note)


# Dense (mlp: layers[1] = Dense(3, relu), layers[3] = Dense(2, softmax))
k("dense_units_negative.model.json", mlp, 1, "units", -4, "positive integer", "-4")
k("dense_units_zero.model.json", mlp, 1, "units", 0, "positive integer", "got 0")
k("dense_units_string.model.json", mlp, 1, "units", "3", "positive integer", '"3"')
k("dense_units_float.model.json", mlp, 1, "units", 3.5, "positive integer", "3.5")
k("dense_units_2pow31.model.json", mlp, 1, "units", 2147483648, "positive integer", "2147483648")
k("dense_units_huge.model.json", mlp, 3, "units", 1 << 30, "2^28 elements", "(3, 1073741824)", where=L + "[3]",
  note="accepted by the key check (at most 2^30); the kernel is what is too large")
k("dense_activation_unknown.model.json", mlp, 1, "activation", "relu7", "activation", '"relu7"')
k("dense_activation_number.model.json", mlp, 1, "activation", 7, "an activation name", "got 7")
k("dense_use_bias_string.model.json", mlp, 1, "use_bias", "yes", "true or false", '"yes"')
k("dense_kernel_initializer_unknown.model.json", mlp, 1, "kernel_initializer", init("GlorotMagic"), "initializer",
  '"GlorotMagic"')
k("dense_kernel_initializer_number.model.json", mlp, 1, "kernel_initializer", 5, "initializer name", "got 5")
k("dense_kernel_initializer_seed_negative.model.json", mlp, 1, "kernel_initializer",
  init("GlorotUniform", {"seed": -1}), "non-negative integer", "-1", where=L + "[1].config.kernel_initializer.config.seed")
k("dense_bias_initializer_value_string.model.json", mlp, 1, "bias_initializer", init("Constant", {"value": "one"}),
  "a number", '"one"', where=L + "[1].config.bias_initializer.config.value")
k("dense_kernel_regularizer_unknown.model.json", mlp, 1, "kernel_regularizer",
  {"module": "keras.regularizers", "class_name": "L3", "config": {"l3": 0.1}, "registered_name": None},
  "L1, L2, L1L2", '"L3"')
k("dense_kernel_regularizer_negative.model.json", mlp, 1, "kernel_regularizer",
  {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": -0.1}, "registered_name": None},
  "non-negative number", "-0.1", where=L + "[1].config.kernel_regularizer.config.l2")
k("dense_bias_regularizer_extra_argument.model.json", mlp, 1, "bias_regularizer",
  {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.1, "l1": 0.1}, "registered_name": None},
  "l2", "unexpected argument", where=L + "[1].config.bias_regularizer.config.l1",
  note="should list what L2 takes (l2)")
k("dense_kernel_constraint_unknown.model.json", mlp, 1, "kernel_constraint",
  {"module": "keras.constraints", "class_name": "Positive", "config": {}, "registered_name": None},
  "MaxNorm, NonNeg, UnitNorm or MinMaxNorm", '"Positive"')
k("dense_kernel_constraint_max_value_string.model.json", mlp, 1, "kernel_constraint",
  {"module": "keras.constraints", "class_name": "MaxNorm", "config": {"max_value": "2", "axis": 0},
   "registered_name": None}, "a number", '"2"', where=L + "[1].config.kernel_constraint.config.max_value")
k("dense_activity_regularizer.model.json", mlp, 1, "activity_regularizer",
  {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.1}, "registered_name": None},
  "not supported", "activity regularizer")
k("layer_trainable_string.model.json", mlp, 1, "trainable", "yes", "true or false", '"yes"')
k("layer_name_number.model.json", mlp, 1, "name", 5, "a string", "got 5")
k("layer_name_too_long.model.json", mlp, 1, "name", "d" * 300, "256 characters", "300",
  note="should give the name's length")

# Dropout (mlp: layers[2])
k("dropout_rate_above_one.model.json", mlp, 2, "rate", 1.5, "between 0 and 1", "1.5")
k("dropout_rate_string.model.json", mlp, 2, "rate", "0.5", "between 0 and 1", '"0.5"')
add("dropout_rate_missing.model.json", with_(mlp, del_cfg(2, "rate")), "ConfigError", L + "[2].config.rate", "missing",
    "missing")
k("dropout_noise_shape_zero.model.json", mlp, 2, "noise_shape", [None, 0], "positive integers", "[null,0]")
k("dropout_noise_shape_string.model.json", mlp, 2, "noise_shape", "batch", "list of dimensions", '"batch"')
k("dropout_seed_negative.model.json", mlp, 2, "seed", -5, "non-negative integer", "-5")
k("dropout_seed_float.model.json", mlp, 2, "seed", 1.5, "non-negative integer", "1.5")

# InputLayer (mlp: layers[0])
k("input_batch_shape_negative.model.json", mlp, 0, "batch_shape", [None, -3], "non-negative integers",
  "[null,-3]")
k("input_batch_shape_zero.model.json", mlp, 0, "batch_shape", [None, 0], "positive", "[null,0]",
  note="a zero dimension: the key is known when the config is read")
k("input_batch_shape_huge.model.json", mlp, 0, "batch_shape", [None, 100000, 100000], "2^26", "[null,100000,100000]")
k("input_batch_shape_2pow63.model.json", mlp, 0, "batch_shape", [None, 9223372036854775808], "non-negative integers",
  "9223372036854775808")
k("input_batch_shape_empty.model.json", mlp, 0, "batch_shape", [], "batch dimension", "[]",
  note="should show the value it got")
k("input_batch_shape_string.model.json", mlp, 0, "batch_shape", "(None, 4)", "list of dimensions", '"(None, 4)"')
add("input_batch_shape_missing.model.json", with_(mlp, del_cfg(0, "batch_shape")), "ConfigError",
    L + "[0].config.batch_shape", "batch_shape", "missing")
k("input_dtype_string.model.json", mlp, 0, "dtype", "string", "float32", '"string"',
  note="should list the dtypes it supports")
k("input_dtype_number.model.json", mlp, 0, "dtype", 32, "dtype", "32", note="a number is not a dtype")
k("input_sparse_true.model.json", mlp, 0, "sparse", True, "not supported", "sparse")
k("input_sparse_string.model.json", mlp, 0, "sparse", "no", "true or false", '"no"')

# Conv2D (images: layers[1])
img = conv_seq()
k("conv_filters_zero.model.json", img, 1, "filters", 0, "positive integer", "got 0")
add("conv_filters_missing.model.json", with_(img, del_cfg(1, "filters")), "ConfigError", L + "[1].config.filters",
    "missing", "missing")
add("conv_kernel_size_missing.model.json", with_(img, del_cfg(1, "kernel_size")), "ConfigError",
    L + "[1].config.kernel_size", "missing", "missing")
k("conv_kernel_size_three.model.json", img, 1, "kernel_size", [3, 3, 3], "2 integers", "[3,3,3]")
k("conv_kernel_size_negative.model.json", img, 1, "kernel_size", [-3, 3], "positive integers", "[-3,3]")
k("conv_kernel_size_string.model.json", img, 1, "kernel_size", "3x3", "2 integers", '"3x3"')
k("conv_kernel_size_too_big.model.json", img, 1, "kernel_size", [2000000, 1], "positive integers", "2000000",
  note="larger than the key's bound, 2^20")
k("conv_strides_zero.model.json", img, 1, "strides", [0, 1], "positive integers", "[0,1]")
k("conv_padding_unknown.model.json", img, 1, "padding", "full", '"valid" or "same"', '"full"')
k("conv_padding_number.model.json", img, 1, "padding", 1, "a string", "got 1")
k("conv_dilation_rate_float.model.json", img, 1, "dilation_rate", [1.5, 1], "positive integers", "1.5")
k("conv_dilation_with_strides.model.json", with_(img, set_cfg(1, "strides", [2, 2])), 1, "dilation_rate", [2, 2],
  "dilation", "strides", where=L + "[1].config")
k("conv_groups_zero.model.json", img, 1, "groups", 0, "positive integer", "got 0")
k("conv_groups_not_dividing.model.json", img, 1, "groups", 3, "divisible", ["groups", "3"], where=L + "[1]")
k("conv_data_format_first.model.json", img, 1, "data_format", "channels_first", '"channels_last"',
  '"channels_first"')
k("conv_kernel_regularizer_number.model.json", img, 1, "kernel_regularizer", 0.01, "regularizer", "0.01",
  where=L + "[1].config.kernel_regularizer")
add("conv_huge_dilation.model.json",
    sequential("s", [input_layer("in", [None, 8, 8, 1]),
                     layer("Conv2D", {"name": "c", "filters": 1, "kernel_size": [524289, 1],
                                      "dilation_rate": [1048576, 1], "padding": "same"})], [None, 8, 8, 1]),
    "ConfigError", L + "[1]", ["dilation", "2^26"], ["524289", "1048576"],
    note="the window (524289 - 1) * 1048576 + 1 is far larger than any image")
k("conv_kernel_larger_than_input.model.json", with_(img, set_cfg(1, "padding", "valid")), 1, "kernel_size", [9, 9],
  "output size", ["(None, 8, 8, 1)", "window 9"], where=L + "[1]")

# Pooling (images: layers[3] = MaxPooling2D)
k("pool_size_zero.model.json", img, 3, "pool_size", [0, 2], "positive integers", "[0,2]")
k("pool_size_four_values.model.json", img, 3, "pool_size", [2, 2, 2, 2], "2 integers", "[2,2,2,2]")
k("pool_strides_string.model.json", img, 3, "strides", "2", "2 integers", '"2"')
k("pool_padding_unknown.model.json", img, 3, "padding", "causal", '"valid" or "same"', '"causal"')

# BatchNormalization (images: layers[2])
k("bn_axis_string.model.json", img, 2, "axis", "last", "an integer", '"last"')
k("bn_axis_two_axes.model.json", img, 2, "axis", [1, 2], "one integer", "[1,2]")
k("bn_axis_out_of_range.model.json", img, 2, "axis", 7, "axis", ["7", "(None, 8, 8, 2)"], where=L + "[2]")
k("bn_momentum_string.model.json", img, 2, "momentum", "0.9", "float32 number", '"0.9"')
k("bn_epsilon_negative.model.json", img, 2, "epsilon", -1, "non-negative number", "-1")
k("bn_epsilon_float_overflow.model.json", img, 2, "epsilon", 1e39, "finite float32", "1e+39",
  note="finite as a double, infinite as float32")
k("bn_renorm.model.json", img, 2, "renorm", True, "not supported", "renorm")
k("bn_gamma_initializer_list.model.json", img, 2, "gamma_initializer", [1, 2], "initializer", "[1,2]")

# ZeroPadding2D (images: layers[4]), UpSampling2D (layers[5]), LayerNormalization (layers[6]), Flatten (layers[7])
k("zero_padding_negative.model.json", img, 4, "padding", -1, "non-negative integers", "-1")
k("zero_padding_three_values.model.json", img, 4, "padding", [1, 2, 3], "2 ints or 2 pairs", "[1,2,3]")
k("zero_padding_string.model.json", img, 4, "padding", "same", "an int, 2 ints or 2 pairs", '"same"')
k("up_sampling_size_zero.model.json", img, 5, "size", [0, 2], "positive integers", "[0,2]")
k("up_sampling_interpolation_bicubic.model.json", img, 5, "interpolation", "bicubic", '"nearest" and "bilinear"', '"bicubic"')
k("up_sampling_interpolation_number.model.json", img, 5, "interpolation", 1, "a string", "got 1")
k("layer_norm_axis_empty.model.json", img, 6, "axis", [], "non-empty list", "[]")
k("layer_norm_axis_float.model.json", img, 6, "axis", 1.5, "axis integer", "1.5")
k("layer_norm_axis_out_of_range.model.json", img, 6, "axis", [5], "axis", ["5", "(None, 12, 12, 2)"], where=L + "[6]")
k("layer_norm_rms_scaling.model.json", img, 6, "rms_scaling", True, "not supported", "rms_scaling")
k("flatten_data_format_unknown.model.json", img, 7, "data_format", "channels_middle", '"channels_last"',
  '"channels_middle"')

# The case: Input (None, 4, 1, 8) -> three UpSampling2D(1, 2^20) -> ZeroPadding2D -> Lambda("softmax").
up = layer("UpSampling2D", {"size": [1, 1048576]})
add("up_sampling_chain_huge.model.json",
    sequential("s", [input_layer("in", [None, 4, 1, 8]), up, up, up, layer("ZeroPadding2D", {"padding": 1}),
                     layer("Lambda", {"function": "softmax"})], [None, 4, 1, 8]),
    "ConfigError", L + "[2]", "2^26", ["UpSampling2D", "1048576"],
    note="the second UpSampling2D makes (None, 4, 2^40, 8); before the fix the Lambda overflowed the heap")

# Reshape, Lambda, Activation (misc: layers[1] .. layers[3])
misc = misc_seq()
k("reshape_target_zero.model.json", misc, 1, "target_shape", [0, 6], "positive integers or -1", "[0,6]")
k("reshape_target_two_unknown.model.json", misc, 1, "target_shape", [-1, -1], "one `-1`", "(-1, -1)")
k("reshape_target_not_list.model.json", misc, 1, "target_shape", "2x3", "list of at most 16 integers", '"2x3"')
k("reshape_target_size_mismatch.model.json", misc, 1, "target_shape", [4, 4], "unchanged",
  ["input_shape=(6,)", "target_shape=(4, 4)"], where=L + "[1]")
k("reshape_target_huge.model.json", misc, 1, "target_shape", [4611686018427387904, 2], "positive integers or -1",
  "4611686018427387904")
k("lambda_function_unregistered.model.json", misc, 2, "function",
  {"module": "builtins", "class_name": "function", "config": "my_custom_fn", "registered_name": "function"},
  "Registered functions", '"my_custom_fn"')
k("lambda_python_bytecode_keras3.model.json", misc, 2, "function",
  {"class_name": "__lambda__", "config": {"code": "4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAfABkARQAUwApAk7pAgAAAKkAKQHaAXhyAgAAAHICAAAA+h48aXB5dGhvbi1pbnB1dC0xLWVhNjE0YjEwZTlkNj7aCDxsYW1iZGE+AQAAAPMAAAAA",
                                          "defaults": None, "closure": None}},
  "register_lambda", "serialized Python lambda")
add("lambda_python_bytecode_tf_keras.model.json",
    with_(misc, lambda m: cfg(m, 2).update(function=["4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAfABkARQAUwApAk7pAgAAAKkAKQHaAXhyAgAAAHICAAAA", None, None],
                                           function_type="lambda", module="__main__")),
    "ConfigError", L + "[2].config.function", "register_lambda", "serialized Python lambda")
k("lambda_output_shape_bytecode.model.json", with_(misc, set_cfg(2, "output_shape_type", "lambda")), 2,
  "output_shape", ["4wEAAAAAAAAA", None, None], "register_lambda", "serialized Python lambda")
k("lambda_function_number.model.json", misc, 2, "function", 5, "registered function name", "got 5")
k("lambda_function_type_unknown.model.json", misc, 2, "function_type", "closure", '"function" or "lambda"',
  '"closure"')
k("lambda_arguments_list.model.json", misc, 2, "arguments", [1, 2], "an object", "[1,2]")
k("lambda_argument_wrong_type.model.json", misc, 2, "arguments", {"factor": "2"}, "must be a number",
  ['"factor"', '"2"'], where=L + "[2]")
k("lambda_argument_unknown.model.json", misc, 2, "arguments", {"factor": 2, "offset": 1}, "its arguments: factor",
  '"offset"', where=L + "[2]")
k("lambda_output_shape_mismatch.model.json", misc, 2, "output_shape", [7], "(7,)", "(None, 2, 3)", where=L + "[2]")
k("lambda_output_shape_negative.model.json", misc, 2, "output_shape", [-1, 3], "non-negative integers", "[-1,3]")
k("activation_unknown.model.json", misc, 3, "activation", "swishy", "activation", '"swishy"')
add("activation_missing.model.json", with_(misc, del_cfg(3, "activation")), "ConfigError",
    L + "[3].config.activation", "missing", "missing")

# =========================================================================================
# 6. Layer entries and model objects: classes, types, nesting.
# =========================================================================================
add("class_unknown_layer.model.json", with_(mlp, lambda m: m["config"]["layers"][1].update(class_name="Dense3D")),
    "ConfigError", L + "[1].class_name", "XKERAS_REGISTER_LAYER", '"Dense3D"')
add("class_name_missing.model.json", with_(mlp, lambda m: m["config"]["layers"][1].pop("class_name")), "ConfigError",
    L + "[1].class_name", "missing", "missing")
add("class_name_number.model.json", with_(mlp, lambda m: m["config"]["layers"][1].update(class_name=5)),
    "ConfigError", L + "[1].class_name", "a string", "got 5")
add("layer_config_not_object.model.json", with_(mlp, lambda m: m["config"]["layers"][1].update(config=[])),
    "ConfigError", L + "[1].config", "an object", "array")
add("layer_entry_not_object.model.json", with_(mlp, lambda m: m["config"]["layers"].__setitem__(2, 17)),
    "ConfigError", L + "[2]", "a layer object", "got 17")
add("model_top_level_array.model.json", [mlp], "ConfigError", "(top level)", "model object", "[{")
add("model_class_unknown.model.json", with_(mlp, lambda m: m.update(class_name="Transformer")), "ConfigError",
    "class_name", "Sequential, Functional or Model", '"Transformer"')
add("model_class_is_a_layer.model.json", dense("dense", 2), "ConfigError", "class_name", "a model",
    '"Dense"')
add("sequential_layers_not_list.model.json", with_(mlp, lambda m: m["config"].update(layers={"dense": 1})),
    "ConfigError", "config.layers", "a list of layers", '{"dense":1}')
add("sequential_build_input_shape_negative.model.json",
    with_(mlp, lambda m: (m["config"]["layers"].pop(0), m["config"].update(build_input_shape=[None, -4]))),
    "ConfigError", "config.build_input_shape", "non-negative integers", "[null,-4]")
add("sequential_layer_incompatible.model.json",
    with_(mlp, lambda m: m["config"]["layers"].insert(2, flatten("flatten")) or
          m["config"]["layers"].insert(2, max_pool("max_pooling2d"))),
    "ConfigError", L + "[2]", "ndim=4", "ndim=2")

# Models inside models: 40 levels (past the limit of 32), each a valid Sequential.
inner = {"class_name": "Dense", "config": {"units": 2}}
for i in range(40):
    inner = {"class_name": "Sequential", "config": {"name": "s%d" % i, "layers": [inner]}}
add("nesting_40_sequentials.model.json", json.dumps(inner), "ConfigError", "config" + ".layers[0].config" * 32,
    "32 levels", "deeper than")
inner = entry(input_layer("in", [None, 2]))
model33 = {"class_name": "Dense", "config": {"units": 2, "name": "d"}}
for i in range(33):
    model33 = functional("f%d" % i, [entry(input_layer("in%d" % i, [None, 2])),
                                     dict(model33, name="m%d" % i, inbound_nodes=[{"args": [tensor("in%d" % i)], "kwargs": {}}])],
                         ["in%d" % i, 0, 0], ["m%d" % i, 0, 0])
    model33["config"]["layers"][1]["config"]["name"] = "m%d" % i
add("nesting_33_functionals.model.json", json.dumps(model33, separators=(",", ":")), "ConfigError", "config" + ".layers[1].config" * 32,
    "32 levels", "deeper than")

# =========================================================================================
# 7. Functional graphs: keras_history references, inbound_nodes, inputs/outputs, names.
# =========================================================================================
f = func()  # layers: [0] input_layer, [1] a, [2] b, [3] concatenate (merge), [4] out
H3 = L + "[3].inbound_nodes[0].args[0][0].config.keras_history"
H4 = L + "[4].inbound_nodes[0].args[0].config.keras_history"


def hist(i, value, merge=None):
    def fn(m):
        h = history(m, i, merge_index=merge)
        h[:] = value
    return fn


add("graph_history_node_negative.model.json", with_(f, hist(4, ["concatenate", -1, 0])), "ConfigError", H4 + "[1]",
    "an integer in [0,", "got -1")
add("graph_history_node_out_of_range.model.json", with_(f, hist(4, ["concatenate", 5, 0])), "ConfigError", H4,
    "1 call(s)", "node index 5")
add("graph_history_node_2pow64_minus_1.model.json", with_(f, hist(4, ["concatenate", 18446744073709551615, 0])),
    "ConfigError", H4 + "[1]", "an integer in [0,", "18446744073709551615")
add("graph_history_tensor_out_of_range.model.json", with_(f, hist(4, ["concatenate", 0, 3])), "ConfigError", H4,
    "1 output(s)", "tensor index 3")
add("graph_history_dangling.model.json", with_(f, hist(3, ["ghost", 0, 0], merge=0)), "ConfigError", H3 + "[0]",
    "unknown layer", '"ghost"')
add("graph_history_name_number.model.json", with_(f, hist(4, [3, 0, 0])), "ConfigError", H4 + "[0]", "a string",
    "got 3")
add("graph_history_two_values.model.json", with_(f, hist(4, ["concatenate", 0])), "ConfigError", H4,
    "[layer_name, node_index, tensor_index]", '["concatenate",0]')
add("graph_history_not_list.model.json", with_(f, lambda m: history(m, 4).clear() or
                                                m["config"]["layers"][4]["inbound_nodes"][0]["args"][0]["config"].update(keras_history="concatenate")),
    "ConfigError", H4, "[layer_name, node_index, tensor_index]", '"concatenate"')
add("graph_cycle_two_layers.model.json", with_(f, lambda m: history(m, 1).__setitem__(0, "out")), "ConfigError",
    L + "[1].inbound_nodes[0].args[0].config.keras_history", "cycle", ['"out"', '"a"'])
add("graph_cycle_self.model.json", with_(f, hist(4, ["out", 0, 0])), "ConfigError", H4, "cycle", '"out"')
add("graph_inbound_nodes_not_list.model.json",
    with_(f, lambda m: m["config"]["layers"][1].update(inbound_nodes="input_layer")), "ConfigError",
    L + "[1].inbound_nodes", "a list of nodes", '"input_layer"')
add("graph_inbound_nodes_missing.model.json", with_(f, lambda m: m["config"]["layers"][2].pop("inbound_nodes")),
    "ConfigError", L + "[2].inbound_nodes", "missing", "missing")
add("graph_inbound_node_number.model.json", with_(f, lambda m: m["config"]["layers"][1].update(inbound_nodes=[5])),
    "ConfigError", L + "[1].inbound_nodes[0]", "a node", "got 5")
add("graph_inbound_args_empty.model.json",
    with_(f, lambda m: m["config"]["layers"][1]["inbound_nodes"][0].update(args=[])), "ConfigError",
    L + "[1].inbound_nodes[0].args", "non-empty list", "[]")
add("graph_inbound_not_keras_tensor.model.json",
    with_(f, lambda m: m["config"]["layers"][1]["inbound_nodes"][0]["args"][0].update(class_name="Tensor")),
    "ConfigError", L + "[1].inbound_nodes[0].args[0]", "__keras_tensor__", '"class_name":"Tensor"')
add("graph_inbound_kwargs_tensor.model.json",
    with_(f, lambda m: m["config"]["layers"][1]["inbound_nodes"][0].update(kwargs={"initial_state": tensor("input_layer")})),
    "ConfigError", L + "[1].inbound_nodes[0]", "does not take the keyword tensor argument", '"initial_state"')
add("graph_input_layer_with_inbound_nodes.model.json",
    with_(f, lambda m: m["config"]["layers"][0].update(inbound_nodes=m["config"]["layers"][1]["inbound_nodes"])),
    "ConfigError", L + "[0].inbound_nodes", "no inbound nodes", "InputLayer")
add("graph_legacy_node_short.model.json",
    with_(f, lambda m: m["config"]["layers"][1].update(inbound_nodes=[[["input_layer", 0]]])), "ConfigError",
    L + "[1].inbound_nodes[0][0]", "[layer_name, node_index, tensor_index, kwargs]", '["input_layer",0]')
add("graph_input_layers_missing.model.json", with_(f, lambda m: m["config"].pop("input_layers")), "ConfigError",
    "config.input_layers", "missing", "missing")
add("graph_input_layers_dangling.model.json", with_(f, lambda m: m["config"].update(input_layers=["ghost", 0, 0])),
    "ConfigError", "config.input_layers[0]", "unknown layer", '"ghost"')
add("graph_input_layers_not_input.model.json", with_(f, lambda m: m["config"].update(input_layers=["a", 0, 0])),
    "ConfigError", "config.input_layers", "Input", '"a"',
    note="should name the input_layers entry and the layer it points at")
add("graph_output_layers_out_of_range.model.json", with_(f, lambda m: m["config"].update(output_layers=["out", 1, 0])),
    "ConfigError", "config.output_layers[1]", "1 call(s)", "node index 1")
add("graph_output_layers_empty.model.json", with_(f, lambda m: m["config"].update(output_layers=[])), "ConfigError",
    "config.output_layers", "[layer_name, node_index, tensor_index]", "got []")
add("graph_output_layers_dict.model.json",
    with_(f, lambda m: m["config"].update(output_layers={"y": ["out", 0, 0]})), "ConfigError", "config.output_layers",
    "not supported", "dict")
add("graph_layers_not_list.model.json", with_(f, lambda m: m["config"].update(layers="all")), "ConfigError",
    "config.layers", "a list of layers", '"all"')
add("graph_duplicate_entry_name.model.json",
    with_(f, lambda m: (m["config"]["layers"][2].update(name="a"), cfg(m, 2).update(name="a"))), "ConfigError",
    L + "[2].name", "duplicate layer name", ['"a"', L + "[1]"])
add("graph_duplicate_config_name.model.json", with_(f, lambda m: cfg(m, 2).update(name="a")), "ConfigError",
    L + "[2].config.name", "unique", ['"a"', L + "[1]"])
# The case: an entry without config.name takes its entry name, which here equals the other
# layer's config.name (entry names are distinct).
add("graph_nameless_entry_collides.model.json",
    with_(f, lambda m: (cfg(m, 1).pop("name"), m["config"]["layers"][1].update(name="b"),
                        m["config"]["layers"][2].update(name="b_entry"), history(m, 3, merge_index=0).__setitem__(0, "b"),
                        history(m, 3, merge_index=1).__setitem__(0, "b_entry"))),
    "ConfigError", L + "[2].config.name", "unique", ['"b"', L + "[1]"])
add("graph_merge_shape_mismatch.model.json", with_(f, lambda m: (m["config"]["layers"][3].update(class_name="Add"), cfg(m, 2).update(units=5))),
    "ConfigError", L + "[3].inbound_nodes[0]", "incompatible", ["(None, 3)", "(None, 5)"])
add("graph_concat_axis_out_of_range.model.json", with_(f, set_cfg(3, "axis", 5)), "ConfigError",
    L + "[3].inbound_nodes[0]", "out of bounds", ["axis 5", "rank 2"])
add("graph_concat_axis_string.model.json", with_(f, set_cfg(3, "axis", "last")), "ConfigError",
    L + "[3].config.axis", "an integer", '"last"')

# A nested model with a bad reference inside: the path runs through the sub-model.
add("nested_inner_dangling_reference.saved.json",
    with_(nested, lambda d: d["model"]["config"]["layers"][1]["config"]["layers"][1].update(class_name="Dens")),
    "ConfigError", ML + "[1].config.layers[1].class_name", "XKERAS_REGISTER_LAYER", '"Dens"')
add("nested_inner_units_negative.saved.json",
    with_(nested, lambda d: d["model"]["config"]["layers"][2]["config"]["layers"][1]["config"].update(units=-2)),
    "ConfigError", ML + "[2].config.layers[1].config.units", "positive integer", "-2")
add("saved_conv_strides_negative.saved.json",
    with_(cnn, lambda d: d["model"]["config"]["layers"][1]["config"].update(strides=[-1, 1])), "ConfigError",
    ML + "[1].config.strides", "positive integers", "[-1,1]")
add("saved_output_layers_dangling.saved.json",
    with_(cnn, lambda d: d["model"]["config"].update(output_layers=["dense_9", 0, 0])), "ConfigError",
    "model.config.output_layers[0]", "unknown layer", '"dense_9"')

# ---- write ----------------------------------------------------------------------------------
os.makedirs(OUT, exist_ok=True)
for name in os.listdir(OUT):
    os.remove(os.path.join(OUT, name))
expected = {}
for name, (text, e) in CASES.items():
    data = text if isinstance(text, bytes) else text.encode()
    with open(os.path.join(OUT, name), "wb") as fh:
        fh.write(data)
    expected[name] = e
GENERATED = {}
# Special files the test makes at run time in a scratch directory (git cannot hold them, or they are
# too large): the same expectations, keyed by the name the test gives them.
GENERATED = {
    "dev_zero_symlink.saved.json": {"error": "IOError", "where": "{file}", "expected": "regular file",
                                    "found": "character device", "note": "a symlink to /dev/zero"},
    "folder.saved.json": {"error": "IOError", "where": "{file}", "expected": "regular file", "found": "directory"},
    "named_pipe.saved.json": {"error": "IOError", "where": "{file}", "expected": "regular file", "found": "FIFO",
                        "note": "must not block waiting for a writer"},
    "symlink_loop.saved.json": {"error": "IOError", "where": "{file}", "expected": "open",
                                "found": "Too many levels of symbolic links"},
    "missing_file.saved.json": {"error": "IOError", "where": "{file}", "expected": "open",
                                "found": "No such file or directory"},
    "larger_than_limit.saved.json": {"error": "IOError", "where": "{file}", "expected": "4 GiB", "found": "5368709120",
                                    "note": "a sparse file of 5 GiB; should say how large it is"},
    "deep_nesting_1e6.saved.json": {"error": "ConfigError", "where": ["{file}", "at byte 512"],
                                    "expected": "512 levels", "found": "nested deeper than",
                                    "note": "10^6 '[' characters"},
    "deep_nesting_1e6.model.json": {"error": "ConfigError", "where": ["(json text)", "at byte 550"],
                                    "expected": "512 levels", "found": "nested deeper than",
                                    "note": "a model object whose config opens 10^6 '['"},
}

ABOUT = ("What each file of this folder must raise (tests/serialization/test_malformed_corpus.cpp). *.model.json "
         "files go to model_from_json(text), *.saved.json files to load_model(path). Each must throw the xkeras "
         "exception `error` whose message contains `where` (the JSON path of the problem, or {file}: the file's "
         "path), `expected` (words for what was expected) and `found` (what the file holds); each is a string or a "
         "list of strings. `note` explains a case. `generated` lists the files the test makes itself "
         "in a scratch directory (special files, and files too large to commit).")


def dump_entries(entries):
    lines = [" %s: %s" % (json.dumps(n), json.dumps(e)) for n, e in entries.items()]
    return "{\n" + ",\n".join(lines) + "\n }"


with open(os.path.join(OUT, "EXPECTED.json"), "w") as fh:
    fh.write('{\n"about": %s,\n"files": %s,\n"generated": %s\n}\n' %
             (json.dumps(ABOUT), dump_entries(expected), dump_entries(GENERATED)))
total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
print(len(CASES), "files +", len(GENERATED), "generated;", total, "bytes")
