// ChannelSetup: how one scenario channel is brought to life in the simulated world: the mock's
// config, the hosts it answers on, the connector config that points the unchanged production
// connector at it (same secrets on both sides), and the webhook path the mock posts to.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario.h"

namespace invsync::sim {

struct ChannelSetup {
  std::string channel_id;            // "shopify:main"
  std::string mock_config_json;      // for mocks::make_mock
  std::vector<std::string> hosts;    // base URLs the SimNetwork routes to this mock
  std::string connector_json;        // ServiceConfig channels[].connector
  bool webhooks = true;              // the platform pushes orders (else only polling)
  std::string base_faults_json = "{}";  // platform-specific fault keys always in force
};

ChannelSetup setup_channel(const ChannelSpec& spec, const Scenario& scenario);

}  // namespace invsync::sim
