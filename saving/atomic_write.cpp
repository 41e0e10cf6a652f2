#include "saving/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include "file_kind.hpp"
#include "saving/json_util.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

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

// The file a save must replace: `path`, or what its chain of symlinks ends at (an editor writes
// through a link rather than replacing the link by a file).
std::string resolve_links(const std::string& path, const std::string& what) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::string target(4096, '\0');
    const ssize_t n = ::readlink(p.c_str(), target.data(), target.size());
    if (n < 0 || static_cast<std::size_t>(n) >= target.size())
      throw IOError(what + "cannot read the symlink \"" + p + "\": " + errno_text(n < 0 ? errno : ENAMETOOLONG));
    target.resize(static_cast<std::size_t>(n));
    p = target[0] == '/' ? target : parent_dir(p) + "/" + target;
  }
  throw IOError(what + "too many levels of symbolic links");
}

// The temporary file: unnamed (O_TMPFILE) where the file system allows it, so that a process killed
// while writing leaves nothing behind; otherwise a short hidden name beside the target (never
// longer than the target's name, so any name that can be saved has a temporary name too).
struct TempFile {
  int fd = -1;
  std::string name;  // empty while unnamed
};

TempFile open_temp(const std::string& dir, const std::string& what, bool unnamed) {
  TempFile t;
#ifdef O_TMPFILE
  if (unnamed) {
    t.fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (t.fd >= 0) return t;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
      throw IOError(what + "cannot create a temporary file in \"" + dir + "\": " + errno_text(errno));
  }
#endif
  for (int attempt = 0; attempt < 16; ++attempt) {
    t.name = dir + "/.xk" + random_suffix() + ".tmp";
    t.fd = ::open(t.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (t.fd >= 0) return t;
    if (errno != EEXIST) throw IOError(what + "cannot create \"" + t.name + "\": " + errno_text(errno));
  }
  throw IOError(what + "cannot create a temporary file beside it");
}

// Gives the unnamed temporary file a short name in `dir` (for the rename): the window in which a
// kill could leave it behind is these two system calls. Returns 0 or the errno.
int link_temp(TempFile& t, const std::string& dir) {
  const std::string proc = "/proc/self/fd/" + std::to_string(t.fd);
  for (int attempt = 0; attempt < 16; ++attempt) {
    const std::string name = dir + "/.xk" + random_suffix() + ".tmp";
    int rc = ::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW);
    if (rc != 0 && errno == ENOENT) rc = ::linkat(t.fd, "", AT_FDCWD, name.c_str(), AT_EMPTY_PATH);  // no /proc
    if (rc == 0) {
      t.name = name;
      return 0;
    }
    if (errno != EEXIST) return errno;
  }
  return EEXIST;
}

// Writes `data` to a temporary file in `dir` and returns it closed and named, ready for the rename.
// With `unnamed` it starts from an O_TMPFILE file; when that file cannot be given a name at the end
// (no /proc and no privilege for AT_EMPTY_PATH), it returns fd = -2 and the caller writes again with
// a named file. Any other failure removes the file and throws IOError.
TempFile write_temp(const std::string& dir, const std::string& data, const struct stat* old, bool unnamed,
                    const std::string& what) {
  TempFile t = open_temp(dir, what, unnamed);
  auto fail = [&](const std::string& step, int e) {
    if (t.fd >= 0) ::close(t.fd);
    if (!t.name.empty()) ::unlink(t.name.c_str());
    throw IOError(what + step + ": " + errno_text(e));
  };
  // The replaced file keeps its permissions (and, when we may, its owner), as an editor's save does.
  if (old) {
    if (::fchmod(t.fd, old->st_mode & 07777) != 0) fail("setting the permissions of the new file failed", errno);
    if (::geteuid() == 0 && ::fchown(t.fd, old->st_uid, old->st_gid) != 0) fail("setting the owner of the new file failed", errno);
  }
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(t.fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("writing the temporary file failed", errno);
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(t.fd) != 0) fail("fsync of the temporary file failed", errno);
  if (t.name.empty() && link_temp(t, dir) != 0) {
    ::close(t.fd);  // unnamed: closing it frees it
    t.fd = -2;
    return t;
  }
  const int rc = ::close(t.fd);
  t.fd = -1;
  if (rc != 0) fail("closing \"" + t.name + "\" failed", errno);
  return t;
}

}  // namespace

void atomic_write(const std::string& path, const std::string& data) {
  const std::string what = "cannot save \"" + path + "\": ";
  const std::string target = resolve_links(path, what);
  struct stat old {};
  const bool replaces = ::stat(target.c_str(), &old) == 0;
  if (replaces && !S_ISREG(old.st_mode))
    throw IOError(what + "expected a regular file to replace, but \"" + target + "\" is " + detail::file_kind(old.st_mode));
  const std::string dir = parent_dir(target);
  TempFile t = write_temp(dir, data, replaces ? &old : nullptr, true, what);
  if (t.fd == -2) t = write_temp(dir, data, replaces ? &old : nullptr, false, what);
  if (std::rename(t.name.c_str(), target.c_str()) != 0) {
    const int e = errno;
    ::unlink(t.name.c_str());
    throw IOError(what + "renaming \"" + t.name + "\" over it failed: " + errno_text(e));
  }
  sync_dir(dir);
}

std::string read_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw IOError("cannot open \"" + path + "\": " + errno_text(errno));
  if (!S_ISREG(st.st_mode))
    throw IOError("cannot load \"" + path + "\": expected a regular file, got " + detail::file_kind(st.st_mode));
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > kMaxFileBytes)
    throw IOError("cannot load \"" + path + "\": expected a file of at most 4 GiB, got " + std::to_string(size) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("cannot open \"" + path + "\": " + errno_text(errno));
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::size_t>(in.gcount()) != size) throw IOError("cannot read \"" + path + "\": short read");
  return text;
}

}  // namespace xkeras::saving
