// Front door of the sources module: where CloudTrail records come from. Folders of files
// (listing, change detection, positions within a file, inotify changes). Uses event to decode; no engine.
// S3 bucket prefixes (s3_prefix.h, using aws for S3) and the S3 event notifications that name
// new objects (s3_notification.h); folders and prefixes share EntrySource (entry_source.h).
#pragma once

#include "sources/entry_source.h"
#include "sources/folder.h"
#include "sources/s3_notification.h"
#include "sources/s3_prefix.h"
#include "sources/folder_watch.h"
