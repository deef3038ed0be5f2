// Front door of the sources module: where CloudTrail records come from. So far: folders of
// files (listing, change detection, positions within a file). Uses event to decode; no engine.
#pragma once

#include "sources/folder.h"
