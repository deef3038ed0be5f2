// Implementation of scratch.h.
#include "core/scratch.h"

namespace sgwatch::core {
namespace {

struct ThreadSlot {
  std::unique_ptr<char[]> data;
  std::size_t size = 0;
  bool busy = false;
};

thread_local ThreadSlot slots[static_cast<int>(ScratchBuffer::Slot::kCount)];

}  // namespace

ScratchBuffer::ScratchBuffer(Slot slot, std::size_t size) : size_(size) {
  ThreadSlot& s = slots[static_cast<int>(slot)];
  if (s.busy) {
    owned_.reset(new char[size]);
    data_ = owned_.get();
    return;
  }
  if (s.size < size) {
    s.data.reset(new char[size]);
    s.size = size;
  }
  s.busy = true;
  slot_ = static_cast<int>(slot);
  data_ = s.data.get();
}

ScratchBuffer::~ScratchBuffer() {
  if (slot_ >= 0) slots[slot_].busy = false;
}

}  // namespace sgwatch::core
