#include "saving/tfjs_weights.hpp"

#include <sys/stat.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>

#include "file_kind.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::saving {

namespace {

constexpr std::size_t kMaxEntries = 1u << 20;
constexpr std::size_t kMaxShardsPerGroup = 1u << 16;
constexpr std::size_t kMaxGroupBytes = kMaxFileBytes;

std::size_t stored_size(const std::string& dtype) { return dtype == "uint8" ? 1 : (dtype == "uint16" || dtype == "float16") ? 2 : 4; }

double finite_number(const json& j, const std::string& path) {
  if (!j.is_number() || !std::isfinite(j.get<double>())) throw ConfigError(path, "expected a finite number, got " + shown(j));
  return j.get<double>();
}

Shape entry_shape(const json& j, const std::string& path) {
  if (!j.is_array() || j.size() > 16) throw ConfigError(path, "expected a list of at most 16 dimensions, got " + shown(j));
  Shape s;
  for (std::size_t i = 0; i < j.size(); ++i) s.push_back(get_index(j[i], index_path(path, i), std::size_t(1) << 31));
  return s;
}

// A shard's name must name a file in the model's folder (or below it): the manifest is untrusted.
std::string shard_path(const std::string& dir, const std::string& name, const std::string& jpath) {
  std::string n = name;
  while (n.rfind("./", 0) == 0) n = n.substr(2);
  bool bad = n.empty() || n[0] == '/' || n.find('\0') != std::string::npos || n.find('\\') != std::string::npos;
  for (std::size_t start = 0; !bad && start <= n.size();) {
    const std::size_t end = n.find('/', start);
    const std::string part = n.substr(start, end == std::string::npos ? std::string::npos : end - start);
    bad = part.empty() || part == "..";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (bad)
    throw ConfigError(jpath, "expected the name of a shard file in the model's folder, got " + shown(json(name)) +
                                 " (absolute paths and \"..\" are refused)");
  return (dir.empty() ? std::string(".") : dir) + "/" + n;
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ffu;
  float v;
  if (exp == 0) v = std::ldexp(static_cast<float>(mant), -24);             // zero and subnormals
  else if (exp == 31) v = mant ? NAN : INFINITY;
  else v = std::ldexp(static_cast<float>(mant | 0x400u), static_cast<int>(exp) - 25);
  return sign ? -v : v;
}

}  // namespace

TfjsManifest parse_tfjs_manifest(const json& manifest) {
  const std::string mpath = "weightsManifest";
  if (!manifest.is_array()) throw ConfigError(mpath, "expected a list of weight groups, got " + shown(manifest));
  TfjsManifest m;
  for (std::size_t g = 0; g < manifest.size(); ++g) {
    const std::string gpath = index_path(mpath, g);
    const json& group = manifest[g];
    if (!group.is_object()) throw ConfigError(gpath, "expected {\"paths\": [...], \"weights\": [...]}, got " + shown(group));
    const json& paths = member(group, "paths", gpath);
    if (!paths.is_array() || paths.size() > kMaxShardsPerGroup)
      throw ConfigError(join_path(gpath, "paths"), "expected a list of shard file names, got " + shown(paths));
    std::vector<std::string> files;
    for (std::size_t i = 0; i < paths.size(); ++i) files.push_back(get_string(paths[i], index_path(join_path(gpath, "paths"), i)));
    const json& weights = member(group, "weights", gpath);
    const std::string wpath = join_path(gpath, "weights");
    if (!weights.is_array()) throw ConfigError(wpath, "expected a list of weights, got " + shown(weights));
    std::size_t offset = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (m.entries.size() >= kMaxEntries) throw ConfigError(wpath, "more than " + std::to_string(kMaxEntries) + " weights");
      const std::string ep = index_path(wpath, i);
      const json& w = weights[i];
      if (!w.is_object()) throw ConfigError(ep, "expected a weight {\"name\", \"shape\", \"dtype\"}, got " + shown(w));
      TfjsEntry e;
      e.json_path = ep;
      e.group = g;
      e.offset = offset;
      e.name = get_string(member(w, "name", ep), join_path(ep, "name"));
      e.shape = entry_shape(member(w, "shape", ep), join_path(ep, "shape"));
      e.optimizer = w.contains("group") && w["group"] == "optimizer";
      const std::string& dtype = get_string(member(w, "dtype", ep), join_path(ep, "dtype"));
      e.stored = dtype;
      if (w.contains("quantization") && !w["quantization"].is_null()) {
        const std::string qp = join_path(ep, "quantization");
        const json& q = w["quantization"];
        if (!q.is_object()) throw ConfigError(qp, "expected an object, got " + shown(q));
        if (dtype != "float32") throw ConfigError(join_path(ep, "dtype"), "expected \"float32\" for a quantized weight, got " + shown(json(dtype)));
        e.stored = get_string(member(q, "dtype", qp), join_path(qp, "dtype"));
        if (e.stored == "uint8" || e.stored == "uint16") {
          e.min = finite_number(member(q, "min", qp), join_path(qp, "min"));
          e.scale = finite_number(member(q, "scale", qp), join_path(qp, "scale"));
        } else if (e.stored != "float16") {
          throw ConfigError(join_path(qp, "dtype"), "expected \"uint8\", \"uint16\" or \"float16\", got " + shown(q["dtype"]));
        }
      } else if (dtype != "float32" && dtype != "int32") {
        throw ConfigError(join_path(ep, "dtype"), "expected \"float32\" or \"int32\" (xkeras weights are numbers), got " + shown(w["dtype"]));
      }
      std::size_t values = 1;
      for (auto d : e.shape) {
        if (d != 0 && values > (std::size_t(1) << 31) / d)
          throw ConfigError(join_path(ep, "shape"), "expected at most 2^31 values, got the shape " + shown(w["shape"]));
        values *= d;
      }
      const std::size_t bytes = values * stored_size(e.stored);
      // bytes may itself exceed the limit (2^31 float32 values are 2^33 bytes): no unsigned wrap-around.
      if (bytes > kMaxGroupBytes || offset > kMaxGroupBytes - bytes)
        throw ConfigError(ep, "the group's weights need more than 2^32 bytes");
      offset += bytes;
      m.total_values += values;
      m.entries.push_back(std::move(e));
    }
    m.group_files.push_back(std::move(files));
    m.group_bytes.push_back(offset);
  }
  return m;
}

std::vector<std::string> read_tfjs_shards(const TfjsManifest& m, const std::string& dir) {
  // All groups together are held in memory: bounded like one file, whatever the manifest repeats.
  std::size_t all = 0;
  for (std::size_t b : m.group_bytes) {
    if (b > kMaxFileBytes - all) throw ConfigError("weightsManifest", "the weights need more than 2^32 bytes in all");
    all += b;
  }
  std::vector<std::string> buffers;
  for (std::size_t g = 0; g < m.group_files.size(); ++g) {
    const std::string gpath = index_path("weightsManifest", g) + ".paths";
    // Sizes first: nothing is allocated for a group whose files do not hold exactly what it declares.
    std::vector<std::string> files;
    std::size_t total = 0;
    for (std::size_t i = 0; i < m.group_files[g].size(); ++i) {
      const std::string p = shard_path(dir, m.group_files[g][i], index_path(gpath, i));
      struct stat st {};
      if (stat(p.c_str(), &st) != 0) throw IOError("cannot open the weights shard " + p + " (" + index_path(gpath, i) + "): " + std::strerror(errno));
      if (!S_ISREG(st.st_mode))
        throw IOError("the weights shard " + p + " (" + index_path(gpath, i) + ") is " + detail::file_kind(st.st_mode) +
                      ", not a regular file");
      total += static_cast<std::size_t>(st.st_size);
      if (total > kMaxGroupBytes) throw IOError("the weights shards of group " + std::to_string(g) + " exceed 2^32 bytes");
      files.push_back(p);
    }
    if (total != m.group_bytes[g])
      throw ConfigError(gpath, "the group's shard files hold " + std::to_string(total) + " bytes, but its weights need " +
                                   std::to_string(m.group_bytes[g]) + " bytes");
    std::string buf(total, '\0');
    std::size_t at = 0;
    for (const auto& p : files) {
      std::ifstream f(p, std::ios::binary);
      struct stat st {};
      stat(p.c_str(), &st);
      const std::size_t n = static_cast<std::size_t>(st.st_size);
      if (!f || n > total - at || !f.read(&buf[at], static_cast<std::streamsize>(n)))
        throw IOError("cannot read the weights shard " + p + " (it changed while being read?)");
      at += n;
    }
    if (at != total) throw IOError("the weights shards of group " + std::to_string(g) + " changed while being read");
    buffers.push_back(std::move(buf));
  }
  return buffers;
}

void decode_tfjs_entry(const TfjsEntry& e, const std::string& buf, float* out) {
  const std::size_t n = shape_size(e.shape);
  const auto* p = reinterpret_cast<const unsigned char*>(buf.data()) + e.offset;
  auto u32 = [&](std::size_t i) {
    const unsigned char* b = p + 4 * i;
    return std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8 | std::uint32_t(b[2]) << 16 | std::uint32_t(b[3]) << 24;
  };
  auto u16 = [&](std::size_t i) { return static_cast<std::uint16_t>(p[2 * i] | p[2 * i + 1] << 8); };
  if (e.stored == "float32") {
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t bits = u32(i);
      std::memcpy(out + i, &bits, 4);
    }
  } else if (e.stored == "int32") {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(static_cast<std::int32_t>(u32(i)));
  } else if (e.stored == "uint8") {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(p[i] * e.scale + e.min);
  } else if (e.stored == "uint16") {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(u16(i) * e.scale + e.min);
  } else {  // float16
    for (std::size_t i = 0; i < n; ++i) out[i] = half_to_float(u16(i));
  }
}

std::vector<std::string> tfjs_shard_names(std::size_t bytes, std::size_t shard_bytes) {
  const std::size_t n = bytes == 0 ? 1 : (bytes + shard_bytes - 1) / shard_bytes;
  std::vector<std::string> names;
  for (std::size_t i = 1; i <= n; ++i) names.push_back("group1-shard" + std::to_string(i) + "of" + std::to_string(n) + ".bin");
  return names;
}

}  // namespace xkeras::saving
