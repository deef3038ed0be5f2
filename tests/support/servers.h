// Real servers for integration tests, run as child processes on 127.0.0.1 and stopped by the test
// that started them: ServerProcess (any program: started in its own process group, ready when it
// prints "READY <port>" or when its port accepts connections, killed and reaped in the
// destructor), ScriptServer (a tests/servers/*.py script with Debian's /usr/bin/python3 and a
// file of recorded JSON lines), MotoServer (moto_server for AWS APIs). Failures to start throw
// std::runtime_error with the child's stderr, which gtest reports as a test failure.
// Neighbours: tests/servers/ (http_sink.py, smtp_sink.py), tests/integration/.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.h"

namespace sgwatch::testing {

// Debian's interpreter, which has python3-aiosmtpd (the python3 first on PATH may not).
inline constexpr const char* kSystemPython = "/usr/bin/python3";

// The path of a script in tests/servers ("http_sink.py").
std::string server_script(std::string_view name);

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0 and closed again).
int free_port();

// Whether something accepts TCP connections on 127.0.0.1:`port`.
bool port_open(int port);

// The whole content of a file ("" when it cannot be read).
std::string read_text_file(const std::filesystem::path& path);

// A self-signed certificate for 127.0.0.1 and localhost (openssl req -x509, P-256 key, valid one
// day): `cert` serves as its own CA file. Written into `dir`; throws when openssl fails.
struct TestCertificate {
  std::filesystem::path cert;
  std::filesystem::path key;
};
TestCertificate make_test_certificate(const std::filesystem::path& dir);

enum class ReadyWhen {
  kReadyLine,  // the program prints "READY <port>" on stdout (the scripts in tests/servers)
  kPortOpen,   // 127.0.0.1:`port` accepts connections (moto_server and other programs)
};

struct ServerOptions {
  // argv[0] is a path, or a name looked up in PATH.
  std::vector<std::string> argv;
  ReadyWhen ready = ReadyWhen::kReadyLine;
  int port = 0;  // kPortOpen: the port to poll (choose it with free_port())
  std::chrono::milliseconds ready_timeout{10000};
  // Added to the environment ("NAME=value").
  std::vector<std::string> environment;
};

class ServerProcess {
 public:
  // Starts the program (stdin /dev/null, stdout and stderr to files) in a new process group
  // and waits until it is ready. Throws std::runtime_error, after killing it, when it exits or
  // is not ready in time.
  explicit ServerProcess(ServerOptions options);
  ~ServerProcess() { stop(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // "http://127.0.0.1:<port>" (or another scheme).
  std::string url(std::string_view scheme = "http") const;
  // What the program wrote so far.
  std::string output() const { return read_text_file(logs_.path() / "stdout.log"); }
  std::string errors() const { return read_text_file(logs_.path() / "stderr.log"); }
  // False once the program has exited (it is then reaped).
  bool running();
  // SIGTERM to the process group, SIGKILL when it has not exited within 3 s, reaped. Idempotent.
  void stop();

 private:
  void wait_until_ready(const ServerOptions& options);

  TempDir logs_{"sgwatch-server"};
  pid_t pid_ = -1;
  int port_ = 0;
};

// A tests/servers/*.py script run by /usr/bin/python3 with `args` and "--record <file>", where
// it writes one JSON line per request or message it receives.
class ScriptServer {
 public:
  ScriptServer(std::string_view script, std::vector<std::string> args,
               std::chrono::milliseconds ready_timeout = std::chrono::milliseconds(10000));

  int port() const { return process_.port(); }
  std::string url(std::string_view scheme = "http") const { return process_.url(scheme); }
  ServerProcess& process() { return process_; }
  // A scratch folder that lives as long as the server (for certificates, scripts, ...).
  const std::filesystem::path& dir() const { return dir_.path(); }

  // The complete lines recorded so far, parsed.
  std::vector<nlohmann::json> records() const;
  // Waits until at least `count` lines are recorded or `timeout` passes; returns what is there.
  std::vector<nlohmann::json> wait_for_records(
      std::size_t count, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) const;

 private:
  static std::vector<std::string> command(std::string_view script, std::vector<std::string> args,
                                          const std::filesystem::path& record);

  TempDir dir_{"sgwatch-script"};
  std::filesystem::path record_;
  ServerProcess process_;
};

// moto_server on 127.0.0.1 and a free port: every AWS API moto knows at endpoint_url().
// Its startup takes seconds (it imports every service), hence the long default.
class MotoServer {
 public:
  explicit MotoServer(std::chrono::milliseconds ready_timeout = std::chrono::milliseconds(60000));

  int port() const { return process_.port(); }
  std::string endpoint_url() const { return process_.url(); }
  ServerProcess& process() { return process_; }

 private:
  static ServerOptions options(std::chrono::milliseconds ready_timeout);

  ServerProcess process_;
};

}  // namespace sgwatch::testing
