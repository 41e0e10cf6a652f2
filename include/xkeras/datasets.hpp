// Datasets read from local files (nothing is downloaded). Fashion-MNIST comes from Debian's
// dataset-fashion-mnist package: /usr/share/datasets/fashion-mnist/*-idx?-ubyte.gz; text corpora
// from folders of text files, e.g. Debian's fortunes package: /usr/share/games/fortunes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "xkeras/data.hpp"
#include "xkeras/options.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::datasets {

/// One split: x of shape (N, 28, 28) with the raw pixel values 0..255 as float32 (Keras's
/// load_data gives uint8; divide by 255 as Keras users do), y of shape (N,) with labels 0..9.
struct Split {
  Tensor x;
  Tensor y;
};

namespace fashion_mnist {

/// $XKERAS_FASHION_MNIST_DIR if set, else /usr/share/datasets/fashion-mnist.
std::string default_dir();

/// (train, test), as Keras's fashion_mnist.load_data(). `limit` keeps the first n samples of each
/// split. Throws IOError naming the file when a file is missing, truncated or not IDX.
std::pair<Split, Split> load_data(const std::string& dir = default_dir(), std::optional<std::size_t> limit = {});

}  // namespace fashion_mnist

/// Reads one gzip'd (or plain) IDX file: unsigned-byte data of rank 1..4. The shape is returned
/// as stored; `limit` keeps the first items. Exposed for tests and other IDX datasets (MNIST has the
/// same layout). Before allocating, the header is checked against the file: IOError when the file
/// is not a regular file, cannot hold what its header declares, or when more than 2^28 bytes
/// (a 1 GiB float tensor) would be read in one call (read larger datasets in parts with `limit`).
Tensor read_idx(const std::string& path, std::optional<std::size_t> limit = {});

// ---- MNIST-style IDX folders ----

/// The images and labels files of one split of an IDX folder.
struct IdxFiles {
  std::string images;
  std::string labels;
};

/// `<dir>/<split>-images-idx3-ubyte` and `<dir>/<split>-labels-idx1-ubyte`, each with ".gz" or without
/// (also the "images.idx3-ubyte" spelling); split is "train" or "t10k". IOError naming what was looked for.
IdxFiles idx_files(const std::string& dir, const std::string& split);

/// (train, test) of ANY MNIST-style folder (MNIST, Fashion-MNIST, Kuzushiji-MNIST, ...): images (N, dims...)
/// as float32 0..255 and labels (N,), as Keras's mnist.load_data(). `limit` keeps the first n of each split.
/// IOError naming the file when one is missing, not IDX, truncated, or its labels do not match its images.
std::pair<Split, Split> load_idx_dir(const std::string& dir, std::optional<std::size_t> limit = {});

/// A Dataset streaming the records of IDX files lazily, larger-than-memory: each element holds record i of
/// every file (float32 0..255, shape = the file's dims after the first; a label file gives 0-d tensors).
/// The headers are read now (IOError when one is not IDX, or the files' record counts differ); each pass
/// reopens the files and decodes one record per file at a time, so memory stays bounded by the record
/// size. A record cut short by the end of the file is an IOError naming the file and the record.
data::Dataset idx_dataset(const std::vector<std::string>& paths);
/// {image, label} elements: idx_dataset({images_path, labels_path}).
data::Dataset idx_dataset(const std::string& images_path, const std::string& labels_path);

// ---- Text corpora ----

/// One file of a text folder: its name within the folder and its bytes.
struct TextFile {
  std::string name;
  std::string text;
};

struct TextFolderOptions {
  /// Files whose name ends with one of these are skipped (fortune's ".dat" indexes, ...).
  XKERAS_OPTION(std::vector<std::string>, skip_suffixes)
  /// The most bytes read in all, checked against the files' sizes before reading (2^28 = 256 MiB).
  XKERAS_OPTION(std::size_t, max_bytes, std::size_t(1) << 28)
};

/// Reads the regular files directly in `dir` (subfolders and hidden files are skipped; symbolic links
/// to regular files are followed), sorted by name. IOError naming the folder when it is missing, not
/// a folder or holds no text file; naming the file when it cannot be read or holds a NUL byte (binary);
/// naming the limit when the files exceed options.max_bytes.
std::vector<TextFile> read_text_folder(const std::string& dir, const TextFolderOptions& options = {});

/// Splits text in the `fortune` format: records separated by lines holding only `separator`.
/// Records keep their lines and newlines; records of whitespace only are dropped.
std::vector<std::string> split_records(const std::string& text, const std::string& separator = "%");

namespace fortunes {

/// $XKERAS_FORTUNES_DIR if set, else /usr/share/games/fortunes (Debian's fortunes package).
std::string default_dir();

/// Every fortune of every file in `dir` (files in name order; the .dat indexes and the .u8 links to
/// the same files are skipped). IOError naming the folder, and the package to install, when missing.
std::vector<std::string> load_data(const std::string& dir = default_dir());

/// The fortunes as one text for a character-level model, prepared as Keras's example prepares its
/// corpus (text.lower()): entries joined by a blank line, ASCII letters lowercased, backspace
/// overstrikes ("_\bX") resolved to the final character and other control characters except
/// newline and tab dropped. `limit` keeps the first `limit` bytes (cut at a character boundary; 0 = all).
std::string load_text(const std::string& dir = default_dir(), std::size_t limit = 0);

}  // namespace fortunes

/// UTF-8 to code points; a byte that does not start a valid sequence becomes U+FFFD.
std::u32string utf8_decode(const std::string& text);
std::string utf8_encode(const std::u32string& chars);

/// The characters (Unicode code points) of a text, numbered 0..size()-1 in code point order, as
/// Keras's character-level example numbers `sorted(list(set(text)))`.
class CharVocabulary {
 public:
  explicit CharVocabulary(const std::string& text);
  std::size_t size() const { return chars_.size(); }
  const std::u32string& chars() const { return chars_; }
  /// ValueError naming the character and its position when it is not in the vocabulary.
  std::vector<std::int32_t> encode(const std::string& text) const;
  /// ValueError naming an id outside [0, size()).
  std::string decode(const std::vector<std::int32_t>& ids) const;

 private:
  std::u32string chars_;
  std::unordered_map<char32_t, std::int32_t> index_;
};

}  // namespace xkeras::datasets
