// parse_serve_config: the "serve" section is strict, connector "<key>_env" entries are replaced by
// the environment's value, and every error names its key path without ever showing a secret.
#include "core/app/serve_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace invsync::app {
namespace {

const char* kConfig = R"({
  "serve": {"listen_port": 0, "admin_token_env": "T_ADMIN", "http_client_threads": 3},
  "channels": [{"id": "shopify:uk", "connector": {
      "base_url": "https://uk.myshopify.com", "access_token_env": "T_SHOP",
      "app_secret_env": "T_SECRET", "location_id": 1}}]
})";

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::map<std::string, std::string> good_env() {
  return {{"T_ADMIN", "admin-token-0123456789"}, {"T_SHOP", "shpat_x"}, {"T_SECRET", "shpss_y"}};
}

TEST(ServeConfig, ReadsTheServeSectionAndFillsSecretsFromTheEnvironment) {
  auto c = parse_serve_config(kConfig, env_of(good_env()));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->serve.listen_port, 0);
  EXPECT_EQ(c->serve.http_client_threads, 3);
  EXPECT_EQ(c->serve.http_server_threads, 8);
  EXPECT_EQ(c->admin_token, "admin-token-0123456789");
  ASSERT_EQ(c->service.channels.size(), 1u);
  const std::string& connector = c->service.channels[0].connector_json;
  EXPECT_NE(connector.find(R"("access_token":"shpat_x")"), std::string::npos) << connector;
  EXPECT_NE(connector.find(R"("app_secret":"shpss_y")"), std::string::npos) << connector;
  EXPECT_EQ(connector.find("_env"), std::string::npos) << connector;
}

TEST(ServeConfig, ErrorsNameTheKeyPathAndNeverTheSecret) {
  auto env = good_env();
  env.erase("T_SECRET");
  auto missing = parse_serve_config(kConfig, env_of(env));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("$.channels[0].connector.app_secret_env"),
            std::string::npos)
      << missing.status().message();
  EXPECT_EQ(missing.status().message().find("shpat_x"), std::string::npos);

  std::string typo = kConfig;
  typo.replace(typo.find("http_client_threads"), 19, "http_client_thread");
  auto unknown = parse_serve_config(typo, env_of(good_env()));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("$.serve.http_client_thread"), std::string::npos)
      << unknown.status().message();

  auto short_token = good_env();
  short_token["T_ADMIN"] = "tiny";
  auto weak = parse_serve_config(kConfig, env_of(short_token));
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.status().message().find("tiny"), std::string::npos);

  std::string both = kConfig;
  both.replace(both.find("\"location_id\""), 0, "\"access_token\": \"inline\", ");
  auto twice = parse_serve_config(both, env_of(good_env()));
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("access_token_env"), std::string::npos)
      << twice.status().message();

  auto bad_port = parse_serve_config(R"({"serve": {"listen_port": 70000}, "channels": []})",
                                     env_of(good_env()));
  ASSERT_FALSE(bad_port.ok());
  EXPECT_NE(bad_port.status().message().find("$.serve.listen_port"), std::string::npos);
  EXPECT_FALSE(parse_serve_config("{", env_of(good_env())).ok());
}

TEST(ServeConfig, TheExampleConfigParses) {
  std::ifstream in(INVSYNC_SERVE_EXAMPLE);
  ASSERT_TRUE(in) << INVSYNC_SERVE_EXAMPLE;
  std::stringstream text;
  text << in.rdbuf();
  const EnvLookup any = [](const std::string& name) -> std::optional<std::string> {
    return "value-of-" + name;
  };
  auto c = parse_serve_config(text.str(), any);
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->service.channels.size(), 2u);
  EXPECT_EQ(c->slack_webhook_url, "value-of-INVSYNC_SLACK_WEBHOOK_URL");
}

}  // namespace
}  // namespace invsync::app
