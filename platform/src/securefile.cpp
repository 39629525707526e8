#include "securefile.h"

#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace poptap {
namespace {

QString errnoText(const char *what, const QString &path)
{
    return QStringLiteral("%1 %2: %3").arg(QLatin1String(what), path, QString::fromLocal8Bit(std::strerror(errno)));
}

bool writeAll(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

} // namespace

QString writeOwnerOnlyFile(const QString &path, const QByteArray &contents)
{
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp = target + ".tmp";
    ::unlink(temp.constData());
    const int fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0)
        return errnoText("cannot create", path);
    const bool written = writeAll(fd, contents) && ::fsync(fd) == 0;
    const QString writeError = written ? QString() : errnoText("cannot write", path);
    ::close(fd);
    if (!written) {
        ::unlink(temp.constData());
        return writeError;
    }
    if (::rename(temp.constData(), target.constData()) != 0) {
        const QString error = errnoText("cannot replace", path);
        ::unlink(temp.constData());
        return error;
    }
    const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
    if (const int dirFd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dirFd >= 0) {
        ::fsync(dirFd); // makes the rename itself durable
        ::close(dirFd);
    }
    return {};
}

bool isOwnerOnly(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return false;
    return (st.st_mode & (S_IRWXG | S_IRWXO)) == 0;
}

} // namespace poptap
