// packaging/systemd/sgwatch.service passes `systemd-analyze verify` (with ExecStart pointed at the
// binary under test), and its command line is one that `sgwatch serve` accepts. A broken copy
// makes the verifier complain, so the check can fail.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace sgwatch::testing {
namespace {

namespace fs = std::filesystem;

std::string unit_text() {
  std::ifstream in(SGWATCH_SOURCE_DIR "/packaging/systemd/sgwatch.service");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

ProcessResult verify(const std::string& text) {
  TempDir dir("sgwatch-unit");
  const fs::path unit = dir.path() / "sgwatch.service";
  std::ofstream(unit) << text;
  return run_process({"/usr/bin/systemd-analyze", "verify", "--man=no", unit.string()});
}

TEST(SystemdUnit, VerifiesCleanly) {
  ASSERT_TRUE(fs::exists("/usr/bin/systemd-analyze")) << "systemd is needed (scripts/install-deps installs it)";
  const std::string text = unit_text();
  ASSERT_NE(text.find("ExecStart=/usr/local/bin/sgwatch serve"), std::string::npos);
  const ProcessResult result = verify(replace_all(text, "/usr/local/bin/sgwatch", sgwatch_binary()));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "") << "systemd-analyze verify complained";
}

TEST(SystemdUnit, ABrokenUnitIsReported) {
  const std::string broken =
      replace_all(replace_all(unit_text(), "/usr/local/bin/sgwatch", sgwatch_binary()), "Restart=on-failure",
                  "Restart=sometimes");
  const ProcessResult result = verify(broken);
  EXPECT_NE(result.err.find("sometimes"), std::string::npos) << result.err;
}

TEST(SystemdUnit, ItsCommandLineIsOneServeAccepts) {
  // The flags of ExecStart, with --help: CLI11 rejects an unknown flag before it prints help.
  const ProcessResult result = run_process(
      {sgwatch_binary(), "serve", "--config", "/etc/sgwatch/sgwatch.yaml", "--state-dir", "/var/lib/sgwatch", "--help"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

}  // namespace
}  // namespace sgwatch::testing
