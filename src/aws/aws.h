// Front door of the aws module: SigV4 signing (sigv4.h) and its server-side verification
// (verifier.h), with their primitives (crypto.h, amz_date.h, http_request.h); the AWS wire
// protocols: which service and protocol a request speaks (wire_protocol.h, wire_request.h), its
// form parameters (query_params.h), XML and JSON answers (xml_writer.h, wire_response.h) and
// errors (errors.h); the AWS CLI's credential and region chain for sgwatch's own calls
// (credentials.h); the outgoing client (client.h: signed calls in each protocol with retries and
// paging, AwsError, the transport over libcurl, curl_handle.h, the instance metadata service,
// imds.h). Depends on core, libcurl and pugixml.
#pragma once

#include "aws/amz_date.h"
#include "aws/client.h"
#include "aws/credentials.h"
#include "aws/crypto.h"
#include "aws/errors.h"
#include "aws/http_request.h"
#include "aws/imds.h"
#include "aws/query_params.h"
#include "aws/s3.h"
#include "aws/sigv4.h"
#include "aws/utf8.h"
#include "aws/verifier.h"
#include "aws/wire_protocol.h"
#include "aws/wire_request.h"
#include "aws/wire_response.h"
#include "aws/xml_writer.h"
