// Implementation of servers.h with posix_spawnp (a new process group, no shell), log files for
// the child's output, and polling with a deadline for readiness.
#include "support/servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "support/subprocess.h"

extern char** environ;

namespace sgwatch::testing {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// The port of the first "READY <port>" line of `output`; 0 when there is none yet.
int ready_port(const std::string& output) {
  std::size_t at = 0;
  while (at < output.size()) {
    const std::size_t end = output.find('\n', at);
    if (end == std::string::npos) break;
    const std::string line = output.substr(at, end - at);
    if (line.rfind("READY ", 0) == 0) {
      try {
        return std::stoi(line.substr(6));
      } catch (const std::exception&) {
        return 0;
      }
    }
    at = end + 1;
  }
  return 0;
}

}  // namespace

std::string server_script(std::string_view name) {
  return std::string(SGWATCH_SOURCE_DIR) + "/tests/servers/" + std::string(name);
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("free_port: socket failed");
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("free_port: bind failed");
  }
  close(fd);
  return ntohs(address.sin_port);
}

bool port_open(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const sockaddr_in address = loopback(port);
  const bool open = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return open;
}

std::string read_text_file(const std::filesystem::path& path) {
  std::string text;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fd);
  return text;
}

TestCertificate make_test_certificate(const std::filesystem::path& dir) {
  TestCertificate made{dir / "test-cert.pem", dir / "test-key.pem"};
  const ProcessResult result =
      run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                   "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", made.key.string(), "-out",
                   made.cert.string(), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                   "subjectAltName=IP:127.0.0.1,DNS:localhost"});
  if (result.exit_code != 0) throw std::runtime_error("openssl req failed: " + result.err);
  return made;
}

ServerProcess::ServerProcess(ServerOptions options) {
  if (options.argv.empty()) throw std::runtime_error("ServerProcess: no program");
  const std::string out_log = (logs_.path() / "stdout.log").string();
  const std::string err_log = (logs_.path() / "stderr.log").string();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);

  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) environment.emplace_back(*e);
  environment.insert(environment.end(), options.environment.begin(), options.environment.end());
  std::vector<char*> env;
  for (std::string& e : environment) env.push_back(e.data());
  env.push_back(nullptr);
  std::vector<char*> args;
  for (std::string& a : options.argv) args.push_back(a.data());
  args.push_back(nullptr);

  const int rc = posix_spawnp(&pid_, args[0], &actions, &attributes, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + options.argv[0] + ": " + std::strerror(rc));
  }
  try {
    wait_until_ready(options);
  } catch (...) {
    stop();
    throw;
  }
}

void ServerProcess::wait_until_ready(const ServerOptions& options) {
  const auto deadline = Clock::now() + options.ready_timeout;
  for (;;) {
    if (options.ready == ReadyWhen::kReadyLine) {
      port_ = ready_port(output());
      if (port_ != 0) return;
    } else if (port_open(options.port)) {
      port_ = options.port;
      return;
    }
    if (!running()) {
      throw std::runtime_error(options.argv[0] + " exited before it was ready; stderr:\n" +
                               errors());
    }
    if (Clock::now() > deadline) {
      throw std::runtime_error(options.argv[0] + " was not ready within " +
                               std::to_string(options.ready_timeout.count()) + " ms; stderr:\n" +
                               errors());
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
}

std::string ServerProcess::url(std::string_view scheme) const {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_);
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  // Exited (and reaped): what is left of its group is killed by stop().
  kill(-pid_, SIGKILL);
  pid_ = -1;
  return false;
}

void ServerProcess::stop() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGTERM);
  const auto deadline = Clock::now() + milliseconds(3000);
  int status = 0;
  pid_t r = 0;
  while ((r = waitpid(pid_, &status, WNOHANG)) == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  // The group id stays reserved while any member lives, so this reaches only the server's own.
  kill(-pid_, SIGKILL);
  if (r == 0) waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::vector<std::string> ScriptServer::command(std::string_view script,
                                               std::vector<std::string> args,
                                               const std::filesystem::path& record) {
  std::vector<std::string> argv{kSystemPython, server_script(script)};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--record");
  argv.push_back(record.string());
  return argv;
}

ScriptServer::ScriptServer(std::string_view script, std::vector<std::string> args,
                           std::chrono::milliseconds ready_timeout)
    : record_(dir_.path() / "records.jsonl"),
      process_(ServerOptions{
          command(script, std::move(args), record_), ReadyWhen::kReadyLine, 0, ready_timeout, {}}) {
}

std::vector<nlohmann::json> ScriptServer::records() const {
  const std::string text = read_text_file(record_);
  std::vector<nlohmann::json> out;
  std::size_t at = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', at)) {
    out.push_back(nlohmann::json::parse(text.substr(at, end - at)));
    at = end + 1;
  }
  return out;
}

std::vector<nlohmann::json> ScriptServer::wait_for_records(
    std::size_t count, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto found = records();
    if (found.size() >= count || Clock::now() > deadline) return found;
    std::this_thread::sleep_for(milliseconds(10));
  }
}

ServerOptions MotoServer::options(std::chrono::milliseconds ready_timeout) {
  const int port = free_port();
  return ServerOptions{{"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)},
                       ReadyWhen::kPortOpen,
                       port,
                       ready_timeout,
                       {}};
}

MotoServer::MotoServer(std::chrono::milliseconds ready_timeout)
    : process_(options(ready_timeout)) {}

}  // namespace sgwatch::testing
