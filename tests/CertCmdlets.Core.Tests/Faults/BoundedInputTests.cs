using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Pkcs12;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Faults
{
    /// <summary>
    /// Every reader of certificate, key, request and PFX files, given what is not a file: /dev/zero (endless bytes,
    /// length 0), a FIFO (opening it for reading would block until a writer comes), a socket, a link to a device,
    /// and regular files whose length lies (/proc) or exceeds the cap. Each must be a clear error at once: no
    /// memory exhausted, no hang.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public sealed class BoundedInputTests : IDisposable
    {
        /// <summary>A hang guard only: each read below returns in milliseconds or it hangs for ever.</summary>
        private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(30);

        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        public static TheoryData<string> Readers => new TheoryData<string> { "certificate", "key", "pfx", "request" };

        [UnixTheoryForReaders]
        [MemberData(nameof(Readers))]
        public void DevZero_IsFileNotRegular(string reader)
        {
            CertCmdletsException error = Within(() => Read(reader, "/dev/zero"));

            Assert.Equal("FileNotRegular", error.ErrorId);
            Assert.Equal("/dev/zero", error.Target);
            Assert.Contains("a character device", error.Message, StringComparison.Ordinal);
        }

        [UnixTheoryForReaders]
        [MemberData(nameof(Readers))]
        public void Fifo_WithoutAWriter_IsFileNotRegularWithoutBlocking(string reader)
        {
            string fifo = MakeFifo("input.pem");

            CertCmdletsException error = Within(() => Read(reader, fifo));

            Assert.Equal("FileNotRegular", error.ErrorId);
            Assert.Contains("a named pipe (FIFO)", error.Message, StringComparison.Ordinal);
        }

        [UnixFact]
        public void Fifo_WithAnEndlessWriter_IsFileNotRegular()
        {
            string fifo = MakeFifo("endless.pem");
            using Process writer = Process.Start(new ProcessStartInfo("sh", new[] { "-c", $"cat /dev/zero > '{fifo}'" }) { UseShellExecute = false })!;
            try
            {
                CertCmdletsException error = Within(() => CertificateReader.ReadFile(fifo));
                Assert.Equal("FileNotRegular", error.ErrorId);
            }
            finally
            {
                writer.Kill(entireProcessTree: true);
            }
        }

        [UnixFact]
        public void Socket_IsFileNotRegular()
        {
            string path = _temp.File("server.sock");
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(path));

            CertCmdletsException error = Within(() => CertificateReader.ReadFile(path));

            Assert.Equal("FileNotRegular", error.ErrorId);
            Assert.Contains("a socket", error.Message, StringComparison.Ordinal);
        }

        [UnixFact]
        public void LinkToADevice_IsFileNotRegular()
        {
            string link = _temp.File("cert.pem");
            File.CreateSymbolicLink(link, "/dev/urandom");

            Assert.Equal("FileNotRegular", Within(() => CertificateReader.ReadFile(link)).ErrorId);
        }

        [UnixFact]
        public void RegularFileLargerThanTheCap_IsFileTooLarge_WithoutReadingIt()
        {
            string path = _temp.File("huge.pem");
            using (FileStream stream = File.Create(path))
            {
                stream.SetLength(FileInput.MaximumLength + 1); // sparse: no disk used
            }

            CertCmdletsException error = Within(() => CertificateReader.ReadFile(path));

            Assert.Equal("FileTooLarge", error.ErrorId);
        }

        [UnixFact]
        public void RegularFileWhoseLengthLies_IsCappedWhileReading()
        {
            // /proc files are regular files of length 0 with content: the cap must count what is read.
            Assert.Equal(0, new FileInfo("/proc/self/maps").Length);

            CertCmdletsException error = Within(() => FileInput.ReadAll("/proc/self/maps", 64));

            Assert.Equal("FileTooLarge", error.ErrorId);
            Assert.Contains("more than", error.Message, StringComparison.Ordinal);
        }

        private static void Read(string reader, string path)
        {
            switch (reader)
            {
                case "certificate":
                    CertificateReader.ReadFile(path);
                    break;
                case "key":
                    PrivateKeyReader.ReadFile(path, null);
                    break;
                case "pfx":
                    PfxReader.ReadFile(path, SecureText.Of("x"), NullCoreLog.Instance);
                    break;
                default:
                    CertificateRequestReader.ReadFile(path);
                    break;
            }
        }

        private string MakeFifo(string name)
        {
            string path = _temp.File(name);
            using Process mkfifo = Process.Start(new ProcessStartInfo("mkfifo", new[] { path }) { UseShellExecute = false })!;
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
            return path;
        }

        private static CertCmdletsException Within(Action read)
        {
            Task<Exception?> call = Task.Run<Exception?>(() => Record.Exception(read));
            Assert.True(call.Wait(s_hangGuard), $"the read did not return within {s_hangGuard.TotalSeconds} s: it blocks");
            return Assert.IsType<CertCmdletsException>(call.Result);
        }
    }

    /// <summary>A Unix-only theory (devices, FIFOs and sockets are Unix files).</summary>
    public sealed class UnixTheoryForReadersAttribute : TheoryAttribute
    {
        public UnixTheoryForReadersAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Unix devices, FIFOs and sockets only.";
            }
        }
    }
}
