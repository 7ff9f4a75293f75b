using System;
using System.IO;

namespace CertCmdlets.Core.Apache
{
    /// <summary>What reading a path found: a configuration file's text, a directory to include, or nothing.</summary>
    internal enum ConfigReadKind
    {
        File,
        Directory,
        Missing,
    }

    /// <summary>One read: the file's bytes, exactly as they are, and its stat.</summary>
    internal readonly struct ConfigRead
    {
        public ConfigRead(ConfigReadKind kind, byte[] bytes, PosixStat? stat)
        {
            Kind = kind;
            Bytes = bytes;
            Stat = stat;
        }

        public ConfigReadKind Kind { get; }

        public byte[] Bytes { get; }

        public PosixStat? Stat { get; }
    }

    /// <summary>
    /// Reads configuration files the way httpd opens them (ap_pcfg_openfile): regular files only, /dev/null as empty,
    /// everything else (FIFOs, devices, sockets) refused with the path named, and never more than
    /// <see cref="MaximumFileSize"/> bytes. On Linux and macOS the file is opened without blocking and checked with
    /// fstat on the open descriptor (so a FIFO swapped in after a check cannot make the read hang, and a device's length
    /// of 0 is never trusted: it is refused for what it is), then read into an array of exactly the size fstat gave -
    /// never more, even if the file grows meanwhile. Elsewhere (Windows) the cap is counted while reading.
    /// </summary>
    internal sealed class ConfigReader
    {
        /// <summary>16 MiB: far beyond any real configuration file (Debian's largest is 8 KB, 20,000 hosts make 9 MB).</summary>
        public const int MaximumFileSize = 16 * 1024 * 1024;

        private readonly byte[] _stat = new byte[PosixFile.StatBufferSize];
        private byte[] _buffer = new byte[16 * 1024];
        private byte[]? _path;

        public ConfigRead Read(string path)
        {
            if (path.IndexOf('\0') >= 0)
            {
                throw new ApacheConfigException(path.Replace("\0", "\\0"), 0, "the path holds a NUL character, which no file name can.");
            }

            return PosixFile.IsSupported ? ReadPosix(path) : ReadPortable(path);
        }

        private ConfigRead ReadPosix(string path)
        {
            int descriptor = PosixFile.OpenForReading(path, ref _path, out int errno);
            if (descriptor < 0)
            {
                if (errno == PosixFile.ENOENT || errno == 20)
                {
                    return new ConfigRead(ConfigReadKind.Missing, Array.Empty<byte>(), null);
                }

                throw new ApacheConfigException(path, 0, "it cannot be read: " + PosixFile.Failure(errno, path).Message);
            }

            try
            {
                if (!PosixFile.TryFStat(descriptor, _stat, out PosixStat stat))
                {
                    throw new ApacheConfigException(path, 0, "it cannot be examined (fstat failed).");
                }

                switch (stat.Kind)
                {
                    case PosixFileKind.Regular:
                        break;
                    case PosixFileKind.Directory:
                        return new ConfigRead(ConfigReadKind.Directory, Array.Empty<byte>(), stat);
                    case PosixFileKind.CharacterDevice when path == "/dev/null":
                        return new ConfigRead(ConfigReadKind.File, Array.Empty<byte>(), stat);
                    default:
                        throw NotRegular(path, stat.Kind);
                }

                if (stat.Size > MaximumFileSize)
                {
                    throw TooLarge(path, stat.Size);
                }

                // An array of exactly the size fstat gave (at most the cap): no second copy, and never more bytes
                // than that, even if a writer appends meanwhile (that read sees the file as it was at fstat).
                var bytes = stat.Size == 0 ? Array.Empty<byte>() : new byte[stat.Size];
                int length = ReadInto(descriptor, bytes, path);
                if (length < bytes.Length)
                {
                    Array.Resize(ref bytes, length);
                }

                return new ConfigRead(ConfigReadKind.File, bytes, stat);
            }
            finally
            {
                PosixFile.Close(descriptor);
            }
        }

        private static int ReadInto(int descriptor, byte[] bytes, string path)
        {
            int length = 0;
            while (length < bytes.Length)
            {
                int read = PosixFile.Read(descriptor, bytes, length, bytes.Length - length);
                if (read < 0)
                {
                    throw new ApacheConfigException(path, 0, "it cannot be read: " + PosixFile.Failure(System.Runtime.InteropServices.Marshal.GetLastWin32Error(), path).Message);
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return length;
        }

        private ConfigRead ReadPortable(string path)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    return new ConfigRead(ConfigReadKind.Directory, Array.Empty<byte>(), null);
                }

                if (!File.Exists(path))
                {
                    return new ConfigRead(ConfigReadKind.Missing, Array.Empty<byte>(), null);
                }

                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
                int length = 0;
                while (true)
                {
                    if (length == _buffer.Length)
                    {
                        Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, MaximumFileSize + 1L));
                    }

                    int read = stream.Read(_buffer, length, _buffer.Length - length);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > MaximumFileSize)
                    {
                        throw TooLarge(path, length);
                    }
                }

                var bytes = new byte[length];
                Array.Copy(_buffer, bytes, length);
                return new ConfigRead(ConfigReadKind.File, bytes, null);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw new ApacheConfigException(path, 0, "it cannot be read: " + ex.Message);
            }
        }

        private static ApacheConfigException TooLarge(string path, long size) =>
            new ApacheConfigException(path, 0, $"it is larger than {MaximumFileSize / (1024 * 1024)} MiB ({size:N0} bytes read); no httpd configuration file is that big, so it is not read.");

        private static ApacheConfigException NotRegular(string path, PosixFileKind kind)
        {
            string what = kind switch
            {
                PosixFileKind.Fifo => "a FIFO (named pipe)",
                PosixFileKind.CharacterDevice => "a character device",
                PosixFileKind.BlockDevice => "a block device",
                PosixFileKind.Socket => "a socket",
                _ => "not a regular file",
            };
            return new ApacheConfigException(path, 0, $"it is {what}, not a regular file; httpd refuses to read it as configuration (\"not a regular file\"), and so does this module.");
        }
    }
}
