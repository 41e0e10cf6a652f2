// Which way a monitored value improves, shared by EarlyStopping, ModelCheckpoint and ReduceLROnPlateau.
#pragma once

#include <string>

namespace xkeras::callbacks {

/// -1 when lower is better, +1 when higher is better, for mode "min"/"max"; for "auto", Keras 3's rule
/// for EarlyStopping: a loss goes down, and a metric goes the way it is known to (accuracy, AUC,
/// precision, recall, F1, IoU, top-k up; errors down). 0 when "auto" cannot tell. ValueError for
/// another mode, naming `who`.
int monitor_direction(const std::string& monitor, const std::string& mode, const std::string& who);

}  // namespace xkeras::callbacks
