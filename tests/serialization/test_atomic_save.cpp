// Saving the way a careful editor does: atomic, and the file it replaces keeps what it was — a
// symlink stays a symlink, a 0600 file stays 0600 — no temporary file survives a kill, and any name
// the file system takes can be saved.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "helpers.hpp"

using namespace xkeras;
using namespace sertest;
namespace fs = std::filesystem;

namespace {

Model small(const std::string& name = "small") {
  return Sequential({layers::Input({3}), layers::Dense(2)}, name);
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("saving onto a symlink replaces the file it points to and keeps the link") {
  const std::string dir = scratch_dir("symlink");
  fs::create_directory(dir + "/real");
  small("first").save(dir + "/real/m.json");
  fs::create_symlink("real/m.json", dir + "/link.json");
  small("second").save(dir + "/link.json");
  CHECK(fs::is_symlink(dir + "/link.json"));
  CHECK(load_model(dir + "/real/m.json").name() == "second");
  CHECK(entries(dir) == std::vector<std::string>{"link.json", "real"});
  CHECK(entries(dir + "/real") == std::vector<std::string>{"m.json"});
  // A chain of links, and a dangling link (its target is created, as an editor would).
  fs::create_symlink("link.json", dir + "/link2.json");
  small("third").save(dir + "/link2.json");
  CHECK(load_model(dir + "/real/m.json").name() == "third");
  fs::create_symlink("real/new.json", dir + "/dangling.json");
  small("fourth").save(dir + "/dangling.json");
  CHECK(fs::is_symlink(dir + "/dangling.json"));
  CHECK(load_model(dir + "/real/new.json").name() == "fourth");
  // A loop of links is an IOError, not a hang.
  fs::create_symlink("loop_b", dir + "/loop_a");
  fs::create_symlink("loop_a", dir + "/loop_b");
  CHECK_THROWS_AS(small().save(dir + "/loop_a"), IOError);
}

TEST_CASE("saving keeps the replaced file's permissions, a new file gets the umask's") {
  const std::string dir = scratch_dir("mode");
  const std::string path = dir + "/m.json";
  small().save(path);
  REQUIRE(::chmod(path.c_str(), 0600) == 0);
  small("again").save(path);
  CHECK(mode_of(path) == 0600);
  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  small("again").save(path);
  CHECK(mode_of(path) == 0640);
  const mode_t old = ::umask(022);
  small().save(dir + "/fresh.json");
  ::umask(old);
  CHECK(mode_of(dir + "/fresh.json") == 0644);
}

TEST_CASE("a file name of 250 characters can be saved (the temporary name does not grow with it)") {
  const std::string dir = scratch_dir("long_name");
  const std::string name = std::string(245, 'm') + ".json";
  REQUIRE(name.size() == 250);
  small("long").save(dir + "/" + name);
  CHECK(load_model(dir + "/" + name).name() == "long");
  CHECK(entries(dir) == std::vector<std::string>{name});
}

TEST_CASE("a save killed at any moment leaves the old or the new file and no temporary file") {
  const std::string dir = scratch_dir("killed");
  const std::string path = dir + "/m.json";
  // Large enough that a save takes a while (about 16 MB of JSON).
  Sequential big({layers::Input({1024}), layers::Dense(3000), layers::Dense(1024)}, "big");
  big.save(path);
  for (int kill_no = 0; kill_no < 8; ++kill_no) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // saves over and over until killed
      for (;;) big.save(path);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30 + 37 * kill_no));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status));
    CHECK(entries(dir) == std::vector<std::string>{"m.json"});
    CHECK(load_model(path).name() == "big");
  }
}
