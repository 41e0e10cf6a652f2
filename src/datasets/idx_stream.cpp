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

IdxFileInfo open_info(const std::string& path, detail::GzFile& f) {
  detail::regular_file(path);  // a regular file, or IOError naming what it is
  f = detail::open_gz(path);
  gzbuffer(f.get(), kGzBuffer);
  return {path, detail::read_header(f.get(), path)};
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
