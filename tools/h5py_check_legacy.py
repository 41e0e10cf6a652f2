#!/usr/bin/python3
"""Checks a legacy .h5 that xkeras wrote (Model.save("m.h5")) with h5py, independently of xkeras:

  h5py_check_legacy.py WRITTEN.h5 [--xkeras-json MODEL.json] [--against ORIGINAL.h5]

* structure (keras_reference_layers2.md §13.2, tf.keras's save_model_to_hdf5): root attributes
  keras_version, backend (strings), model_config (JSON {"class_name", "config"}), training_config (JSON,
  optional); optimizer_weights (optional: "iteration:0" then the slots, each listed name a dataset); group model_weights with layer_names (whole or chunked name0, name1, ...), backend,
  keras_version; one group per listed layer with weight_names, each naming a float32 dataset; every listed
  layer is a layer of model_config; no string list attribute over 64512 bytes.
* --xkeras-json: the same model saved by xkeras as its own JSON file (base64 float32 weights keyed by
  path "<layer>/..."): each layer's arrays must equal those weights bit for bit, in order.
* --against: the Keras file the model was loaded from: layers with weights paired in order, arrays in
  order, shapes equal and values bit for bit (weights whose names match are reported).
Prints what it checked; exits 1 with the reasons on any difference.
"""
import argparse
import base64
import json
import sys

import h5py
import numpy as np

LIMIT = 64512
problems = []


def problem(msg):
    problems.append(msg)


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def string_attr(obj, key):
    if key not in obj.attrs:
        problem("%s: missing attribute %s" % (obj.name, key))
        return None
    v = obj.attrs[key]
    if isinstance(v, np.ndarray):
        problem("%s attribute %s: expected a scalar string, got an array" % (obj.name, key))
        return None
    return text(v)


def name_list(obj, key):
    """tf.keras's load_attributes_from_hdf5_group, checking each stored piece's size."""
    keys = [key] if key in obj.attrs else []
    i = 0
    if not keys:
        while "%s%d" % (key, i) in obj.attrs:
            keys.append("%s%d" % (key, i))
            i += 1
    out = []
    for k in keys:
        v = obj.attrs[k]
        if v.size and v.dtype.kind == "S" and v.nbytes > LIMIT:
            problem("%s attribute %s: %d bytes, over tf.keras's %d" % (obj.name, k, v.nbytes, LIMIT))
        if v.size and v.dtype.kind not in "SOU":
            problem("%s attribute %s: expected strings, got %s" % (obj.name, k, v.dtype))
        out += [text(x) for x in v]
    return out


def config_layer_names(cfg):
    layers = cfg.get("config", {}).get("layers", []) if isinstance(cfg.get("config"), dict) else cfg.get("config", [])
    return {l.get("config", {}).get("name") for l in layers}


def layer_arrays(group, names):
    out = []
    for n in names:
        if n not in group or not isinstance(group[n], h5py.Dataset):
            problem("%s: weight_names lists %s, which is not a dataset" % (group.name, n))
            continue
        d = group[n]
        if d.dtype != np.dtype("<f4"):
            problem("%s: dtype %s, expected little-endian float32" % (d.name, d.dtype))
        out.append((n, d[()]))
    return out


def read_layers(f):
    mw = f["model_weights"] if "model_weights" in f else f
    result = []
    for lname in name_list(mw, "layer_names"):
        if lname not in mw:
            problem("%s: layer_names lists %s, which has no group" % (mw.name, lname))
            continue
        result.append((lname, layer_arrays(mw[lname], name_list(mw[lname], "weight_names"))))
    return mw, result


def check_structure(f):
    for key in ("keras_version", "backend"):
        string_attr(f, key)
    cfg_text = string_attr(f, "model_config")
    cfg = json.loads(cfg_text) if cfg_text else {}
    if not isinstance(cfg, dict) or "class_name" not in cfg or "config" not in cfg:
        problem("model_config: expected {class_name, config}")
    if "training_config" in f.attrs:
        tc = json.loads(string_attr(f, "training_config") or "{}")
        if "optimizer_config" not in tc or "loss" not in tc:
            problem("training_config: expected optimizer_config and loss")
    if "optimizer_weights" in f:
        og = f["optimizer_weights"]
        names = name_list(og, "weight_names")
        if not names or names[0] != "iteration:0" or og["iteration:0"].dtype != np.dtype("<i8") or og["iteration:0"].shape:
            problem("optimizer_weights: expected the int64 scalar iteration:0 first (tf.keras 2.11+)")
        for n in names:
            if n not in og or not isinstance(og[n], h5py.Dataset):
                problem("optimizer_weights lists %s, which is not a dataset" % n)
        print("optimizer_weights: %d arrays" % len(names))
    if "model_weights" not in f:
        problem("no group model_weights")
        return []
    mw, layers = read_layers(f)
    for key in ("keras_version", "backend"):
        string_attr(mw, key)
    known = config_layer_names(cfg) if isinstance(cfg, dict) else set()
    for lname, _ in layers:
        if lname not in known:
            problem("layer_names lists %s, which is not a layer of model_config" % lname)
    return layers


def bits_equal(a, b):
    a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def check_xkeras_json(layers, path):
    doc = json.load(open(path))
    weights = [(w["path"], np.frombuffer(base64.b64decode(w["data"]), "<f4").reshape(w["shape"]))
               for w in doc["weights"]]
    n = 0
    for lname, arrays in layers:
        mine = [v for p, v in weights if p.split("/")[0] == lname]
        if len(mine) != len(arrays):
            problem("%s: %d arrays in the .h5, %d weights in xkeras's JSON" % (lname, len(arrays), len(mine)))
            continue
        for (name, a), b in zip(arrays, mine):
            n += 1
            if not bits_equal(a, b):
                problem("%s/%s differs from xkeras's weight" % (lname, name))
    print("xkeras JSON: %d arrays compared bit for bit" % n)


def check_against(layers, original):
    with h5py.File(original, "r") as g:
        _, theirs = read_layers(g)
    mine = [l for l in layers if l[1]]
    theirs = [l for l in theirs if l[1]]
    if len(mine) != len(theirs):
        problem("%d layers with weights written, %d in %s" % (len(mine), len(theirs), original))
        return
    n = same_name = 0
    for (lname, arrays), (oname, oarrays) in zip(mine, theirs):
        if len(arrays) != len(oarrays):
            problem("%s: %d arrays written, %d in the original's %s" % (lname, len(arrays), len(oarrays), oname))
            continue
        for (name, a), (oname_w, b) in zip(arrays, oarrays):
            n += 1
            same_name += name == oname_w
            if not bits_equal(a, b):
                problem("%s/%s differs from the original's %s/%s" % (lname, name, oname, oname_w))
    print("against %s: %d arrays compared bit for bit (%d with the same name)" % (original, n, same_name))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("written")
    ap.add_argument("--xkeras-json")
    ap.add_argument("--against")
    args = ap.parse_args()
    with h5py.File(args.written, "r") as f:
        layers = check_structure(f)
    print("%s: %d layers, %d arrays" % (args.written, len(layers), sum(len(a) for _, a in layers)))
    if args.xkeras_json:
        check_xkeras_json(layers, args.xkeras_json)
    if args.against:
        check_against(layers, args.against)
    for p in problems:
        print("PROBLEM:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
