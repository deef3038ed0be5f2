// Front door of the aws module: SigV4 signing (sigv4.h) and its server-side verification
// (verifier.h), with their primitives (crypto.h, amz_date.h, http_request.h). Depends on core.
#pragma once

#include "aws/amz_date.h"
#include "aws/crypto.h"
#include "aws/http_request.h"
#include "aws/sigv4.h"
#include "aws/verifier.h"
