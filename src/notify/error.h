// The error value of the notify module: an AWS-style code (InvalidParameter, SigningFailed, ...)
// and a message. Message formats, signatures and mail rendering return it through core::Result;
// nothing in the module prints or throws.
#pragma once

#include <string>

namespace sgwatch::notify {

struct Error {
  std::string code;
  std::string message;
};

}  // namespace sgwatch::notify
