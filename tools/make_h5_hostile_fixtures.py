#!/usr/bin/python3
"""Writes tests/data/h5_hostile/: small HDF5 files, made with h5py, that try what a hostile file can do
to an HDF5 reader: declare more data than they store, keep data in other files, link elsewhere, hold
types that are not numbers. tests/saving_io/test_h5_hostile.cpp expects each to be refused cleanly.
Run: /usr/bin/python3 tools/make_h5_hostile_fixtures.py (h5py from Debian's python3-h5py)."""
import os
import h5py
import numpy as np

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "h5_hostile")
os.makedirs(out, exist_ok=True)


def new(name):
    return h5py.File(os.path.join(out, name), "w", libver="earliest")


# A chunked dataset declaring 2^28 float32 values (1 GiB) of which none is stored (reads would give
# fill values), and one declaring more values (2^32) than any weight xkeras reads.
with new("huge_unstored.h5") as f:
    f.create_dataset("vars/0", shape=(16384, 16384), dtype="float32", chunks=(64, 64))
    f.create_dataset("vars/1", shape=(65536, 65536), dtype="float32", chunks=(64, 64))
# The same, compressed: declares 1 GiB, stores a few kilobytes.
with new("huge_compressed.h5") as f:
    d = f.create_dataset("vars/0", shape=(16384, 16384), dtype="float32", chunks=(1024, 1024), compression="gzip")
    d[0:1024, 0:1024] = np.zeros((1024, 1024), "float32")
# Values kept in another file on disk.
with new("external_storage.h5") as f:
    f.create_dataset("vars/0", shape=(4,), dtype="float32", external=[("/etc/hostname", 0, 16)])
# Links that leave the file or point by name.
with new("links.h5") as f:
    f.create_group("vars")
    f["vars/0"] = h5py.ExternalLink("/etc/other.h5", "/data")
    f.create_dataset("real", data=np.arange(4, dtype="float32"))
    f["vars/1"] = h5py.SoftLink("/real")
# Types that are not numbers, and a string where a number is expected.
with new("wrong_types.h5") as f:
    f.create_dataset("vars/0", data=np.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f4")]))
    f.create_dataset("vars/1", data=np.array([b"abc", b"de"]))
    f.attrs["layer_names"] = np.array([1, 2, 3], dtype="int32")
    f.attrs["model_config"] = np.float64(3.5)
print("wrote", sorted(os.listdir(out)))
