#include "serialization/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include "serialization/json_util.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::serialization {

namespace {

std::string errno_text(int e) { return std::strerror(e); }

std::string random_suffix() {
  std::random_device rd;
  std::uniform_int_distribution<unsigned> hex(0, 15);
  std::string s;
  for (int i = 0; i < 12; ++i) s.push_back("0123456789abcdef"[hex(rd)]);
  return s;
}

std::string parent_dir(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Makes the rename itself durable; failure here cannot undo the save, so it is ignored.
void sync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void atomic_write(const std::string& path, const std::string& data) {
  const std::string what = "cannot save \"" + path + "\": ";
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    tmp = path + ".tmp-" + random_suffix();
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) throw IOError(what + "cannot create \"" + tmp + "\": " + errno_text(errno));
  }
  if (fd < 0) throw IOError(what + "cannot create a temporary file beside it");
  auto fail = [&](const std::string& step, int e) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw IOError(what + step + ": " + errno_text(e));
  };
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("writing \"" + tmp + "\" failed", errno);
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("fsync of \"" + tmp + "\" failed", errno);
  const int rc = ::close(fd);
  fd = -1;
  if (rc != 0) fail("closing \"" + tmp + "\" failed", errno);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("renaming \"" + tmp + "\" over it failed", errno);
  sync_dir(parent_dir(path));
}

std::string read_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw IOError("cannot open \"" + path + "\": " + errno_text(errno));
  if (!S_ISREG(st.st_mode)) throw IOError("cannot load \"" + path + "\": not a regular file");
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > kMaxFileBytes) throw IOError("cannot load \"" + path + "\": the file is larger than 4 GiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("cannot open \"" + path + "\": " + errno_text(errno));
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::size_t>(in.gcount()) != size) throw IOError("cannot read \"" + path + "\": short read");
  return text;
}

}  // namespace xkeras::serialization
