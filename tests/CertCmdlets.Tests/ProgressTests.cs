using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Threading;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// Progress records as a user sees them: written only for work that lasts over a second, only in an interactive
    /// session, and always completed. The slow work is real: a download of a missing issuer from a loopback HTTP
    /// server that waits before answering (the certificates are made by openssl, with the server's URL as their
    /// caIssuers), and an RSA 4096 key. "Interactive" is a host with a user interface (as the ISE or VS Code are);
    /// the engine's Default Host (a hosted runspace, a job) is not.
    /// </summary>
    public sealed class ProgressTests
    {
        [OpenSslFact]
        public void ASlowDownloadShowsProgressInAnInteractiveSessionAndCompletesIt()
        {
            using var work = new TempDirectory();
            using var server = new SlowIssuerServer(TimeSpan.FromMilliseconds(1800));
            MakeLeafWithIssuerUrl(work.Path, server);
            var host = new InteractiveHost();
            (_, PowerShellResult result) = Run(host, work.Path, "Import-CertFile ./leaf.pem | Join-CertChain -Download -TrustedRootPath ./ca.pem");
            result.AssertSuccess();
            List<ProgressRecord> records = host.ProgressRecords;
            Assert.Single(result.Output);
            Assert.Equal(1, server.Requests);

            Assert.NotEmpty(records);
            Assert.All(records, r => Assert.StartsWith("Downloading the issuer of 'CN=www.example.test'", r.Activity, StringComparison.Ordinal));
            Assert.Single(records.Select(r => r.ActivityId).Distinct());
            Assert.All(records.Take(records.Count - 1), r => Assert.Equal(ProgressRecordType.Processing, r.RecordType));
            Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
            Assert.Contains(records, r => r.StatusDescription.Contains(server.Url, StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void ADownloadUnderASecondShowsNoProgress()
        {
            using var work = new TempDirectory();
            using var server = new SlowIssuerServer(TimeSpan.Zero);
            MakeLeafWithIssuerUrl(work.Path, server);
            var host = new InteractiveHost();
            (List<ProgressRecord> streamed, PowerShellResult result) = Run(host, work.Path, "Import-CertFile ./leaf.pem | Join-CertChain -Download -TrustedRootPath ./ca.pem");
            result.AssertSuccess();
            Assert.Equal(1, server.Requests);
            Assert.Empty(host.ProgressRecords);
            Assert.Empty(streamed);
        }

        [OpenSslFact]
        public void ASessionWithoutAUserInterfaceGetsNoProgressRecords()
        {
            using var work = new TempDirectory();
            using var server = new SlowIssuerServer(TimeSpan.FromMilliseconds(1800));
            MakeLeafWithIssuerUrl(work.Path, server);
            (List<ProgressRecord> records, PowerShellResult result) = Run(null, work.Path, "Import-CertFile ./leaf.pem | Join-CertChain -Download -TrustedRootPath ./ca.pem");
            result.AssertSuccess();
            Assert.Equal(1, server.Requests);
            Assert.Empty(records);
        }

        [Fact]
        public void AnRsa4096KeyShowsProgressPastASecondAndCompletesIt()
        {
            using var work = new TempDirectory();
            var host = new InteractiveHost();
            var stopwatch = Stopwatch.StartNew();
            (_, PowerShellResult result) = Run(host, work.Path, "New-CertRequest www.example.test -KeySize 4096");
            stopwatch.Stop();
            result.AssertSuccess();
            List<ProgressRecord> records = host.ProgressRecords;
            Assert.Equal("RSA 4096", (string)result.Output[0].Properties["KeyAlgorithm"].Value);

            // Key generation is a random search: decide by how long this one took. Records appear from the first
            // 200 ms tick past one second; a run under a second has none.
            if (stopwatch.Elapsed < TimeSpan.FromSeconds(1))
            {
                Assert.Empty(records);
                return;
            }

            if (stopwatch.Elapsed > TimeSpan.FromSeconds(2.5))
            {
                Assert.NotEmpty(records);
            }

            if (records.Count > 0)
            {
                Assert.All(records, r => Assert.Equal("Making a new RSA 4096 key", r.Activity));
                Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
                Assert.All(records.Take(records.Count - 1), r => Assert.Equal(ProgressRecordType.Processing, r.RecordType));
            }
        }

        [Fact]
        public void AnEcdsaKeyIsMadeWithoutProgress()
        {
            using var work = new TempDirectory();
            var host = new InteractiveHost();
            (List<ProgressRecord> streamed, PowerShellResult result) = Run(host, work.Path, "New-CertRequest www.example.test -KeyAlgorithm ECDSA");
            result.AssertSuccess();
            Assert.Empty(host.ProgressRecords);
            Assert.Empty(streamed);
        }

        /// <summary>
        /// Runs a script in a new runspace (with <paramref name="host"/>, or the engine's Default Host); returns the
        /// progress records of the pipeline's progress stream (the host's own are in <see cref="InteractiveHost.ProgressRecords"/>).
        /// </summary>
        private static (List<ProgressRecord> Records, PowerShellResult Result) Run(PSHost? host, string location, string script)
        {
            using Runspace runspace = host is null
                ? RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2())
                : RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
            runspace.Open();
            using (PowerShell setup = PowerShell.Create())
            {
                setup.Runspace = runspace;
                setup.AddScript("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Import-Module -Name $args[1] -ErrorAction Stop").AddArgument(location).AddArgument(Repository.Manifest);
                PowerShellSession.Invoke(setup).AssertSuccess();
            }

            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddScript(script);
            PowerShellResult result = PowerShellSession.Invoke(shell);
            List<ProgressRecord> records = shell.Streams.Progress.ToList();
            return (records, result);
        }

        /// <summary>
        /// A root (ca.pem, trusted by the scripts), an intermediate that only the server has, and a leaf signed by it
        /// whose caIssuers URL is the server's: the chain is complete only once the intermediate is downloaded.
        /// </summary>
        private static void MakeLeafWithIssuerUrl(string directory, SlowIssuerServer server)
        {
            OpenSsl.Expect(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "30", "-subj", "/CN=Progress Test Root", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            OpenSsl.Expect(directory, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "intermediate.key", "-out", "intermediate.csr", "-subj", "/CN=Progress Test Intermediate");
            File.WriteAllText(Path.Combine(directory, "intermediate.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
            OpenSsl.Expect(directory, "x509", "-req", "-in", "intermediate.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "intermediate.pem", "-days", "25", "-extfile", "intermediate.ext");
            OpenSsl.Expect(directory, "x509", "-in", "intermediate.pem", "-outform", "DER", "-out", "intermediate.der");
            OpenSsl.Expect(directory, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=www.example.test");
            File.WriteAllText(Path.Combine(directory, "leaf.ext"),
                $"basicConstraints=CA:FALSE\nsubjectAltName=DNS:www.example.test\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\nauthorityInfoAccess=caIssuers;URI:{server.Url}\n");
            OpenSsl.Expect(directory, "x509", "-req", "-in", "leaf.csr", "-CA", "intermediate.pem", "-CAkey", "intermediate.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "20", "-extfile", "leaf.ext");
            server.Body = File.ReadAllBytes(Path.Combine(directory, "intermediate.der"));
        }

        /// <summary>An HTTP server on 127.0.0.1 that answers every request with <see cref="Body"/> after a delay.</summary>
        private sealed class SlowIssuerServer : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly TimeSpan _delay;
            private readonly Thread _thread;
            private int _requests;

            public SlowIssuerServer(TimeSpan delay)
            {
                _delay = delay;
                _listener.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/issuer.cer";
                _thread = new Thread(Serve) { IsBackground = true, Name = "SlowIssuerServer" };
                _thread.Start();
            }

            public string Url { get; }

            public byte[] Body { get; set; } = Array.Empty<byte>();

            public int Requests => Volatile.Read(ref _requests);

            public void Dispose() => _listener.Stop();

            private void Serve()
            {
                while (true)
                {
                    TcpClient client;
                    try
                    {
                        client = _listener.AcceptTcpClient();
                    }
                    catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is InvalidOperationException)
                    {
                        return;
                    }

                    using (client)
                    {
                        try
                        {
                            NetworkStream stream = client.GetStream();
                            var request = new StringBuilder();
                            var buffer = new byte[4096];
                            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                            {
                                int read = stream.Read(buffer, 0, buffer.Length);
                                if (read == 0)
                                {
                                    break;
                                }

                                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                            }

                            Interlocked.Increment(ref _requests);
                            Thread.Sleep(_delay);
                            byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n");
                            stream.Write(head, 0, head.Length);
                            stream.Write(Body, 0, Body.Length);
                        }
                        catch (IOException)
                        {
                        }
                    }
                }
            }
        }

        /// <summary>A host with a user interface, as an interactive one has; it keeps the progress records it is given.</summary>
        private sealed class InteractiveHost : PSHost
        {
            private readonly RecordingUserInterface _ui = new RecordingUserInterface();

            public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

            public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

            public override Guid InstanceId { get; } = Guid.NewGuid();

            public override string Name => "CertCmdlets.Tests.InteractiveHost";

            public override PSHostUserInterface UI => _ui;

            public override Version Version => new Version(1, 0);

            public List<ProgressRecord> ProgressRecords => _ui.ProgressRecords;

            public override void EnterNestedPrompt() => throw new NotSupportedException();

            public override void ExitNestedPrompt() => throw new NotSupportedException();

            public override void NotifyBeginApplication()
            {
            }

            public override void NotifyEndApplication()
            {
            }

            public override void SetShouldExit(int exitCode)
            {
            }

            private sealed class RecordingUserInterface : PSHostUserInterface
            {
                public List<ProgressRecord> ProgressRecords { get; } = new List<ProgressRecord>();

                public override PSHostRawUserInterface RawUI => null!;

                public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();

                public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException();

                public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

                public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

                public override string ReadLine() => throw new NotSupportedException();

                public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();

                public override void Write(string value)
                {
                }

                public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
                {
                }

                public override void WriteLine(string value)
                {
                }

                public override void WriteDebugLine(string message)
                {
                }

                public override void WriteErrorLine(string value)
                {
                }

                public override void WriteProgress(long sourceId, ProgressRecord record)
                {
                    lock (ProgressRecords)
                    {
                        ProgressRecords.Add(record);
                    }
                }

                public override void WriteVerboseLine(string message)
                {
                }

                public override void WriteWarningLine(string message)
                {
                }
            }
        }
    }
}
