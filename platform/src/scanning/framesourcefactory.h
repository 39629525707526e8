#pragma once

#include "framesource.h"

#include <memory>

namespace poptap {

// The camera named by configuration (kiosk.conf `camera=`, --camera):
//   none               no camera (scanning by handheld scanner only)
//   auto               the system's default camera
//   camera:<id|name>   a camera by id or part of its description
//   images:<path>      pictures from a file or folder (tests, demos); images: alone for none
// Returns null and an error for anything else.
std::unique_ptr<FrameSource> createFrameSource(const QString &spec, QString *error);

} // namespace poptap
