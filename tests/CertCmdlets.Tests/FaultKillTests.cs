using System;

using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using CertCmdlets.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// Real kills of a real process: `Export-CertPem -Force` runs in the script host (a fresh .NET process with the
    /// module imported) and SIGKILLs itself at step N of the file writer (the step hook, set through reflection as
    /// PowerShell's own InternalTestHooks are), for every N. Then, in this process: the module's readers see the old
    /// certificate or the new one with its key; after the next write in the folder, openssl reading the raw files sees
    /// key, certificate and full chain of one generation and nothing else is left. Also umask children, concurrent
    /// writers in two processes, and a folder held by another process's flock.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public sealed class FaultKillTests : IDisposable
    {
        private const string KillScript = @"
param([string] $Folder, [int] $KillAt)
Import-Module $env:CERTCMDLETS_MANIFEST -ErrorAction Stop
$new = New-CertRequest www.example.com -SelfSign -KeyAlgorithm ECDSA
[Console]::Out.WriteLine('NEW ' + $new.Thumbprint)
$core = [AppDomain]::CurrentDomain.GetAssemblies().Where({ $_.GetName().Name -eq 'CertCmdlets.Core' })[0]
$hooks = $core.GetType('CertCmdlets.Core.IO.FileWriteHooks', $true)
$state = @{ Seen = 0; KillAt = $KillAt }
$hooks.GetProperty('Step').SetValue($null, [Action[string]] {
    param($step)
    $state.Seen++
    [Console]::Out.WriteLine('STEP ' + $step)
    if ($state.Seen -eq $state.KillAt) {
        [Console]::Out.Flush()
        [System.Diagnostics.Process]::GetCurrentProcess().Kill()
    }
}.GetNewClosure())
$null = $new | Export-CertPem -OutputDirectory $Folder -Force
[Console]::Out.WriteLine('DONE')
";

        private readonly TempDirectory _temp = new TempDirectory();
        private readonly ITestOutputHelper _output;

        public FaultKillTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public void Dispose() => _temp.Dispose();

        [PwshFact]
        public void ExportCertPemForce_KilledAtEveryStep_LeavesTheOldOrTheNewSet_AndTheNextRunCleansUp()
        {
            string script = Path.Combine(_temp.Path, "kill.ps1");
            File.WriteAllText(script, KillScript);
            using var session = new PowerShellSession(_temp.Path);

            // A run without a kill lists the steps.
            string probe = NewOldSet(session, "probe", out _);
            List<string> steps = RunChild(script, probe, 0).Where(l => l.StartsWith("STEP ", StringComparison.Ordinal)).Select(l => l.Substring(5)).ToList();
            int commit = steps.IndexOf("journal");
            Assert.True(commit > 0, "steps: " + string.Join(", ", steps));
            _output.WriteLine($"{steps.Count} steps: {string.Join(" | ", steps.Select(s => s.Replace(probe + "/", string.Empty, StringComparison.Ordinal)))}");

            var failures = new List<string>();
            var outcomes = new List<string>();
            for (int step = 1; step <= steps.Count; step++)
            {
                string folder = NewOldSet(session, $"kill-{step}", out string oldThumbprint);
                string[] lines = RunChild(script, folder, step);
                string newThumbprint = lines.Single(l => l.StartsWith("NEW ", StringComparison.Ordinal)).Substring(4);
                bool killed = !lines.Contains("DONE");
                string expected = step - 1 >= commit ? newThumbprint : oldThumbprint;
                try
                {
                    Assert.True(killed, "the child was not killed");
                    string seen = ThroughTheModule(session, folder);
                    PowerShellResult next = session.Run(
                        "New-CertRequest other.example.com -SelfSign -KeyAlgorithm ECDSA | Export-CertPem -CertificatePath ([IO.Path]::Combine($args[0], 'other.pem')) -Verbose",
                        folder);
                    next.AssertSuccess();
                    string raw = WithOpenSsl(folder);
                    string[] leftovers = Directory.EnumerateFileSystemEntries(folder, ".*").Select(Path.GetFileName).ToArray()!;
                    outcomes.Add($"kill at {step} ({steps[step - 1].Replace(probe + "/", string.Empty, StringComparison.Ordinal)}): module saw {(seen == newThumbprint ? "new" : seen == oldThumbprint ? "old" : "?")}, raw after next run {(raw == newThumbprint ? "new" : raw == oldThumbprint ? "old" : "?")}, leftovers {leftovers.Length}, recovery said: {string.Join(" / ", next.Verbose.Where(v => v.StartsWith("Completed", StringComparison.Ordinal) || v.StartsWith("Removed", StringComparison.Ordinal)).Select(v => v.Split(':')[0]))}");
                    Assert.Equal(expected, seen);
                    Assert.Equal(expected, raw);
                    Assert.Empty(leftovers);
                }
                catch (XunitException ex)
                {
                    failures.Add($"kill at step {step} ({steps[step - 1]}): {ex.Message}");
                }
            }

            foreach (string outcome in outcomes)
            {
                _output.WriteLine(outcome);
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [PwshFact]
        public void TwoProcessesRenewingOneFolderAtOnce_TakeTurns_AndLeaveOneWholeSet()
        {
            string folder = _temp.File("shared");
            string script = Path.Combine(_temp.Path, "loop.ps1");
            File.WriteAllText(script, @"
param([string] $Folder)
Import-Module $env:CERTCMDLETS_MANIFEST -ErrorAction Stop
foreach ($i in 1..5) {
    $null = New-CertRequest www.example.com -SelfSign -KeyAlgorithm ECDSA | Export-CertPem -OutputDirectory $Folder -Force -ErrorAction Stop
}
'DONE'
");
            Task<(int ExitCode, string Output, string Error)>[] runs = Enumerable.Range(0, 2)
                .Select(_ => Task.Run(() => Pwsh.RunFile(_temp.Path, script, "-Folder", folder)))
                .ToArray();
            Task.WaitAll(runs);

            foreach ((int exitCode, string output, string error) in runs.Select(r => r.Result))
            {
                Assert.True(exitCode == 0 && output.Contains("DONE", StringComparison.Ordinal), $"exit {exitCode}: {error}{output}");
            }

            WithOpenSsl(folder);
            Assert.Empty(Directory.EnumerateFileSystemEntries(folder, ".*"));
        }

        [Fact]
        public void FolderLockedByAnotherProcess_IsOutputDirectoryLocked_AfterTheWait()
        {
            // flock(1) holds the same advisory lock on the folder that the module takes.
            string folder = _temp.File("held");
            Directory.CreateDirectory(folder);
            using Process holder = Process.Start(new ProcessStartInfo("flock", new[] { folder, "sleep", "120" }) { UseShellExecute = false })!;
            try
            {
                System.Threading.Thread.Sleep(500);
                using var session = new PowerShellSession(_temp.Path);
                var watch = Stopwatch.StartNew();

                PowerShellResult result = session.Run("New-CertRequest www.example.com -SelfSign -KeyAlgorithm ECDSA | Export-CertPem -OutputDirectory $args[0]", folder);

                watch.Stop();
                _output.WriteLine($"OutputDirectoryLocked after {watch.Elapsed.TotalSeconds:0.0} s");
                ErrorRecord error = Assert.Single(result.Errors);
                Assert.Equal("OutputDirectoryLocked,CertCmdlets.Commands.ExportCertPemCommand", error.FullyQualifiedErrorId);
                Assert.Equal(folder, error.TargetObject);
                Assert.Contains(folder, error.Exception.Message, StringComparison.Ordinal);
                Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
            }
            finally
            {
                holder.Kill();
            }
        }

        [RootTheory]
        [InlineData("000")]
        [InlineData("077")]
        public void UnderAnyUmask_NewFoldersAndFilesGetExactModes_AndRenewalsKeepOwnerGroupMode(string umask)
        {
            string keyFolder = _temp.File("site/private");
            string chainFolder = _temp.File("chains/public");
            string renewed = _temp.File("renewed");
            string script = Path.Combine(_temp.Path, "umask.ps1");
            File.WriteAllText(script, @"
param([string] $KeyFolder, [string] $ChainFile, [string] $Renewed)
Import-Module $env:CERTCMDLETS_MANIFEST -ErrorAction Stop
$c = New-CertRequest www.example.com -SelfSign -KeyAlgorithm ECDSA
$null = $c | Export-CertPem -OutputDirectory $KeyFolder -ErrorAction Stop
$null = $c | Join-CertChain -OutFile $ChainFile -ErrorAction Stop
$null = New-CertRequest www.example.com -SelfSign -KeyAlgorithm ECDSA | Export-CertPem -OutputDirectory $Renewed -Force -ErrorAction Stop
'DONE'
");
            // The renewed folder holds a key 0640 root:ssl-cert-like group and a certificate of another user.
            Directory.CreateDirectory(renewed);
            using (var session = new PowerShellSession(_temp.Path))
            {
                session.Run("New-CertRequest old.example.com -SelfSign -KeyAlgorithm ECDSA | Export-CertPem -OutputDirectory $args[0] -Force", renewed).AssertSuccess();
            }

            Shell($"chown 0:103 '{renewed}/key.pem' && chmod 640 '{renewed}/key.pem' && chown 4321:4321 '{renewed}/cert.pem' && chmod 644 '{renewed}/cert.pem'");

            string output = Shell($"umask {umask} && CERTCMDLETS_MANIFEST='{Repository.Manifest}' exec '{Pwsh.Path}' -NoProfile -NonInteractive -File '{script}' -KeyFolder '{keyFolder}' -ChainFile '{chainFolder}/fullchain.pem' -Renewed '{renewed}'");

            Assert.Contains("DONE", output, StringComparison.Ordinal);
            Assert.Equal("700", Shell($"stat -c %a '{keyFolder}'").Trim());
            Assert.Equal("755", Shell($"stat -c %a '{_temp.File("site")}'").Trim());
            Assert.Equal("755", Shell($"stat -c %a '{chainFolder}'").Trim());
            Assert.Equal("600", Shell($"stat -c %a '{keyFolder}/key.pem'").Trim());
            Assert.Equal("644", Shell($"stat -c %a '{keyFolder}/cert.pem'").Trim());
            Assert.Equal("644", Shell($"stat -c %a '{chainFolder}/fullchain.pem'").Trim());
            Assert.Equal("0:103 640", Shell($"stat -c '%u:%g %a' '{renewed}/key.pem'").Trim());
            Assert.Equal("4321:4321 644", Shell($"stat -c '%u:%g %a' '{renewed}/cert.pem'").Trim());
        }

        /// <summary>A folder holding an old self-signed set (key, cert, fullchain), written by the module; returns it.</summary>
        private string NewOldSet(PowerShellSession session, string name, out string thumbprint)
        {
            string folder = _temp.File(name);
            PowerShellResult result = session.Run("(New-CertRequest www.example.com -SelfSign -KeyAlgorithm ECDSA | Export-CertPem -OutputDirectory $args[0]).Thumbprint", folder);
            result.AssertSuccess();
            thumbprint = result.Output.Single().ToString();
            return folder;
        }

        private static string[] RunChild(string script, string folder, int killAt)
        {
            (int exitCode, string output, string error) = Pwsh.RunFile(Path.GetDirectoryName(script)!, script, "-Folder", folder, "-KillAt", killAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (killAt == 0 && (exitCode != 0 || !lines.Contains("DONE")))
            {
                throw new XunitException($"the child failed (exit {exitCode}): {error}{output}");
            }

            return lines;
        }

        /// <summary>The thumbprint Import-CertFile reads from fullchain.pem with key.pem attached (an error if the key does not match).</summary>
        private static string ThroughTheModule(PowerShellSession session, string folder)
        {
            PowerShellResult result = session.Run(
                "$c = Import-CertFile -LiteralPath ([IO.Path]::Combine($args[0], 'fullchain.pem')) -KeyPath ([IO.Path]::Combine($args[0], 'key.pem')); " +
                "$d = Import-CertFile -LiteralPath ([IO.Path]::Combine($args[0], 'cert.pem')); if ($c.Thumbprint -ne $d.Thumbprint -or -not $c.HasPrivateKey) { throw 'cert.pem and fullchain.pem differ' }; $c.Thumbprint",
                folder);
            result.AssertSuccess();
            return result.Output.Single().ToString();
        }

        /// <summary>openssl on the raw files: key, cert and full chain must hold one key pair; returns cert.pem's SHA-1 thumbprint.</summary>
        private static string WithOpenSsl(string folder)
        {
            string key = OpenSsl.Expect(folder, "pkey", "-in", "key.pem", "-pubout");
            string certificate = OpenSsl.Expect(folder, "x509", "-in", "cert.pem", "-noout", "-pubkey");
            string fullChain = OpenSsl.Expect(folder, "x509", "-in", "fullchain.pem", "-noout", "-pubkey");
            if (key != certificate || key != fullChain)
            {
                throw new XunitException($"key.pem, cert.pem and fullchain.pem of '{folder}' do not hold one key pair.");
            }

            string fingerprint = OpenSsl.Expect(folder, "x509", "-in", "cert.pem", "-noout", "-fingerprint", "-sha1");
            return fingerprint.Substring(fingerprint.IndexOf('=', StringComparison.Ordinal) + 1).Trim().Replace(":", string.Empty, StringComparison.Ordinal);
        }

        private static string Shell(string command)
        {
            var start = new ProcessStartInfo("sh", new[] { "-c", command }) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new XunitException($"'{command}' did not finish in 120 s.");
            }

            if (process.ExitCode != 0)
            {
                throw new XunitException($"'{command}' exited {process.ExitCode}: {error.Result}{output.Result}");
            }

            return output.Result;
        }
    }

    /// <summary>A test that gives files to other owners (chown): root only; skipped elsewhere with the reason.</summary>
    public sealed class RootTheoryAttribute : TheoryAttribute
    {
        public RootTheoryAttribute()
        {
            if (OperatingSystem.IsWindows() || Environment.UserName != "root")
            {
                Skip = "Needs root on Unix, to give the old files another owner and group (chown).";
            }
        }
    }
}
