#!/usr/bin/python3
"""Writes the committed fixtures of tests/saving_keras3/fixtures with h5py and zipfile, independently
of xkeras, in Keras 3's layout (keras_reference_layers2.md §13.1):

  h5py_deflated.keras      a Sequential Input(3) -> Dense(2, relu) whose members are deflated and in
                           reverse order; weights known (the test computes the prediction by hand).
  huge_dataset.keras       config Input(65536) -> Dense(65536) and a weights file that declares the
                           kernel's 2^32 values but stores none (chunks never written): ~10 KB.
  huge_dataset.weights.h5  the same weights file alone.
  bfloat16.weights.h5      the weights of h5py_deflated.keras stored as Keras 3 stores bfloat16: the raw
                           16 bits as uint16 with the attribute dtype="bfloat16" (kernel exact in bf16; bias
                           0.1, -0.2 become 0.099609375, -0.19921875).
  big_declared.keras       Input(40000) -> Dense(40000) declaring 1.6e9 values (under the reader's 2^31
                           limit per dataset), none stored.

Run: /usr/bin/python3 tools/make_keras3_fixtures.py  (from the repository root)
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "saving_keras3", "fixtures")
DTYPE = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def dense_entry(name, units, activation, in_dim):
    return {"module": "keras.layers", "class_name": "Dense",
            "config": {"name": name, "trainable": True, "dtype": DTYPE, "units": units, "activation": activation,
                       "use_bias": True,
                       "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                                              "config": {"seed": None}, "registered_name": None},
                       "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                                            "registered_name": None},
                       "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
                       "bias_constraint": None},
            "registered_name": None, "build_config": {"input_shape": [None, in_dim]}}


def sequential(name, in_dim, layers):
    return {"module": "keras", "class_name": "Sequential",
            "config": {"name": name, "trainable": True, "dtype": DTYPE,
                       "layers": [{"module": "keras.layers", "class_name": "InputLayer",
                                   "config": {"batch_shape": [None, in_dim], "dtype": "float32", "sparse": False,
                                              "name": "input_layer"}, "registered_name": None}] + layers,
                       "build_input_shape": [None, in_dim]},
            "registered_name": None, "build_config": {"input_shape": [None, in_dim]}}


def weights_image(fill):
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        fill(f)
    return buf.getvalue()


def small(f):
    f.create_group("vars").attrs["name"] = "seq"
    f.create_group("layers/input_layer/vars").attrs["name"] = "input_layer"
    g = f.create_group("layers/dense/vars")
    g.attrs["name"] = "dense"
    g["0"] = np.array([[0.5, -1.0], [0.25, 2.0], [-0.75, 0.125]], dtype="<f4")
    g["1"] = np.array([0.1, -0.2], dtype="<f4")


def bfloat16(f):
    small(f)
    g = f["layers/dense/vars"]
    for k in ("0", "1"):
        bits = (g[k][()].astype("<f4").view("<u4") >> 16).astype("<u2")
        del g[k]
        g[k] = bits
        g[k].attrs["dtype"] = "bfloat16"


def declared(n):
    def fill(f):
        f.create_group("vars").attrs["name"] = "seq"
        g = f.create_group("layers/dense/vars")
        g.attrs["name"] = "dense"
        g.create_dataset("0", shape=(n, n), dtype="<f4", chunks=(250, 256))  # declared, never written
        g.create_dataset("1", shape=(n,), dtype="<f4", chunks=(4000,))
    return fill


def write_zip(path, members, compression):
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for name, data in members:  # a fixed date: the fixtures are byte-for-byte reproducible
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, compress_type=compression)


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = json.dumps({"keras_version": "3.10.0", "date_saved": "2026-01-01@00:00:00"})
    config = json.dumps(sequential("seq", 3, [dense_entry("dense", 2, "relu", 3)]))
    write_zip(os.path.join(OUT, "h5py_deflated.keras"),
              [("model.weights.h5", weights_image(small)), ("config.json", config), ("metadata.json", meta)],
              zipfile.ZIP_DEFLATED)
    with open(os.path.join(OUT, "bfloat16.weights.h5"), "wb") as out:
        out.write(weights_image(bfloat16))
    for name, n in (("huge_dataset", 65536), ("big_declared", 40000)):
        image = weights_image(declared(n))
        config = json.dumps(sequential("seq", n, [dense_entry("dense", n, "linear", n)]))
        write_zip(os.path.join(OUT, name + ".keras"),
                  [("metadata.json", meta), ("config.json", config), ("model.weights.h5", image)], zipfile.ZIP_STORED)
        if name == "huge_dataset":
            with open(os.path.join(OUT, name + ".weights.h5"), "wb") as out:
                out.write(image)


if __name__ == "__main__":
    main()
