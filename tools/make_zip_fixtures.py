#!/usr/bin/python3
"""Writes tests/data/zip/deflated.zip with Python's zipfile (ZIP_DEFLATED), which Keras's own archives
never are but a user's re-zipped .keras can be. Run: /usr/bin/python3 tools/make_zip_fixtures.py"""
import os
import zipfile

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "zip")
os.makedirs(out, exist_ok=True)
with zipfile.ZipFile(os.path.join(out, "deflated.zip"), "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("config.json", '{"class_name": "Sequential"}')
    z.writestr("metadata.json", '{"keras_version": "3.8.0", "date_saved": "2025-01-01@00:00:00"}')
    z.writestr("model.weights.h5", "".join("abc"[i % 3] for i in range(100000)))
