#!/usr/bin/python3
"""Writes the small legacy-.h5 fixtures of tests/saving_h5 (tests/data/h5/) with h5py, laid out as
tf.keras / Keras 1 / Keras 3 write them (keras_reference_layers2.md §13.2), and expected.json: for each
model fixture an input and the output computed here independently with numpy (float64 on the float32
values the files store).

Run from the repository root:  /usr/bin/python3 tools/make_h5_fixtures.py
"""
import json
import os
import sys

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "h5")
rng = np.random.RandomState(12)
expected = {}


def arr(*shape, scale=0.5):
    return (rng.uniform(-scale, scale, size=shape)).astype(np.float32)


def hard_sigmoid(x):  # Keras 1/2's
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def dense_layer(name, units, activation="linear", input_shape=None):
    c = {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
         "use_bias": True, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
         "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None,
         "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
    if input_shape is not None:
        c["batch_input_shape"] = [None] + list(input_shape)
    return {"class_name": "Dense", "config": c}


def input_layer(name, shape):
    return {"class_name": "InputLayer", "config": {"batch_input_shape": [None] + list(shape), "dtype": "float32",
                                                   "sparse": False, "ragged": False, "name": name}}


def bn_layer(name):
    return {"class_name": "BatchNormalization", "config": {
        "name": name, "trainable": True, "dtype": "float32", "axis": -1, "momentum": 0.99, "epsilon": 0.001,
        "center": True, "scale": True, "beta_initializer": {"class_name": "Zeros", "config": {}},
        "gamma_initializer": {"class_name": "Ones", "config": {}},
        "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
        "moving_variance_initializer": {"class_name": "Ones", "config": {}}, "beta_regularizer": None,
        "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None}}


def sequential(name, layers):
    return {"class_name": "Sequential", "config": {"name": name, "layers": layers}}


def vlen_str():
    return h5py.string_dtype("utf-8")


def set_str(obj, key, value, vlen):
    """A scalar string attribute: vlen (h5py's str) or fixed-length (bytes, as tf.keras writes JSON)."""
    if vlen:
        obj.attrs.create(key, value, dtype=vlen_str())
    else:
        obj.attrs[key] = np.bytes_(value.encode("utf-8"))


def set_names(obj, key, names, vlen):
    if not names:
        obj.attrs[key] = np.array([], dtype=np.float64)  # what numpy makes of [] (tf.keras's empty weight_names)
    elif vlen:
        obj.attrs.create(key, names, dtype=vlen_str())
    else:
        obj.attrs[key] = np.array([n.encode("utf-8") for n in names])


def write_layers(root, layers, vlen=False, chunk=None):
    """layers: [(layer name, [(weight name, array), ...])]; chunk: split the lists in that many chunks."""
    names = [n for n, _ in layers]
    if chunk:
        for i, part in enumerate(np.array_split(np.array([n.encode() for n in names]), chunk)):
            root.attrs["layer_names%d" % i] = part
    else:
        set_names(root, "layer_names", names, vlen)
    for lname, weights in layers:
        g = root.create_group(lname)
        wnames = [w for w, _ in weights]
        if chunk and len(wnames) >= chunk:
            for i, part in enumerate(np.array_split(np.array([w.encode() for w in wnames]), chunk)):
                g.attrs["weight_names%d" % i] = part
        else:
            set_names(g, "weight_names", wnames, vlen)
        for wname, value in weights:
            g.create_dataset(wname, data=value)


def full_model(path, config, layers, version="2.4.0", vlen=False, chunk=None, training_config=None, backend=True,
               optimizer=None):
    with h5py.File(os.path.join(OUT, path), "w") as f:
        set_str(f, "keras_version", version, True)
        if backend:
            set_str(f, "backend", "tensorflow", True)
        set_str(f, "model_config", config if isinstance(config, str) else json.dumps(config), vlen)
        if training_config is not None:
            set_str(f, "training_config", json.dumps(training_config), vlen)
        mw = f.create_group("model_weights")
        write_layers(mw, layers, vlen, chunk)
        if version[0] != "1":
            set_str(mw, "keras_version", version, True)
            if backend:
                set_str(mw, "backend", "tensorflow", True)
        if optimizer:  # [(name, array)] as save_optimizer_weights_to_hdf5_group writes them
            og = f.create_group("optimizer_weights")
            set_names(og, "weight_names", [n for n, _ in optimizer], vlen)
            for n, v in optimizer:
                og.create_dataset(n, data=v)


def weights_only(path, layers, version="2.2.4"):
    with h5py.File(os.path.join(OUT, path), "w") as f:
        write_layers(f, layers)
        set_str(f, "keras_version", version, True)
        set_str(f, "backend", "tensorflow", True)


def record(name, x, y):
    expected[name] = {"input": x.astype(np.float64).tolist(), "input_shape": list(x.shape),
                      "output": np.asarray(y, dtype=np.float64).ravel().tolist(), "output_shape": list(np.shape(y))}


# ---- 1. Dense MLP, tf.keras 2.4 layout: fixed-length JSON, fixed-length name lists, compiled --------
k0, b0, k1, b1 = arr(3, 4), arr(4), arr(4, 2), arr(2)
mlp = sequential("sequential", [input_layer("dense_input", [3]), dense_layer("dense", 4, "relu", [3]),
                                dense_layer("dense_1", 2, "linear")])
mlp_layers = [("dense", [("dense/kernel:0", k0), ("dense/bias:0", b0)]),
              ("dense_1", [("dense_1/kernel:0", k1), ("dense_1/bias:0", b1)])]
train = {"loss": "mse", "metrics": [[{"class_name": "MeanMetricWrapper",
                                      "config": {"name": "mae", "dtype": "float32", "fn": "mean_absolute_error"}}]],
         "weighted_metrics": None, "loss_weights": None,
         "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.0025, "decay": 0.0,
                                                                "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
                                                                "amsgrad": False}}}
# Adam's state as tf.keras 2.2-2.10 (OptimizerV2) names it: iterations, then every m, then every v.
slots = {(w, s): arr(*v.shape) for _, ws in mlp_layers for w, v in ws for s in "mv"}
v2 = [("Adam/iter:0", np.int64(7))] + [("Adam/%s/%s:0" % (w[:-2], s), slots[(w, s)])
                                      for s in "mv" for _, ws in mlp_layers for w, _ in ws]
full_model("mlp_fixed.h5", mlp, mlp_layers, training_config=train, optimizer=v2)
# The same state as tf.keras 2.11+ names it ("iteration:0", "Adam/m/dense/kernel:0"), vlen strings.
new = [("iteration:0", np.int64(7))] + [("Adam/%s/%s" % (s, w), slots[(w, s)])
                                        for _, ws in mlp_layers for w, _ in ws for s in "mv"]
full_model("mlp_newopt.h5", mlp, mlp_layers, version="2.13.1", vlen=True, training_config=train, optimizer=new)
expected["mlp_optimizer"] = {"iterations": 7, "momentum dense/kernel": slots[("dense/kernel:0", "m")].astype(np.float64).ravel().tolist(),
                             "velocity dense_1/bias": slots[("dense_1/bias:0", "v")].astype(np.float64).ravel().tolist()}
x = arr(2, 3, scale=1.0)
y = np.maximum(x.astype(np.float64) @ k0 + b0, 0) @ k1 + b1
record("mlp", x, y)

# ---- 2. the same model, every string variable-length (tf.keras 2.13 / Keras 3), Keras 3 weight paths ----
full_model("mlp_vlen.h5", mlp, [("dense", [("sequential/dense/kernel", k0), ("sequential/dense/bias", b0)]),
                                ("dense_1", [("sequential/dense_1/kernel", k1), ("sequential/dense_1/bias", b1)])],
           vlen=True, training_config={"loss": "mse", "optimizer_config": {"class_name": "NoSuchOptimizer", "config": {}}})

# ---- 3. chunked layer_names / weight_names (layer_names0, layer_names1, ...) --------------------------
full_model("mlp_chunked.h5", mlp, [("dropout", []), ("dense", mlp_layers[0][1]), ("dense_1", mlp_layers[1][1])],
           chunk=2)

# ---- 4. Keras 1.2.2: LSTM (12 per-gate arrays) -> GRU (9 per-gate arrays) -> Dense(W, b) ------------
T, D, U, G = 4, 2, 3, 2
lstm_w = {g: (arr(D, U), arr(U, U), arr(U)) for g in "icfo"}
gru_w = {g: (arr(U, G), arr(G, G), arr(G)) for g in "zrh"}
dW, db = arr(G, 1), arr(1)
keras1 = {"class_name": "Sequential", "config": [
    {"class_name": "LSTM", "config": {"inner_activation": "hard_sigmoid", "trainable": True, "inner_init": "orthogonal",
                                      "output_dim": U, "unroll": False, "consume_less": "cpu", "init": "glorot_uniform",
                                      "dropout_U": 0.0, "input_dtype": "float32", "batch_input_shape": [None, T, D],
                                      "input_length": None, "dropout_W": 0.0, "activation": "tanh", "stateful": False,
                                      "b_regularizer": None, "U_regularizer": None, "name": "lstm_1",
                                      "go_backwards": False, "input_dim": D, "return_sequences": True,
                                      "W_regularizer": None, "forget_bias_init": "one"}},
    {"class_name": "GRU", "config": {"inner_activation": "hard_sigmoid", "trainable": True, "inner_init": "orthogonal",
                                     "output_dim": G, "unroll": False, "consume_less": "cpu", "init": "glorot_uniform",
                                     "dropout_U": 0.0, "input_dim": U, "dropout_W": 0.0, "activation": "tanh",
                                     "stateful": False, "b_regularizer": None, "U_regularizer": None, "name": "gru_1",
                                     "go_backwards": False, "return_sequences": False, "W_regularizer": None}},
    {"class_name": "Dense", "config": {"W_constraint": None, "b_constraint": None, "name": "dense_1",
                                       "activity_regularizer": None, "trainable": True, "init": "glorot_uniform",
                                       "bias": True, "input_dim": G, "b_regularizer": None, "W_regularizer": None,
                                       "activation": "linear", "output_dim": 1}}]}
lstm_arrays = []
for g in "icfo":  # Keras 1's order: i, c, f, o; each W, U, b
    lstm_arrays += [("lstm_1_W_%s:0" % g, lstm_w[g][0]), ("lstm_1_U_%s:0" % g, lstm_w[g][1]),
                    ("lstm_1_b_%s:0" % g, lstm_w[g][2])]
gru_arrays = []
for g in "zrh":
    gru_arrays += [("gru_1_W_%s:0" % g, gru_w[g][0]), ("gru_1_U_%s:0" % g, gru_w[g][1]), ("gru_1_b_%s:0" % g, gru_w[g][2])]
full_model("keras1_lstm_gru.h5", keras1,
           [("lstm_1", lstm_arrays), ("gru_1", gru_arrays), ("dense_1", [("dense_1_W:0", dW), ("dense_1_b:0", db)])],
           version="1.2.2", backend=False,
           training_config={"metrics": None, "loss": "mse", "loss_weights": None, "sample_weight_mode": None,
                            "optimizer_config": {"class_name": "RMSprop",
                                                 "config": {"epsilon": 1e-08, "lr": 0.001, "rho": 0.9, "decay": 0.0}}})


def keras1_forward(x):
    out = []
    for s in range(x.shape[0]):
        h, c, hs = np.zeros(U), np.zeros(U), []
        for t in range(T):
            xt = x[s, t].astype(np.float64)
            gate = {g: xt @ lstm_w[g][0] + h @ lstm_w[g][1] + lstm_w[g][2] for g in "icfo"}
            i, f, o = hard_sigmoid(gate["i"]), hard_sigmoid(gate["f"]), hard_sigmoid(gate["o"])
            c = f * c + i * np.tanh(gate["c"])
            h = o * np.tanh(c)
            hs.append(h)
        hg = np.zeros(G)
        for t in range(T):
            xt = hs[t]
            z = hard_sigmoid(xt @ gru_w["z"][0] + hg @ gru_w["z"][1] + gru_w["z"][2])
            r = hard_sigmoid(xt @ gru_w["r"][0] + hg @ gru_w["r"][1] + gru_w["r"][2])
            hh = np.tanh(xt @ gru_w["h"][0] + (r * hg) @ gru_w["h"][1] + gru_w["h"][2])
            hg = z * hg + (1 - z) * hh
        out.append(hg @ dW + db)
    return np.array(out)


x = arr(2, T, D, scale=1.0)
record("keras1_lstm_gru", x, keras1_forward(x))

# ---- 4b. Keras 1.2.2 Convolution1D: kernel (length, 1, input_dim, filters) and the older
# (filters, input_dim, length, 1); both become (length, input_dim, filters). Then Flatten -> Dense.
L, C, F = 5, 2, 3
cW, cb = arr(2, C, F), arr(F)  # the Keras 2 kernel (length, input_dim, filters)
fW, fb = arr((L - 1) * F, 1), arr(1)


def keras1_conv_model(name):
    return {"class_name": "Sequential", "config": [
        {"class_name": "Convolution1D", "config": {
            "name": name, "nb_filter": F, "filter_length": 2, "init": "glorot_uniform", "activation": "relu",
            "border_mode": "valid", "subsample_length": 1, "W_regularizer": None, "b_regularizer": None,
            "activity_regularizer": None, "W_constraint": None, "b_constraint": None, "bias": True, "input_dim": C,
            "input_length": L, "batch_input_shape": [None, L, C], "input_dtype": "float32", "trainable": True}},
        {"class_name": "Flatten", "config": {"name": "flatten_1", "trainable": True}},
        {"class_name": "Dense", "config": {"name": "dense_1", "output_dim": 1, "init": "glorot_uniform",
                                           "activation": "linear", "W_regularizer": None, "b_regularizer": None,
                                           "activity_regularizer": None, "W_constraint": None, "b_constraint": None,
                                           "bias": True, "input_dim": (L - 1) * F, "trainable": True}}]}


for fname, kernel in [("keras1_conv1d.h5", cW[:, None, :, :]),                      # (length, 1, in, filters)
                      ("keras1_conv1d_old.h5", np.transpose(cW, (2, 1, 0))[..., None])]:  # (filters, in, length, 1)
    full_model(fname, keras1_conv_model("convolution1d_1"),
               [("convolution1d_1", [("convolution1d_1_W:0", np.ascontiguousarray(kernel)),
                                     ("convolution1d_1_b:0", cb)]),
                ("dense_1", [("dense_1_W:0", fW), ("dense_1_b:0", fb)])], version="1.2.2", backend=False)
x = arr(2, L, C, scale=1.0)
conv = np.stack([np.stack([sum(x[s, t + j].astype(np.float64) @ cW[j] for j in range(2)) + cb for t in range(L - 1)])
                 for s in range(2)])
record("keras1_conv1d", x, np.maximum(conv, 0).reshape(2, -1) @ fW + fb)

# ---- 5. nested: Sequential[Sequential[Dense, BN, Dense, BN], Dense] (tf.keras 2.4) -------------------
nk0, nb0, nk1, nb1 = arr(3, 4), arr(4), arr(4, 2), arr(2)
bn = [(1 + arr(4, scale=0.3), arr(4), arr(4), 0.5 + rng.uniform(0, 1, 4).astype(np.float32)),
      (1 + arr(2, scale=0.3), arr(2), arr(2), 0.5 + rng.uniform(0, 1, 2).astype(np.float32))]
ok, ob = arr(2, 1), arr(1)
inner = sequential("inner", [input_layer("inner_input", [3]), dense_layer("d0", 4, "relu", [3]), bn_layer("bn0"),
                             dense_layer("d1", 2, "tanh"), bn_layer("bn1")])
outer = sequential("outer", [input_layer("outer_input", [3]), inner, dense_layer("head", 1, "linear")])
# _legacy_weights(inner) = trainable_weights + non_trainable_weights: gammas/betas before the moving stats.
inner_arrays = [("d0/kernel:0", nk0), ("d0/bias:0", nb0), ("bn0/gamma:0", bn[0][0]), ("bn0/beta:0", bn[0][1]),
                ("d1/kernel:0", nk1), ("d1/bias:0", nb1), ("bn1/gamma:0", bn[1][0]), ("bn1/beta:0", bn[1][1]),
                ("bn0/moving_mean:0", bn[0][2]), ("bn0/moving_variance:0", bn[0][3]),
                ("bn1/moving_mean:0", bn[1][2]), ("bn1/moving_variance:0", bn[1][3])]
full_model("nested.h5", outer, [("inner", inner_arrays), ("head", [("head/kernel:0", ok), ("head/bias:0", ob)])])


def bn_apply(v, p):
    g, b, m, var = (q.astype(np.float64) for q in p)
    return g * (v - m) / np.sqrt(var + 1e-3) + b


x = arr(2, 3, scale=1.0)
h = bn_apply(np.maximum(x.astype(np.float64) @ nk0 + nb0, 0), bn[0])
h = bn_apply(np.tanh(h @ nk1 + nb1), bn[1])
record("nested", x, h @ ok + ob)

# ---- 5b. tf.keras 2.4: Bidirectional(LSTM, return_sequences) -> TimeDistributed(Dense(1)); one GRU file whose
# bias (3u,) says reset_after=False while its config says True.
BT, BD, BU = 3, 2, 2


def lstm_config(name, units, return_sequences):
    return {"name": name, "trainable": True, "dtype": "float32", "return_sequences": return_sequences,
            "return_state": False, "go_backwards": False, "stateful": False, "unroll": False, "time_major": False,
            "units": units, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0, "seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}}, "unit_forget_bias": True,
            "kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
            "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2}


bi_model = sequential("sequential", [
    input_layer("bidirectional_input", [BT, BD]),
    {"class_name": "Bidirectional", "config": {"name": "bidirectional", "trainable": True, "dtype": "float32",
                                               "layer": {"class_name": "LSTM", "config": lstm_config("lstm", BU, True)},
                                               "merge_mode": "concat", "batch_input_shape": [None, BT, BD]}},
    {"class_name": "TimeDistributed", "config": {"name": "time_distributed", "trainable": True, "dtype": "float32",
                                                 "layer": dense_layer("dense", 1)}}])
fwd = (arr(BD, 4 * BU), arr(BU, 4 * BU), arr(4 * BU))
bwd = (arr(BD, 4 * BU), arr(BU, 4 * BU), arr(4 * BU))
td_k, td_b = arr(2 * BU, 1), arr(1)
full_model("bidirectional_td.h5", bi_model, [
    ("bidirectional", [("bidirectional/forward_lstm/lstm_cell_1/kernel:0", fwd[0]),
                       ("bidirectional/forward_lstm/lstm_cell_1/recurrent_kernel:0", fwd[1]),
                       ("bidirectional/forward_lstm/lstm_cell_1/bias:0", fwd[2]),
                       ("bidirectional/backward_lstm/lstm_cell_2/kernel:0", bwd[0]),
                       ("bidirectional/backward_lstm/lstm_cell_2/recurrent_kernel:0", bwd[1]),
                       ("bidirectional/backward_lstm/lstm_cell_2/bias:0", bwd[2])]),
    ("time_distributed", [("time_distributed/kernel:0", td_k), ("time_distributed/bias:0", td_b)])])


def lstm_seq(xs, w):
    """tf.keras LSTM, gates [i | f | c | o], sigmoid recurrent activation: the output at every step."""
    h, c, out = np.zeros(BU), np.zeros(BU), []
    for xt in xs:
        z = xt.astype(np.float64) @ w[0] + h @ w[1] + w[2]
        i, f, g, o = sigmoid(z[:BU]), sigmoid(z[BU:2 * BU]), np.tanh(z[2 * BU:3 * BU]), sigmoid(z[3 * BU:])
        c = f * c + i * g
        h = o * np.tanh(c)
        out.append(h)
    return np.array(out)


x = arr(2, BT, BD, scale=1.0)
ys = []
for s_ in range(2):
    f_ = lstm_seq(x[s_], fwd)
    b_ = lstm_seq(x[s_][::-1], bwd)[::-1]  # run backwards, flipped back to time order
    ys.append(np.concatenate([f_, b_], axis=1) @ td_k + td_b)
record("bidirectional_td", x, np.array(ys))

gru_cfg = dict(lstm_config("gru", 2, False))
gru_cfg.pop("unit_forget_bias")
gru_cfg["reset_after"] = True
full_model("bad_gru_reset_after.h5", sequential("sequential", [
    input_layer("gru_input", [3, 2]), {"class_name": "GRU", "config": gru_cfg}]),
    [("gru", [("gru/gru_cell/kernel:0", arr(2, 6)), ("gru/gru_cell/recurrent_kernel:0", arr(2, 6)),
              ("gru/gru_cell/bias:0", arr(6))])])

# ---- 6. save_weights files (layer_names at the root) ----------------------------------------------
# Names in another order than the model's, plus a layer the model does not have: only by_name fits.
wa_k, wa_b, wb_k, wb_b = arr(2, 3), arr(3), arr(3, 2), arr(2)
weights_only("by_name.h5", [("second", [("second/kernel:0", wb_k), ("second/bias:0", wb_b)]),
                            ("extra", [("extra/kernel:0", arr(5, 5))]),
                            ("first", [("first/kernel:0", wa_k), ("first/bias:0", wa_b)])])
# The same values under other names, in the model's order: loads by topology.
weights_only("by_topology.h5", [("dense_7", [("dense_7/kernel:0", wa_k), ("dense_7/bias:0", wa_b)]),
                                ("dropout_2", []),
                                ("dense_8", [("dense_8/kernel:0", wb_k), ("dense_8/bias:0", wb_b)])])
x = arr(2, 2, scale=1.0)
record("two_dense", x, np.maximum(x.astype(np.float64) @ wa_k + wa_b, 0) @ wb_k + wb_b)

# ---- 7. hostile files: each must fail with a ConfigError naming the path ---------------------------
small = sequential("sequential", [input_layer("dense_input", [3]), dense_layer("dense", 2, "linear", [3])])
good = [("dense", [("dense/kernel:0", arr(3, 2)), ("dense/bias:0", arr(2))])]
with h5py.File(os.path.join(OUT, "bad_no_model_config.h5"), "w") as f:
    set_str(f, "keras_version", "2.4.0", True)
    write_layers(f.create_group("model_weights"), good)
full_model("bad_config_not_json.h5", "{\"class_name\": \"Sequential\", \"config\": [", good)
with h5py.File(os.path.join(OUT, "bad_config_not_string.h5"), "w") as f:
    f.attrs["model_config"] = np.arange(4, dtype=np.int32)
    write_layers(f.create_group("model_weights"), good)
full_model("bad_weight_count.h5", small, [("dense", [("dense/kernel:0", arr(3, 2))])])
full_model("bad_weight_shape.h5", small, [("dense", [("dense/kernel:0", arr(4, 2)), ("dense/bias:0", arr(2))])])
with h5py.File(os.path.join(OUT, "bad_missing_group.h5"), "w") as f:
    set_str(f, "keras_version", "2.4.0", True)
    set_str(f, "model_config", json.dumps(small), False)
    mw = f.create_group("model_weights")
    write_layers(mw, good)
    mw.attrs["layer_names"] = np.array([b"dense", b"ghost"])
with h5py.File(os.path.join(OUT, "bad_names_not_strings.h5"), "w") as f:
    set_str(f, "keras_version", "2.4.0", True)
    set_str(f, "model_config", json.dumps(small), False)
    mw = f.create_group("model_weights")
    write_layers(mw, good)
    mw["dense"].attrs["weight_names"] = np.array([1.5, 2.5])
with h5py.File(os.path.join(OUT, "bad_version_not_string.h5"), "w") as f:
    f.attrs["keras_version"] = np.int64(2)
    set_str(f, "model_config", json.dumps(small), False)
    write_layers(f.create_group("model_weights"), good)
# A dataset that declares 2^30 float32 values (4 GiB) and stores none, in a layer that wants that shape.
N = 32768
huge = sequential("sequential", [input_layer("dense_input", [N]), dense_layer("dense", N, "linear", [N])])
with h5py.File(os.path.join(OUT, "bad_huge_dataset.h5"), "w") as f:
    set_str(f, "keras_version", "2.4.0", True)
    set_str(f, "model_config", json.dumps(huge), False)
    mw = f.create_group("model_weights")
    set_names(mw, "layer_names", ["dense"], False)
    g = mw.create_group("dense")
    set_names(g, "weight_names", ["dense/kernel:0", "dense/bias:0"], False)
    g.create_dataset("dense/kernel:0", shape=(N, N), dtype=np.float32)  # never written: no storage
    g.create_dataset("dense/bias:0", shape=(N,), dtype=np.float32)

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", sorted(os.listdir(OUT)), file=sys.stderr)
