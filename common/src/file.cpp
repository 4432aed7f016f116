#include "todoke/common/file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace todoke {

Result<std::string> ReadFileBytes(const std::filesystem::path& path, std::string_view what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::string message = "cannot read ";
        message.append(what).append(" ").append(path.string()).append(": ");
        message += std::strerror(errno);
        return Fail(ErrorCode::kNotFound, std::move(message), "io.read");
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Result<void> WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
    // Unique per process and call, so that threads writing the same path do not share a file.
    static std::atomic<std::uint64_t> sequence{0};
    const std::string tmp = path.string() + ".tmp." + std::to_string(::getpid()) + "." +
                            std::to_string(sequence.fetch_add(1));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return Fail(ErrorCode::kUnavailable, "cannot write " + tmp + ": " + std::strerror(errno),
                    "io.write");
    }
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            std::string message = "cannot write " + tmp;
            message += ": ";
            message += why;
            return Fail(ErrorCode::kUnavailable, std::move(message), "io.write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        return Fail(ErrorCode::kUnavailable, "cannot flush " + tmp, "io.write");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        return Fail(ErrorCode::kUnavailable, "cannot rename to " + path.string() + ": " + why,
                    "io.write");
    }
    // The rename itself is durable only once the folder is flushed.
    const std::string dir = path.has_parent_path() ? path.parent_path().string() : ".";
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0 || ::fsync(dir_fd) != 0) {
        if (dir_fd >= 0) ::close(dir_fd);
        return Fail(ErrorCode::kUnavailable, "cannot flush the folder " + dir, "io.write");
    }
    ::close(dir_fd);
    return Ok();
}

}  // namespace todoke
