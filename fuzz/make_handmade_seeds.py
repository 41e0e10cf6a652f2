#!/usr/bin/python3
"""Hand-made seeds for the HDF5 and ZIP fuzz targets (fuzz/README.md), written with h5py and zipfile,
i.e. by the libraries Keras itself writes with, never by xkeras: legacy .h5 files in the layouts
tf.keras, Keras 2 and Keras 1 wrote, Keras 3 .weights.h5 and .keras archives, and hostile variants
(huge declared shapes, external and virtual storage, links that loop, wrong types, compressed and
ZIP64 members, path traversal names). The valid ones match fuzz_models.hpp's weights_model_dense
(Input(4) -> Dense(3, relu) -> Dense(2), layers "dense" and "dense_1").

    /usr/bin/python3 fuzz/make_handmade_seeds.py        # rewrites fuzz/corpus/{h5,keras_archive,weights_h5}/handmade/

Deterministic: h5py's track_times=False, fixed ZIP dates; every file a few KB at most."""
import io
import json
import os
import shutil
import sys
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = {t: os.path.join(HERE, "corpus", t, "handmade") for t in ("h5", "keras_archive", "weights_h5")}
DATE = (2024, 1, 1, 0, 0, 0)

KERNEL0 = (np.arange(12, dtype=np.float32).reshape(4, 3) - 5.5) / 8
BIAS0 = np.array([0.1, -0.2, 0.3], np.float32)
KERNEL1 = (np.arange(6, dtype=np.float32).reshape(3, 2) - 2.5) / 4
BIAS1 = np.array([0.05, -0.05], np.float32)


def tf_keras_config():
    dense = lambda name, units, act, extra=None: {
        "class_name": "Dense",
        "config": dict({"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": act,
                        "use_bias": True, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
                        "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None,
                        "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
                        "bias_constraint": None}, **(extra or {}))}
    return {"class_name": "Sequential", "config": {"name": "fuzz_dense", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32", "sparse": False,
                                                "ragged": False, "name": "input_1"}},
        dense("dense", 3, "relu"), dense("dense_1", 2, "linear")]}}


def keras3_config():
    def dense(name, units, act):
        return {"module": "keras.layers", "class_name": "Dense", "config": {
            "name": name, "trainable": True, "dtype": {"module": "keras", "class_name": "DTypePolicy",
                                                       "config": {"name": "float32"}, "registered_name": None},
            "units": units, "activation": act, "use_bias": True,
            "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                                   "config": {"seed": None}, "registered_name": None},
            "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                                 "registered_name": None},
            "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None},
            "registered_name": None, "build_config": {"input_shape": [None, 4 if name == "dense" else 3]}}
    return {"module": "keras", "class_name": "Sequential", "config": {
        "name": "fuzz_dense", "trainable": True, "dtype": {"module": "keras", "class_name": "DTypePolicy",
                                                            "config": {"name": "float32"}, "registered_name": None},
        "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {
            "batch_shape": [None, 4], "dtype": "float32", "sparse": False, "name": "input_layer"}, "registered_name": None},
            dense("dense", 3, "relu"), dense("dense_1", 2, "linear")],
        "build_input_shape": [None, 4]}, "registered_name": None, "build_config": {"input_shape": [None, 4]}}


def h5_bytes(fill, **kw):
    """An HDF5 image built by fill(f) in memory."""
    bio = io.BytesIO()
    with h5py.File(bio, "w", track_order=kw.get("track_order", False)) as f:
        fill(f)
    return bio.getvalue()


def ds(g, name, data, **kw):
    return g.create_dataset(name, data=data, track_times=False, **kw)


def legacy_weights(g, names_dtype=None, colon=True, compress=False):
    """tf.keras's model_weights/<layer>/<layer>/kernel:0 layout under group g."""
    suffix = ":0" if colon else ""
    enc = (lambda xs: np.array([x.encode() for x in xs], dtype=names_dtype)) if names_dtype else (lambda xs: [x.encode() for x in xs])
    g.attrs["layer_names"] = enc(["input_1", "dense", "dense_1"]) if not compress else enc(["dense", "dense_1"])
    g.attrs["backend"] = "tensorflow"
    g.attrs["keras_version"] = "2.15.0"
    g.create_group("input_1").attrs["weight_names"] = np.array([], dtype="S1")
    for layer, k, b in (("dense", KERNEL0, BIAS0), ("dense_1", KERNEL1, BIAS1)):
        lg = g.create_group(layer)
        lg.attrs["weight_names"] = enc([f"{layer}/kernel{suffix}", f"{layer}/bias{suffix}"])
        ds(lg, f"{layer}/kernel{suffix}", k, **(dict(chunks=(1, 2), compression="gzip", shuffle=True) if compress else {}))
        ds(lg, f"{layer}/bias{suffix}", b)


def legacy_full(f, config=None, training=True):
    f.attrs["backend"] = "tensorflow"
    f.attrs["keras_version"] = "2.15.0"
    f.attrs["model_config"] = (config if config is not None else json.dumps(tf_keras_config())).encode() \
        if not isinstance(config, (int, list)) else config
    if training:
        f.attrs["training_config"] = json.dumps({"loss": "mse", "metrics": None, "weighted_metrics": None,
                                                 "loss_weights": None, "optimizer_config": {
                                                     "class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.001}}}).encode()
    legacy_weights(f.create_group("model_weights"))


def keras3_weights(f, with_name=True, optimizer=True):
    for layer, k, b in (("dense", KERNEL0, BIAS0), ("dense_1", KERNEL1, BIAS1)):
        v = f.create_group(f"layers/{layer}/vars")
        if with_name:
            v.attrs["name"] = layer
        ds(v, "0", k)
        ds(v, "1", b)
    top = f.create_group("vars")
    if optimizer:
        o = f.create_group("optimizer/vars")
        ds(o, "0", np.int64(3))
        ds(o, "1", np.float32(0.001))
        for i, a in enumerate((KERNEL0, KERNEL0, BIAS0, BIAS0, KERNEL1, KERNEL1, BIAS1, BIAS1)):
            ds(o, str(i + 2), np.full_like(a, 0.01 * (i + 1)))
    return top


def h5_seeds():
    s = {}
    s["legacy_tf_keras_full.h5"] = h5_bytes(legacy_full)
    s["legacy_no_training_config.h5"] = h5_bytes(lambda f: legacy_full(f, training=False))
    s["legacy_weights_only_vlen.h5"] = h5_bytes(lambda f: legacy_weights(f))
    s["legacy_weights_only_fixed.h5"] = h5_bytes(lambda f: legacy_weights(f, names_dtype="S16"))
    s["legacy_keras3_names.h5"] = h5_bytes(lambda f: legacy_weights(f, colon=False))
    s["legacy_chunked_gzip.h5"] = h5_bytes(lambda f: legacy_weights(f, compress=True))

    def split_names(f):  # layer_names0/1 as Keras writes attributes over 64 KB (here forced small)
        legacy_weights(f)
        del f.attrs["layer_names"]
        f.attrs["layer_names0"] = np.array([b"input_1", b"dense"])
        f.attrs["layer_names1"] = np.array([b"dense_1"])
    s["legacy_split_layer_names.h5"] = h5_bytes(split_names)

    def keras1(f):  # Keras 1.2: no backend, dense_1_W / dense_1_b
        f.attrs["keras_version"] = "1.2.2"
        f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": [
            {"class_name": "Dense", "config": {"name": "dense_1", "output_dim": 3, "input_dim": 4, "activation": "relu",
                                               "batch_input_shape": [None, 4], "init": "glorot_uniform", "bias": True}},
            {"class_name": "Dense", "config": {"name": "dense_2", "output_dim": 2, "activation": "linear",
                                               "init": "glorot_uniform", "bias": True}}]}).encode()
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = [b"dense_1", b"dense_2"]
        for layer, k, b in (("dense_1", KERNEL0, BIAS0), ("dense_2", KERNEL1, BIAS1)):
            lg = g.create_group(layer)
            lg.attrs["weight_names"] = [f"{layer}_W:0".encode(), f"{layer}_b:0".encode()]
            ds(lg, f"{layer}_W:0", k)
            ds(lg, f"{layer}_b:0", b)
    s["legacy_keras1.h5"] = h5_bytes(keras1)
    s["keras3_weights.h5"] = h5_bytes(lambda f: keras3_weights(f))

    # ---- hostile
    s["hostile_model_config_not_json.h5"] = h5_bytes(lambda f: legacy_full(f, config="{\"class_name\": \"Seq"))
    s["hostile_model_config_int.h5"] = h5_bytes(lambda f: legacy_full(f, config=12))
    s["hostile_model_config_list.h5"] = h5_bytes(lambda f: legacy_full(f, config=[b"a", b"b"]))

    def huge_shape(f):  # declared 2^31 x 2^31 floats, no chunk written
        legacy_weights(f)
        g = f["dense"]
        del g["dense/kernel:0"]
        g.create_dataset("dense/kernel:0", shape=(2**31, 2**31), dtype="f4", chunks=(1, 1024), track_times=False)
    s["hostile_huge_unallocated.h5"] = h5_bytes(huge_shape)

    def wrong_types(f):
        legacy_weights(f)
        g = f["dense_1"]
        del g["dense_1/kernel:0"], g["dense_1/bias:0"]
        ds(g, "dense_1/kernel:0", np.array([[b"ab", b"cd"]] * 3))  # strings
        ds(g, "dense_1/bias:0", np.array([1, 2], np.int8))
        f["dense"]["dense"]["kernel:0"].attrs["dtype"] = "bfloat16"
    s["hostile_wrong_types.h5"] = h5_bytes(wrong_types)

    def float_widths(f):
        legacy_weights(f)
        g = f["dense"]
        del g["dense/kernel:0"], g["dense/bias:0"]
        ds(g, "dense/kernel:0", KERNEL0.astype(np.float16))
        ds(g, "dense/bias:0", BIAS0.astype(np.float64))
    s["legacy_float16_float64.h5"] = h5_bytes(float_widths)

    def external_link(f):
        legacy_weights(f)
        g = f["dense"]
        del g["dense/kernel:0"]
        g["dense/kernel:0"] = h5py.ExternalLink("/etc/passwd", "/x")
    s["hostile_external_link.h5"] = h5_bytes(external_link)

    def soft_loop(f):
        legacy_weights(f)
        f["dense"]["dense"]["loop"] = h5py.SoftLink("/dense/dense/loop")
        f["dense"]["dense_1"] = h5py.SoftLink("/dense")  # a group linking to its parent
    s["hostile_soft_links.h5"] = h5_bytes(soft_loop)

    def hard_cycle(f):
        legacy_weights(f)
        f["dense"]["dense"]["up"] = f["dense"]  # a hard link cycle
    s["hostile_hard_cycle.h5"] = h5_bytes(hard_cycle)

    def external_storage(f):
        legacy_weights(f)
        g = f["dense"]
        del g["dense/bias:0"]
        g.create_dataset("dense/bias:0", shape=(3,), dtype="f4", external=[("/etc/hostname", 0, 12)], track_times=False)
    s["hostile_external_storage.h5"] = h5_bytes(external_storage)

    def virtual(f):
        legacy_weights(f)
        g = f["dense"]
        del g["dense/bias:0"]
        layout = h5py.VirtualLayout(shape=(3,), dtype="f4")
        layout[:] = h5py.VirtualSource("/etc/other.h5", "data", shape=(3,))
        g.create_virtual_dataset("dense/bias:0", layout, fillvalue=0)
    s["hostile_virtual_dataset.h5"] = h5_bytes(virtual)

    def missing(f):
        legacy_weights(f)
        f["dense"].attrs["weight_names"] = [b"dense/kernel:0", b"dense/nothing:0", b"../../x"]
        f.attrs["layer_names"] = [b"dense", b"absent", b""]
    s["hostile_missing_names.h5"] = h5_bytes(missing)

    def dataset_for_group(f):
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(tf_keras_config()).encode()
        ds(f, "model_weights", np.zeros(4, np.float32))
    s["hostile_dataset_for_group.h5"] = h5_bytes(dataset_for_group)

    def scalar_shapes(f):
        legacy_weights(f)
        g = f["dense"]
        del g["dense/kernel:0"]
        ds(g, "dense/kernel:0", np.float32(1.5))
        g2 = f["dense_1"]
        del g2["dense_1/bias:0"]
        g2.create_dataset("dense_1/bias:0", shape=(0,), dtype="f4", track_times=False)
    s["hostile_scalar_and_empty.h5"] = h5_bytes(scalar_shapes)
    return s


def weights_h5_seeds():
    s = {}
    s["keras3_dense.weights.h5"] = h5_bytes(lambda f: keras3_weights(f))
    s["keras3_no_name_attr.weights.h5"] = h5_bytes(lambda f: keras3_weights(f, with_name=False, optimizer=False))

    def lstm_cell(f):  # layers/lstm/cell/vars as Keras 3 writes recurrent layers; an empty layers/lstm/vars
        f.create_group("layers/embedding/vars")
        ds(f["layers/embedding/vars"], "0", np.linspace(-1, 1, 40, dtype=np.float32).reshape(10, 4))
        f.create_group("layers/lstm/vars").attrs["name"] = "lstm"
        c = f.create_group("layers/lstm/cell/vars")
        ds(c, "0", np.linspace(-1, 1, 48, dtype=np.float32).reshape(4, 12))
        ds(c, "1", np.linspace(-1, 1, 36, dtype=np.float32).reshape(3, 12))
        ds(c, "2", np.linspace(-1, 1, 12, dtype=np.float32))
        d = f.create_group("layers/dense/vars")
        ds(d, "0", np.ones((3, 1), np.float32))
        ds(d, "1", np.zeros(1, np.float32))
        f.create_group("vars")
    s["keras3_lstm_cell.weights.h5"] = h5_bytes(lstm_cell)

    def bf16(f):
        keras3_weights(f, optimizer=False)
        v = f["layers/dense/vars"]
        del v["0"]
        d = ds(v, "0", (KERNEL0.view(np.uint32) >> 16).astype(np.uint16))
        d.attrs["dtype"] = "bfloat16"
    s["keras3_bfloat16.weights.h5"] = h5_bytes(bf16)

    def tf_213(f):  # tf.keras 2.13-2.15 .keras weights: _layer_checkpoint_dependencies
        for layer, k, b in (("dense", KERNEL0, BIAS0), ("dense_1", KERNEL1, BIAS1)):
            v = f.create_group(f"_layer_checkpoint_dependencies/{layer}/vars")
            ds(v, "0", k)
            ds(v, "1", b)
    s["tf_keras_213_checkpoint_dependencies.weights.h5"] = h5_bytes(tf_213)

    def hostile(f):
        keras3_weights(f)
        v = f["layers/dense/vars"]
        ds(v, "2", np.zeros(3, np.float32))  # one variable too many
        ds(v, "-1", np.zeros(3, np.float32))
        ds(v, "99999999999999999999", np.zeros(1, np.float32))
        del f["layers/dense_1/vars/0"]
        f["layers/dense_1"].create_group("vars/0")  # a group where a dataset belongs
        del f["optimizer/vars/0"]
        ds(f["optimizer/vars"], "0", np.array([b"three"]))
    s["hostile_keras3_names.weights.h5"] = h5_bytes(hostile)

    def huge(f):
        keras3_weights(f, optimizer=False)
        v = f["layers/dense/vars"]
        del v["0"]
        v.create_dataset("0", shape=(2**40, 4), dtype="f4", chunks=(1, 4), track_times=False)
    s["hostile_huge_declared.weights.h5"] = h5_bytes(huge)
    return s


def zip_bytes(members, compression=zipfile.ZIP_STORED, force_zip64=False):
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", compression) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = compression
            with z.open(info, "w", force_zip64=force_zip64) as m:
                m.write(data)
    return bio.getvalue()


def archive_seeds():
    meta = json.dumps({"keras_version": "3.8.0", "date_saved": "2024-01-01@00:00:00"}).encode()
    config = json.dumps(keras3_config()).encode()
    weights = h5_bytes(lambda f: keras3_weights(f, optimizer=False))
    good = [("metadata.json", meta), ("config.json", config), ("model.weights.h5", weights)]
    s = {}
    s["keras3_stored.keras"] = zip_bytes(good)
    s["keras3_deflated.keras"] = zip_bytes(good, zipfile.ZIP_DEFLATED)
    s["keras3_zip64.keras"] = zip_bytes(good, force_zip64=True)
    s["keras3_reordered.keras"] = zip_bytes([good[2], good[0], good[1], ("assets/readme.txt", b"x")])
    s["hostile_no_weights.keras"] = zip_bytes(good[:2])
    s["hostile_no_config.keras"] = zip_bytes([good[0], good[2]])
    s["hostile_config_not_json.keras"] = zip_bytes([good[0], ("config.json", b"{\"class_name\": [1,"), good[2]])
    s["hostile_weights_garbage.keras"] = zip_bytes([good[0], good[1], ("model.weights.h5", b"\x89HDF\r\n\x1a\n" + b"\0" * 64)])
    s["hostile_weights_is_zip.keras"] = zip_bytes([good[0], good[1], ("model.weights.h5", zip_bytes(good))])
    s["hostile_duplicate_members.keras"] = zip_bytes([good[0], good[1], ("config.json", b"{}"), good[2]])
    s["hostile_traversal_names.keras"] = zip_bytes([("../metadata.json", meta), ("/config.json", config),
                                                    ("model.weights.h5/", b""), good[2]])
    s["hostile_inflates_to_4mb.keras"] = zip_bytes([good[0], ("config.json", b" " * (4 << 20)), good[2]], zipfile.ZIP_DEFLATED)
    s["hostile_bzip2.keras"] = zip_bytes(good, zipfile.ZIP_BZIP2)
    return s


def main():
    for target, seeds in (("h5", h5_seeds()), ("weights_h5", weights_h5_seeds()), ("keras_archive", archive_seeds())):
        shutil.rmtree(OUT[target], ignore_errors=True)
        os.makedirs(OUT[target])
        for name, data in sorted(seeds.items()):
            with open(os.path.join(OUT[target], name), "wb") as f:
                f.write(data)
        print(f"make_handmade_seeds: {len(seeds)} files in {os.path.relpath(OUT[target])}, "
              f"largest {max(len(d) for d in seeds.values())} bytes")


if __name__ == "__main__":
    sys.exit(main())
