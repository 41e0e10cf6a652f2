#!/usr/bin/python3
"""Independent check of the Keras files xkeras writes, with h5py and numpy (no xkeras code).

    /usr/bin/python3 tools/h5py_check.py DIR [DIR ...]

Every "<name>.expect.json" in a DIR is a sidecar a Catch test wrote next to the files it saved for
one model. It states in xkeras's own terms what must be in them: "config" (the model's Keras 3
config), "weights" ({"<layer name>/<weight name>": {"shape", "data": base64 float32 LE}}) and,
for a compiled model, "optimizer" (iterations, learning_rate, name, class_name, slot_names,
trainable = the trainable weights in order, variables = {"<layer>/<weight>": {"<slot>": array}}).
This script derives from the config where Keras puts each weight (keras_reference_layers2.md §13)
and checks the structure and every value, bit for bit.

Extending: each file suffix has a checker in CHECKERS; a checker gets (path, expect) and returns
the list of problems. To check another format next to its sidecar (e.g. a legacy ".h5"), write
check_<format>(path, expect) and add its suffix to CHECKERS. The exit status is 1 if any file has a
problem, or if a DIR holds no sidecar at all (a writer that wrote nothing must not pass).
"""
import base64
import io
import json
import os
import re
import sys
import zipfile

import h5py  # a missing h5py must fail the test, never skip it
import numpy as np


# ---- what Keras 3 writes where (saving_lib._save_state / _save_container_state) ------------------

def snake_case(name):
    """Keras's naming.to_snake_case."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def join(base, name):
    return name if not base else base + "/" + name


def own_weight_names(cls, cfg):
    """A layer's own variables in Keras's order (trainable, then non-trainable)."""
    bias = ["bias"] if cfg.get("use_bias", True) else []
    if cls in ("Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
               "DepthwiseConv1D", "DepthwiseConv2D"):
        return ["kernel"] + bias
    if cls in ("SeparableConv1D", "SeparableConv2D"):
        return ["depthwise_kernel", "pointwise_kernel"] + bias
    if cls == "Embedding":
        return ["embeddings"]
    if cls in ("BatchNormalization", "LayerNormalization"):
        names = (["gamma"] if cfg.get("scale", True) else []) + (["beta"] if cfg.get("center", True) else [])
        return names + (["moving_mean", "moving_variance"] if cls == "BatchNormalization" else [])
    if cls == "PReLU":
        return ["alpha"]
    return []


class Entry:
    def __init__(self, path, name, weights):
        self.path, self.name, self.weights = path, name, weights  # weights: "<layer>/<weight>" keys


def walk_layer(obj, path, out):
    cls, cfg = obj["class_name"], obj["config"]
    name = cfg["name"]
    if cls in ("Sequential", "Functional", "Model"):
        out.append(Entry(path, name, []))
        layers = cfg["layers"]
        if cls == "Sequential":  # Sequential.layers leaves the InputLayer out; Functional keeps it
            layers = [l for l in layers if l["class_name"] != "InputLayer"]
        used = {}
        for layer in layers:
            n = snake_case(layer["class_name"])
            if n in used:
                used[n] += 1
                n = "%s_%d" % (n, used[n])
            else:
                used[n] = 0
            walk_layer(layer, join(join(path, "layers"), n), out)
    elif cls in ("SimpleRNN", "LSTM", "GRU"):
        out.append(Entry(path, name, []))
        weights = ["kernel", "recurrent_kernel"] + (["bias"] if cfg.get("use_bias", True) else [])
        out.append(Entry(join(path, "cell"), snake_case(cls) + "_cell", [name + "/" + w for w in weights]))
    elif cls == "Bidirectional":
        out.append(Entry(path, name, []))
        walk_layer(cfg["layer"], join(path, "forward_layer"), out)
        walk_layer(cfg["backward_layer"], join(path, "backward_layer"), out)
    elif cls == "TimeDistributed":
        out.append(Entry(path, name, []))
        walk_layer(cfg["layer"], join(path, "layer"), out)
    elif cls == "MultiHeadAttention":
        out.append(Entry(path, name, []))
        for part, attr in (("query", "query_dense"), ("key", "key_dense"), ("value", "value_dense"),
                           ("attention_output", "output_dense")):
            weights = ["kernel"] + (["bias"] if cfg.get("use_bias", True) else [])
            out.append(Entry(join(path, attr), part, ["%s/%s/%s" % (name, part, w) for w in weights]))
    else:
        out.append(Entry(path, name, [name + "/" + w for w in own_weight_names(cls, cfg)]))


def keras3_entries(config):
    out = []
    walk_layer(config, "", out)
    return out


def optimizer_order(opt):
    """(weight key, slot) of optimizer/vars/2... : Adam's momentum and velocity interleaved per weight,
    every other slot as a block (base_optimizer.add_optimizer_variables)."""
    slots = opt["slot_names"]
    blocks = [[0, 1]] + [[s] for s in range(2, len(slots))] if opt["class_name"] == "Adam" and len(slots) >= 2 \
        else [[s] for s in range(len(slots))]
    return [(w, slots[s]) for block in blocks for w in opt["trainable"] for s in block]


# ---- comparisons -------------------------------------------------------------------------------

def decode(arr):
    data = np.frombuffer(base64.b64decode(arr["data"]), dtype="<f4")
    return data.reshape(arr["shape"])


def same_bits(a, b):
    return a.shape == b.shape and a.astype("<f4").tobytes() == b.astype("<f4").tobytes()


def check_weights_file(f, expect, where):
    problems = []
    seen = set()

    def vars_group(path):
        p = join(path, "vars")
        return f[p] if p in f and isinstance(f[p], h5py.Group) else None

    for e in keras3_entries(expect["config"]):
        g = vars_group(e.path)
        gp = "/" + join(e.path, "vars")
        if g is None:
            problems.append("%s: missing group %s" % (where, gp))
            continue
        if g.attrs.get("name") != e.name:
            problems.append("%s: %s has name attribute %r, expected %r" % (where, gp, g.attrs.get("name"), e.name))
        names = sorted(g.keys(), key=lambda k: (len(k), k))
        if names != [str(i) for i in range(len(e.weights))]:
            problems.append("%s: %s holds %s, expected datasets 0..%d for %s" % (where, gp, names, len(e.weights) - 1,
                                                                              e.weights))
            continue
        for i, key in enumerate(e.weights):
            d = g[str(i)]
            seen.add(d.name)
            if d.dtype != np.dtype("<f4"):
                problems.append("%s: %s/%d has dtype %s, expected little-endian float32" % (where, gp, i, d.dtype))
            if key not in expect["weights"]:
                problems.append("%s: %s/%d should hold %s, which the sidecar does not list" % (where, gp, i, key))
            elif not same_bits(d[()], decode(expect["weights"][key])):
                problems.append("%s: %s/%d differs from %s" % (where, gp, i, key))
    if "optimizer" in expect:
        problems += check_optimizer(f, expect["optimizer"], where, seen)
    f.visititems(lambda n, o: problems.append("%s: unexpected dataset /%s" % (where, n))
                 if isinstance(o, h5py.Dataset) and o.name not in seen else None)
    return problems


def check_optimizer(f, opt, where, seen):
    if "optimizer/vars" not in f:
        return ["%s: a compiled model without /optimizer/vars" % where]
    g = f["optimizer/vars"]
    problems = []
    if g.attrs.get("name") != opt["name"]:
        problems.append("%s: /optimizer/vars has name %r, expected %r" % (where, g.attrs.get("name"), opt["name"]))
    order = optimizer_order(opt)
    if sorted(g.keys(), key=int) != [str(i) for i in range(2 + len(order))]:
        return problems + ["%s: /optimizer/vars holds %d datasets, expected %d" % (where, len(g), 2 + len(order))]
    for d in g.values():
        seen.add(d.name)
    if g["0"].dtype != np.dtype("<i8") or g["0"].shape != () or int(g["0"][()]) != opt["iterations"]:
        problems.append("%s: /optimizer/vars/0 is %s %s %r, expected int64 scalar %d" % (
            where, g["0"].dtype, g["0"].shape, g["0"][()], opt["iterations"]))
    lr = np.array(opt["learning_rate"], dtype="<f4")
    if g["1"].dtype != np.dtype("<f4") or g["1"].shape != () or not same_bits(g["1"][()], lr):
        problems.append("%s: /optimizer/vars/1 is %r, expected float32 scalar %r" % (where, g["1"][()], lr))
    for i, (key, slot) in enumerate(order):
        d = g[str(2 + i)]
        state = opt["variables"].get(key, {}).get(slot)
        want = decode(state) if state is not None else None  # a slot not made yet is written as zeros
        if d.dtype != np.dtype("<f4"):
            problems.append("%s: /optimizer/vars/%d has dtype %s" % (where, 2 + i, d.dtype))
        elif want is None:
            if np.any(d[()] != 0):
                problems.append("%s: /optimizer/vars/%d (%s of %s) should be zeros" % (where, 2 + i, slot, key))
        elif not same_bits(d[()], want):
            problems.append("%s: /optimizer/vars/%d differs from slot %s of %s" % (where, 2 + i, slot, key))
    return problems


def check_weights_h5(path, expect):
    with h5py.File(path, "r") as f:
        return check_weights_file(f, expect, path)


def check_keras(path, expect):
    problems = []
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        names = [i.filename for i in infos]
        if names != ["metadata.json", "config.json", "model.weights.h5"]:
            problems.append("%s: members %s, expected metadata.json, config.json, model.weights.h5" % (path, names))
        for i in infos:
            if i.compress_type != zipfile.ZIP_STORED:
                problems.append("%s: member %s is compressed (type %d); Keras stores them" % (path, i.filename,
                                                                                          i.compress_type))
        meta = json.loads(z.read("metadata.json"))
        if sorted(meta) != ["date_saved", "keras_version"]:
            problems.append("%s: metadata.json keys %s" % (path, sorted(meta)))
        if not str(meta.get("keras_version", "")).startswith("3."):
            problems.append("%s: keras_version %r is not a Keras 3 version" % (path, meta.get("keras_version")))
        if not re.fullmatch(r"\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d", str(meta.get("date_saved", ""))):
            problems.append("%s: date_saved %r is not YYYY-MM-DD@HH:MM:SS" % (path, meta.get("date_saved")))
        config = json.loads(z.read("config.json"))
        if config != expect["config"]:
            problems.append("%s: config.json differs from the model's to_json()" % path)
        with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
            problems += check_weights_file(f, expect, path + ":model.weights.h5")
    return problems


CHECKERS = {".keras": check_keras, ".weights.h5": check_weights_h5}


def main(dirs):
    failures, files = [], 0
    for d in dirs:
        sidecars = sorted(n for n in os.listdir(d) if n.endswith(".expect.json"))
        if not sidecars:
            failures.append("%s: no .expect.json sidecar (did the writer test run?)" % d)
        for s in sidecars:
            stem = s[: -len(".expect.json")]
            with open(os.path.join(d, s)) as fh:
                expect = json.load(fh)
            for suffix, check in CHECKERS.items():
                path = os.path.join(d, stem + suffix)
                if os.path.exists(path):
                    files += 1
                    try:
                        failures += check(path, expect)
                    except Exception as e:  # a file h5py cannot read is a failure with its reason
                        failures.append("%s: %s: %s" % (path, type(e).__name__, e))
    for p in failures:
        print("FAIL", p)
    print("h5py_check: %d file(s) checked, %d problem(s)" % (files, len(failures)))
    return 1 if failures or files == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
