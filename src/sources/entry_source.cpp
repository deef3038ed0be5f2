// Implementation of entry_source.h: the folder source.
#include "sources/entry_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sgwatch::sources {

namespace {

// A file's descriptor, closed with the source.
class FileByteSource : public event::ByteSource {
 public:
  explicit FileByteSource(int fd) : fd_(fd), reader_(fd) {}
  ~FileByteSource() override { ::close(fd_); }
  FileByteSource(const FileByteSource&) = delete;
  FileByteSource& operator=(const FileByteSource&) = delete;
  std::int64_t read(char* buffer, std::size_t size) override { return reader_.read(buffer, size); }
  std::string error() const override { return reader_.error(); }

 private:
  int fd_;
  event::FdSource reader_;
};

}  // namespace

core::Result<FolderListing, std::string> FolderSource::list() {
  return list_files(folder_);
}

core::Result<std::unique_ptr<event::ByteSource>, std::string> FolderSource::open(const FileEntry& entry) {
  const int fd = ::open(entry.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return core::unexpected(std::string(std::strerror(errno)));
  return std::unique_ptr<event::ByteSource>(std::make_unique<FileByteSource>(fd));
}

}  // namespace sgwatch::sources
