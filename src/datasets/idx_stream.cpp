// A Dataset over IDX files read lazily: the headers are read when the dataset is made, records are
// decoded one at a time as a pass pulls them (gzread, sequentially). Memory per pass is zlib's state
// plus one record per file, whatever the file's size.
#include <cstring>
#include <vector>

#include "datasets/idx_header.hpp"
#include "xkeras/datasets.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::datasets {

namespace {

// zlib's input buffer per open file (its default is 8 KiB; larger reads in fewer system calls).
constexpr unsigned kGzBuffer = 1u << 16;

struct IdxFileInfo {
  std::string path;
  detail::IdxHeader header;
};

// One record's buffer and tensor are allocated per element: a record may hold at most 2^26 bytes (a
// 256 MiB float tensor), and, for a file that declares any record, no more than the file can hold.
constexpr std::size_t kMaxRecordBytes = std::size_t(1) << 26;
constexpr std::size_t kMaxDeflateRatio = 1032;  // deflate expands at most 1032:1

IdxFileInfo open_info(const std::string& path, detail::GzFile& f) {
  const auto [file_size, gzipped] = detail::regular_file(path);  // a regular file, or IOError naming what it is
  f = detail::open_gz(path);
  gzbuffer(f.get(), kGzBuffer);
  IdxFileInfo info{path, detail::read_header(f.get(), path)};
  const auto& h = info.header;
  if (h.item_bytes > kMaxRecordBytes)
    throw IOError("IDX file " + path + ": records of " + shape_str(Shape(h.shape.begin() + 1, h.shape.end())) + " = " +
                  std::to_string(h.item_bytes) + " bytes pass the limit of " + std::to_string(kMaxRecordBytes) +
                  " bytes per record");
  const std::size_t can_hold = gzipped ? file_size * kMaxDeflateRatio : file_size;
  if (h.shape[0] > 0 && h.header_bytes + h.item_bytes > can_hold)
    throw IOError("IDX file " + path + ": its header declares records of " + std::to_string(h.item_bytes) +
                  " bytes, but a " + (gzipped ? "gzip file" : "file") + " of " + std::to_string(file_size) +
                  " bytes cannot hold one (truncated or forged header)");
  return info;
}

class IdxStream : public data::ElementStream {
 public:
  explicit IdxStream(const std::vector<IdxFileInfo>& files) : files_(files), f_(files.size()) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      const IdxFileInfo now = open_info(files[i].path, f_[i]);
      if (now.header.shape != files[i].header.shape)
        throw IOError("IDX file " + files[i].path + " changed since the dataset was made: its header declares " +
                      shape_str(now.header.shape) + ", was " + shape_str(files[i].header.shape));
    }
    std::size_t most = 0;
    for (const auto& fi : files) most = std::max(most, fi.header.item_bytes);
    buf_.resize(most);
  }

  std::optional<data::Element> next() override {
    if (files_.empty() || record_ >= files_[0].header.shape[0]) return std::nullopt;
    data::Element e;
    e.reserve(files_.size());
    for (std::size_t i = 0; i < files_.size(); ++i) {
      const auto& h = files_[i].header;
      detail::read_exact(f_[i].get(), buf_.data(), h.item_bytes, files_[i].path,
                         "record " + std::to_string(record_) + " of " + std::to_string(h.shape[0]));
      Array a = Array::from_shape(Shape(h.shape.begin() + 1, h.shape.end()));
      float* p = a.data();
      for (std::size_t k = 0; k < h.item_bytes; ++k) p[k] = buf_[k];
      e.emplace_back(std::move(a));
    }
    ++record_;
    return e;
  }

 private:
  const std::vector<IdxFileInfo>& files_;
  std::vector<detail::GzFile> f_;
  std::vector<unsigned char> buf_;
  std::size_t record_ = 0;
};

class IdxImpl : public data::DatasetImpl {
 public:
  explicit IdxImpl(std::vector<IdxFileInfo> files) : files_(std::move(files)) {}
  std::unique_ptr<data::ElementStream> open() const override { return std::make_unique<IdxStream>(files_); }
  std::int64_t cardinality() const override { return static_cast<std::int64_t>(files_[0].header.shape[0]); }

 private:
  std::vector<IdxFileInfo> files_;
};

}  // namespace

data::Dataset idx_dataset(const std::vector<std::string>& paths) {
  if (paths.empty()) throw ValueError("datasets::idx_dataset: expected at least one IDX file, got none");
  std::vector<IdxFileInfo> files;
  for (const auto& p : paths) {
    detail::GzFile f;
    files.push_back(open_info(p, f));
    if (files.back().header.shape[0] != files.front().header.shape[0])
      throw IOError("datasets::idx_dataset: " + p + " holds " + std::to_string(files.back().header.shape[0]) +
                    " records but " + files.front().path + " holds " + std::to_string(files.front().header.shape[0]));
  }
  return data::Dataset::from_impl(std::make_shared<IdxImpl>(std::move(files)));
}

data::Dataset idx_dataset(const std::string& images_path, const std::string& labels_path) {
  return idx_dataset(std::vector<std::string>{images_path, labels_path});
}

}  // namespace xkeras::datasets
