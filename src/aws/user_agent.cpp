// Implementation of user_agent.h.
#include "aws/user_agent.h"

#include "core/version.h"

namespace sgwatch::aws {

const std::string& user_agent() {
  static const std::string value = "sgwatch/" + std::string(core::kVersion);
  return value;
}

}  // namespace sgwatch::aws
