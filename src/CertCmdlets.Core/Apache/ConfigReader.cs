using System;
using System.IO;
using System.Text;

namespace CertCmdlets.Core.Apache
{
    /// <summary>What reading a path found: a configuration file's text, a directory to include, or nothing.</summary>
    internal enum ConfigReadKind
    {
        File,
        Directory,
        Missing,
    }

    /// <summary>One read: the text (UTF-8, a leading byte order mark removed and remembered) and the file's stat.</summary>
    internal readonly struct ConfigRead
    {
        public ConfigRead(ConfigReadKind kind, string text, bool utf8Bom, PosixStat? stat)
        {
            Kind = kind;
            Text = text;
            Utf8Bom = utf8Bom;
            Stat = stat;
        }

        public ConfigReadKind Kind { get; }

        public string Text { get; }

        public bool Utf8Bom { get; }

        public PosixStat? Stat { get; }
    }

    /// <summary>
    /// Reads configuration files the way httpd opens them (ap_pcfg_openfile): regular files only, /dev/null as empty,
    /// everything else (FIFOs, devices, sockets) refused with the path named, and never more than
    /// <see cref="MaximumFileSize"/> bytes - the cap is enforced while reading, not trusted from the file's length. On
    /// Linux and macOS the file is opened without blocking and checked with fstat on the open descriptor, so a FIFO
    /// swapped in after a check cannot make the read hang. One buffer is reused for every file of a tree.
    /// </summary>
    internal sealed class ConfigReader
    {
        /// <summary>16 MiB: far beyond any real configuration file (Debian's largest is 8 KB, 20,000 hosts make 9 MB).</summary>
        public const int MaximumFileSize = 16 * 1024 * 1024;

        private static readonly UTF8Encoding s_utf8 = new UTF8Encoding(false);
        private byte[] _buffer = new byte[64 * 1024];

        public ConfigRead Read(string path)
        {
            return PosixFile.IsSupported ? ReadPosix(path) : ReadPortable(path);
        }

        private ConfigRead ReadPosix(string path)
        {
            int descriptor = PosixFile.OpenForReading(path, out int errno);
            if (descriptor < 0)
            {
                if (errno == PosixFile.ENOENT || errno == 20)
                {
                    return new ConfigRead(ConfigReadKind.Missing, string.Empty, false, null);
                }

                throw new ApacheConfigException(path, 0, "it cannot be read: " + PosixFile.Failure(errno, path).Message);
            }

            try
            {
                if (!PosixFile.TryFStat(descriptor, out PosixStat stat))
                {
                    throw new ApacheConfigException(path, 0, "it cannot be examined (fstat failed).");
                }

                switch (stat.Kind)
                {
                    case PosixFileKind.Regular:
                        break;
                    case PosixFileKind.Directory:
                        return new ConfigRead(ConfigReadKind.Directory, string.Empty, false, stat);
                    case PosixFileKind.CharacterDevice when path == "/dev/null":
                        return new ConfigRead(ConfigReadKind.File, string.Empty, false, stat);
                    default:
                        throw NotRegular(path, stat.Kind);
                }

                if (stat.Size > MaximumFileSize)
                {
                    throw TooLarge(path, stat.Size);
                }

                // The buffer holds the whole file plus one byte, so that a file that grew since fstat is noticed.
                if (_buffer.Length < stat.Size + 1)
                {
                    _buffer = new byte[(int)Math.Min(stat.Size + 1, MaximumFileSize + 1L)];
                }

                int length = 0;
                while (true)
                {
                    if (length == _buffer.Length)
                    {
                        if (length > MaximumFileSize)
                        {
                            throw TooLarge(path, length);
                        }

                        Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, MaximumFileSize + 1L));
                    }

                    int read = PosixFile.Read(descriptor, _buffer, length, _buffer.Length - length);
                    if (read < 0)
                    {
                        throw new ApacheConfigException(path, 0, "it cannot be read: " + PosixFile.Failure(System.Runtime.InteropServices.Marshal.GetLastWin32Error(), path).Message);
                    }

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

                return Decode(length, stat);
            }
            finally
            {
                PosixFile.Close(descriptor);
            }
        }

        private ConfigRead ReadPortable(string path)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    return new ConfigRead(ConfigReadKind.Directory, string.Empty, false, null);
                }

                if (!File.Exists(path))
                {
                    return new ConfigRead(ConfigReadKind.Missing, string.Empty, false, null);
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

                return Decode(length, null);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw new ApacheConfigException(path, 0, "it cannot be read: " + ex.Message);
            }
        }

        private ConfigRead Decode(int length, PosixStat? stat)
        {
            bool bom = length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF;
            int start = bom ? 3 : 0;
            return new ConfigRead(ConfigReadKind.File, s_utf8.GetString(_buffer, start, length - start), bom, stat);
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
