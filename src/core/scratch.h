// ScratchBuffer: a byte buffer lent by the current thread, so that code run once per input (a
// scan reads thousands of small gzip'd files) does not allocate, zero and fault in megabytes each
// time. Each thread keeps one buffer per slot; a nested user of the same slot gets a buffer of
// its own. Contents are uninitialised.
#pragma once

#include <cstddef>
#include <memory>

namespace sgwatch::core {

class ScratchBuffer {
 public:
  enum class Slot { kRead, kInflate, kCount };
  ScratchBuffer(Slot slot, std::size_t size);
  ~ScratchBuffer();
  ScratchBuffer(const ScratchBuffer&) = delete;
  ScratchBuffer& operator=(const ScratchBuffer&) = delete;

  char* data() { return data_; }
  std::size_t size() const { return size_; }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  int slot_ = -1;                  // the thread's slot borrowed, or -1
  std::unique_ptr<char[]> owned_;  // when the slot was busy
};

}  // namespace sgwatch::core
