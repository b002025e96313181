// The ConnectorFactory for the four platforms: picks the connector by the channel's platform and
// parses its config strictly (the channel id is filled in from the channel entry when the
// connector config does not repeat it).
#pragma once

#include "core/app/service.h"

namespace invsync::app {

base::Result<connector::ConnectorPtr> make_connector(const domain::ChannelId& channel,
                                                     std::string_view connector_json,
                                                     connector::ConnectorDeps deps);

}  // namespace invsync::app
