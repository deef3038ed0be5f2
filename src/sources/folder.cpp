#include "sources/folder.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <system_error>

namespace sgwatch::sources {

namespace fs = std::filesystem;

namespace {

bool hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

std::int64_t mtime_ns(const fs::file_time_type& time) {
  // file_time_type's clock is the system clock on Linux (libstdc++'s epoch is 1970 since GCC 9).
  const auto system = std::chrono::file_clock::to_sys(time);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(system.time_since_epoch()).count();
}

}  // namespace

core::Result<FolderListing, std::string> list_files(const fs::path& root) {
  std::error_code ec;
  const auto status = fs::status(root, ec);
  if (ec) return core::unexpected(fmt::format("{}: {}", root.string(), ec.message()));
  if (!fs::is_directory(status)) return core::unexpected(fmt::format("{}: not a folder", root.string()));
  FolderListing out;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return core::unexpected(fmt::format("{}: {}", root.string(), ec.message()));
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      out.errors.push_back(fmt::format("{}: {}", it->path().string(), ec.message()));
      ec.clear();
      continue;
    }
    const fs::directory_entry& entry = *it;
    if (hidden(entry.path())) {
      if (entry.is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    std::error_code entry_ec;
    const bool symlink = entry.is_symlink(entry_ec);
    if (entry.is_directory(entry_ec)) {
      if (symlink) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(entry_ec)) continue;  // sockets, fifos, broken links
    FileEntry file;
    file.path = entry.path();
    file.relative = fs::relative(entry.path(), root, entry_ec).generic_string();
    if (entry_ec || file.relative.empty()) file.relative = entry.path().generic_string();
    file.size = entry.file_size(entry_ec);
    if (!entry_ec) file.mtime_ns = mtime_ns(entry.last_write_time(entry_ec));
    if (entry_ec) {
      out.errors.push_back(fmt::format("{}: {}", entry.path().string(), entry_ec.message()));
      continue;
    }
    out.files.push_back(std::move(file));
  }
  std::sort(out.files.begin(), out.files.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.relative < b.relative; });
  return out;
}

std::optional<FileEntry> stat_file(const fs::path& root, const std::string& relative) {
  if (relative.empty()) return std::nullopt;
  const fs::path path = root / relative;
  for (const auto& part : fs::path(relative)) {
    if (hidden(part) || part == "..") return std::nullopt;
  }
  std::error_code ec;
  const fs::directory_entry entry(path, ec);
  if (ec || !entry.is_regular_file(ec)) return std::nullopt;  // follows links, as list_files does
  FileEntry file;
  file.path = path;
  file.relative = relative;
  file.size = entry.file_size(ec);
  if (ec) return std::nullopt;
  file.mtime_ns = mtime_ns(entry.last_write_time(ec));
  if (ec) return std::nullopt;
  return file;
}

std::string encode_position(const FilePosition& p) {
  return fmt::format("v1 size={} mtime={} records={} batches={} complete={}", p.size, p.mtime_ns, p.records,
                     p.batches, p.complete ? 1 : 0);
}

std::optional<FilePosition> decode_position(std::string_view text) {
  if (!text.starts_with("v1 ")) return std::nullopt;
  text.remove_prefix(3);
  FilePosition p;
  int seen = 0;
  auto number = [](std::string_view value, auto& out) {
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    return ec == std::errc() && end == value.data() + value.size();
  };
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    const std::string_view field = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    const std::size_t eq = field.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view key = field.substr(0, eq);
    const std::string_view value = field.substr(eq + 1);
    bool ok = false;
    if (key == "size") {
      ok = number(value, p.size);
    } else if (key == "mtime") {
      ok = number(value, p.mtime_ns);
    } else if (key == "records") {
      ok = number(value, p.records);
    } else if (key == "batches") {
      ok = number(value, p.batches);
    } else if (key == "complete") {
      ok = value == "0" || value == "1";
      p.complete = value == "1";
    }
    if (!ok) return std::nullopt;
    ++seen;
  }
  if (seen != 5) return std::nullopt;
  return p;
}

ReadFrom read_from(const FileEntry& file, const std::optional<FilePosition>& position) {
  if (!position) return ReadFrom::kStart;
  if (file.size < position->size) return ReadFrom::kStart;  // replaced by a shorter file
  if (position->complete && file.size == position->size && file.mtime_ns == position->mtime_ns) {
    return ReadFrom::kSkip;
  }
  return ReadFrom::kPosition;
}

}  // namespace sgwatch::sources
