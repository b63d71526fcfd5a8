// The proto files the catalogue reads (proto/CMakeLists.txt lists them;
// the build generates catalogue_files.cc from the list). Linking the
// catalogue links every one of them, so that their descriptors are in the
// generated pool of any program that uses it.
#ifndef GAVEL_PROTO_CATALOGUE_FILES_H_
#define GAVEL_PROTO_CATALOGUE_FILES_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace gavel::catalogue {

// Names as protoc knows them ("gavel/v1/admin_service.proto").
absl::Span<const absl::string_view> LinkedProtoFiles();

}  // namespace gavel::catalogue

#endif  // GAVEL_PROTO_CATALOGUE_FILES_H_
