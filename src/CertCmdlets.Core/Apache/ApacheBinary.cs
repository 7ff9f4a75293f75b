using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// The httpd program of an installation: what it is (version, modules compiled in), its configuration test, its
    /// graceful restart. Finding it runs nothing; the version and the module list are asked for only when needed
    /// (<c>httpd -v</c>, <c>httpd -l</c>) and kept per program file - path, size and modification time - for the whole
    /// process: immutable facts, so a second command does not ask again, and a replaced program is asked anew.
    /// </summary>
    /// <remarks>
    /// Trust: the program comes from an explicit -HttpdPath or from the system (/usr/sbin, PATH). A program inside the
    /// configuration folder (<c>ServerRoot/bin/httpd</c>, as private builds have it) is used only when it and its folder
    /// belong to root or to the current user and neither is writable by group or others; otherwise whoever can write
    /// there could make a renewal run their code, so it is named in a warning and not run.
    /// Every child process gets a deadline: both output streams are read asynchronously, and at the deadline the
    /// process and everything it started are killed and <c>ApacheProgramTimeout</c> is reported.
    /// </remarks>
    internal sealed class ApacheBinary
    {
        private static readonly Regex s_version = new Regex(@"Apache/(\d+)\.(\d+)\.(\d+)", RegexOptions.CultureInvariant);
        // Facts about a program file, keyed by path, size and modification time: written once, never changed.
        private static readonly ConcurrentDictionary<string, Version?> s_versions = new ConcurrentDictionary<string, Version?>(StringComparer.Ordinal);
        private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> s_modules = new ConcurrentDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        private static readonly MethodInfo? s_killTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });
        private static readonly PropertyInfo? s_argumentList = typeof(ProcessStartInfo).GetProperty("ArgumentList");
        private readonly string _identity;

        private ApacheBinary(string executable, Dictionary<string, string> environment, IReadOnlyList<string> defines, TimeSpan timeout)
        {
            Executable = executable;
            Environment = environment;
            Defines = defines;
            Timeout = timeout;
            _identity = Identity(executable);
        }

        public string Executable { get; }

        /// <summary>Variables httpd needs (Debian's envvars); also used to expand ${VAR} in the configuration.</summary>
        public Dictionary<string, string> Environment { get; }

        /// <summary>The -D names httpd runs with (from the options and from APACHE_ARGUMENTS in envvars).</summary>
        public IReadOnlyList<string> Defines { get; }

        /// <summary>How long one run of the program may take.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>The version <c>httpd -v</c> prints, asked once per program file; null when it names none.</summary>
        public Version? Version => s_versions.TryGetValue(_identity, out Version? known) ? known : s_versions.GetOrAdd(_identity, AskVersion());

        /// <summary>The modules compiled into the program (<c>httpd -l</c>: "core.c", "mod_so.c"...), asked once per program file.</summary>
        public IReadOnlyList<string> CompiledModules => s_modules.TryGetValue(_identity, out IReadOnlyList<string>? known) ? known : s_modules.GetOrAdd(_identity, AskModules());

        /// <summary>
        /// The httpd of this layout, or null when none is installed (the editor then works without a configuration
        /// test). Runs nothing. <paramref name="log"/> gets a warning for an untrusted program in the configuration folder.
        /// </summary>
        public static ApacheBinary? Find(ApacheLayout layout, string? explicitPath, IEnumerable<string>? defines, TimeSpan timeout, ICoreLog log)
        {
            Dictionary<string, string> environment = ReadEnvironment(layout);
            var allDefines = new List<string>(defines ?? Array.Empty<string>());
            if (environment.TryGetValue("APACHE_ARGUMENTS", out string? arguments))
            {
                allDefines.AddRange(DefinesIn(arguments));
            }

            if (explicitPath is not null)
            {
                return File.Exists(explicitPath) ? new ApacheBinary(Path.GetFullPath(explicitPath), environment, allDefines.Distinct(StringComparer.Ordinal).ToArray(), timeout) : null;
            }

            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            var candidates = new List<string>();
            string local = Path.Combine(layout.ServerRoot, "bin", windows ? "httpd.exe" : "httpd");
            if (File.Exists(local))
            {
                if (IsTrusted(local, out string why))
                {
                    candidates.Add(local);
                }
                else
                {
                    log.Warning($"The httpd program '{local}' in the configuration folder was not run: {why} Whoever can change it could make this command run their code. Give the program with -HttpdPath if it is the right one, after fixing its ownership and permissions.");
                }
            }

            string[] names = layout.Kind == ApacheLayoutKind.RedHat ? new[] { "httpd", "apache2" } : new[] { "apache2", "httpd" };
            foreach (string name in names)
            {
                candidates.Add("/usr/sbin/" + name);
                foreach (string directory in (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
                {
                    if (directory.Length > 0 && Path.IsPathRooted(directory))
                    {
                        candidates.Add(Path.Combine(directory, windows ? name + ".exe" : name));
                    }
                }
            }

            foreach (string candidate in candidates)
            {
                if (File.Exists(candidate))
                {
                    return new ApacheBinary(candidate, environment, allDefines.Distinct(StringComparer.Ordinal).ToArray(), timeout);
                }
            }

            return null;
        }

        /// <summary>
        /// Whether a program file (and its folder) belongs to root or the current user and is writable by nobody else.
        /// Windows: no such check (always true). Unix without a known stat layout: false.
        /// </summary>
        public static bool IsTrusted(string path, out string reason)
        {
            reason = string.Empty;
            if (!PosixFile.IsUnix)
            {
                return true;
            }

            if (!PosixFile.IsSupported)
            {
                reason = "its owner and permissions cannot be checked on this platform.";
                return false;
            }

            uint me = PosixFile.EffectiveUserId();
            string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            foreach ((string what, string item) in new[] { ("it", path), ("its folder", directory) })
            {
                if (!PosixFile.TryStat(item, true, out PosixStat stat, out int errno))
                {
                    reason = $"{what} cannot be examined (errno {errno}).";
                    return false;
                }

                if (stat.OwnerId != 0 && stat.OwnerId != me)
                {
                    reason = $"{what} belongs to user id {stat.OwnerId}, neither root nor the current user.";
                    return false;
                }

                if ((stat.Permissions & 0x12) != 0)
                {
                    reason = $"{what} is writable by {((stat.Permissions & 0x10) != 0 ? "its group" : "others")} (mode {Convert.ToString(stat.Permissions, 8)}).";
                    return false;
                }
            }

            return true;
        }

        /// <summary>Runs httpd -t on a main file (the live one, or a candidate), after creating the runtime folders envvars names.</summary>
        public (bool Ok, string Output) ConfigTest(string serverRoot, string mainConfig, ICoreLog log)
        {
            PrepareRuntimeDirectories(log);
            ProgramResult result = Run(WithDefines("-t", "-d", serverRoot, "-f", mainConfig));
            return (result.ExitCode == 0, result.Output.Trim());
        }

        /// <summary>
        /// A value httpd was compiled with (httpd -V: <c>-D DEFAULT_PIDLOG="/run/apache2.pid"</c>), or null when it does
        /// not say. Used only where the configuration leaves the value to the build (no PidFile directive).
        /// </summary>
        public string? CompiledSetting(string name)
        {
            ProgramResult result = Run(new[] { "-V" });
            if (result.ExitCode != 0)
            {
                return null;
            }

            string prefix = "-D " + name + "=";
            foreach (string line in result.Output.Split('\n'))
            {
                string trimmed = line.Trim();
                if (trimmed.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return trimmed.Substring(prefix.Length).Trim('"');
                }
            }

            return null;
        }

        /// <summary>Asks a running httpd to reload its configuration without dropping connections.</summary>
        public (bool Ok, string Output) Graceful(string serverRoot, string mainConfig)
        {
            ProgramResult result = Run(WithDefines("-k", "graceful", "-d", serverRoot, "-f", mainConfig));
            return (result.ExitCode == 0, result.Output.Trim());
        }

        /// <summary>
        /// As Debian's apache2ctl does before running httpd: the run folder, the lock folder and the log folder named in
        /// envvars are created when missing, mode 0755, the lock folder owned by APACHE_RUN_USER when running as root
        /// (apache2ctl's mkdir_chown). Without them "apache2 -t" fails ("DefaultRuntimeDir must be a valid directory").
        /// The socks folder apache2ctl also makes is only needed to start mod_cgid, not to test, so it is left out.
        /// Never called for -WhatIf.
        /// </summary>
        public void PrepareRuntimeDirectories(ICoreLog log)
        {
            if (!PosixFile.IsSupported)
            {
                return;
            }

            uint? runUser = null;
            if (PosixFile.EffectiveUserId() == 0 && Environment.TryGetValue("APACHE_RUN_USER", out string? user) && PosixFile.TryUserIds(user, out uint uid, out _))
            {
                runUser = uid;
            }

            if (Environment.TryGetValue("APACHE_RUN_DIR", out string? run) && run.Length > 0)
            {
                Create(run, null, log);
            }

            if (Environment.TryGetValue("APACHE_LOCK_DIR", out string? lockDirectory) && lockDirectory.Length > 0)
            {
                Create(lockDirectory, runUser, log);
            }

            if (Environment.TryGetValue("APACHE_LOG_DIR", out string? logs) && logs.Length > 0)
            {
                Create(logs, null, log);
            }
        }

        private static void Create(string directory, uint? owner, ICoreLog log)
        {
            if (!Path.IsPathRooted(directory) || Directory.Exists(directory))
            {
                return;
            }

            try
            {
                string? parent = Path.GetDirectoryName(directory);
                if (parent is not null && !Directory.Exists(parent))
                {
                    Create(parent, null, log);
                }

                PosixFile.MakeDirectory(directory, Convert.ToInt32("755", 8));
                if (owner is uint uid && !PosixFile.TryChangeOwner(directory, uid, uint.MaxValue))
                {
                    log.Warning($"Created '{directory}' for httpd but could not give it to user id {uid}.");
                }

                log.Verbose($"Created '{directory}' (mode 0755), as apache2ctl would before running httpd.");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                if (!Directory.Exists(directory))
                {
                    log.Warning($"Could not create '{directory}', which envvars names for httpd: {ex.Message}");
                }
            }
        }

        private string[] WithDefines(params string[] arguments)
        {
            var all = new List<string>(arguments.Length + (Defines.Count * 2));
            foreach (string define in Defines)
            {
                all.Add("-D");
                all.Add(define);
            }

            all.AddRange(arguments);
            return all.ToArray();
        }

        private Version? AskVersion()
        {
            ProgramResult result = Run(new[] { "-v" });
            Match match = s_version.Match(result.Output);
            return match.Success
                ? new Version(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture))
                : null;
        }

        /// <summary>
        /// The modules httpd has once its configuration is read (httpd -t -D DUMP_MODULES, what -M shows: compiled in,
        /// loaded by LoadModule lines, or given on its command line with -C by a wrapper or service unit), or null when
        /// httpd cannot tell (a configuration it cannot read, a runtime folder that does not exist yet). Creates nothing.
        /// </summary>
        public IReadOnlyCollection<string>? LoadedModules(string serverRoot, string mainConfig)
        {
            ProgramResult result = Run(WithDefines("-t", "-D", "DUMP_MODULES", "-d", serverRoot, "-f", mainConfig));
            if (result.ExitCode != 0)
            {
                return null;
            }

            var modules = new HashSet<string>(StringComparer.Ordinal);
            foreach (string line in result.Output.Split('\n'))
            {
                string[] words = line.Trim().Split(' ');
                if (words.Length == 2 && words[0].EndsWith("_module", StringComparison.Ordinal) && (words[1] == "(static)" || words[1] == "(shared)"))
                {
                    modules.Add(words[0]);
                }
            }

            return modules;
        }

        private IReadOnlyList<string> AskModules()
        {
            ProgramResult result = Run(new[] { "-l" });
            var modules = new List<string>();
            foreach (string line in result.Output.Split('\n'))
            {
                string name = line.Trim();
                if (name.EndsWith(".c", StringComparison.Ordinal) && name.IndexOf(' ') < 0)
                {
                    modules.Add(name);
                }
            }

            return modules.Count == 0 ? ApacheModuleNames.MinimalCompiledIn : new ReadOnlyCollection<string>(modules);
        }

        /// <summary>Runs the program with a deadline; kills it and all it started when the deadline passes.</summary>
        private ProgramResult Run(string[] arguments)
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                CreateNoWindow = true,
            };
            if (s_argumentList?.GetValue(start) is Collection<string> list)
            {
                foreach (string argument in arguments)
                {
                    list.Add(argument);
                }
            }
            else
            {
                start.Arguments = string.Join(" ", arguments.Select(QuoteArgument));
            }

            foreach (KeyValuePair<string, string> variable in Environment)
            {
                start.EnvironmentVariables[variable.Key] = variable.Value;
            }

            var output = new StringBuilder();
            using var outputDone = new ManualResetEventSlim(false);
            using var errorDone = new ManualResetEventSlim(false);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("the program did not start.");
            }
            catch (Exception ex) when (ex is Win32Exception || ex is InvalidOperationException || ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.ApacheProgramNotRunnable(Executable, ex);
            }

            using (process)
            {
                process.OutputDataReceived += (_, e) => Collect(output, e.Data, outputDone);
                process.ErrorDataReceived += (_, e) => Collect(output, e.Data, errorDone);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The program exited before reading anything: nothing to close.
                }

                var clock = Stopwatch.StartNew();
                if (!process.WaitForExit((int)Math.Min(int.MaxValue, Timeout.TotalMilliseconds)))
                {
                    KillTree(process);
                    process.WaitForExit(5_000);
                    throw Errors.ApacheProgramTimeout(Executable, string.Join(" ", arguments), Timeout);
                }

                // A child that keeps the pipes open (a daemon started by "-k start") must not hold us past the deadline.
                outputDone.Wait(Remaining(clock));
                errorDone.Wait(Remaining(clock));
                lock (output)
                {
                    return new ProgramResult(process.ExitCode, output.ToString());
                }
            }
        }

        private int Remaining(Stopwatch clock) => (int)Math.Max(1_000, Math.Min(int.MaxValue, (Timeout - clock.Elapsed).TotalMilliseconds));

        private static void Collect(StringBuilder output, string? line, ManualResetEventSlim done)
        {
            if (line is null)
            {
                done.Set();
                return;
            }

            lock (output)
            {
                if (output.Length < 256 * 1024)
                {
                    output.Append(line).Append('\n');
                }
            }
        }

        private static void KillTree(Process process)
        {
            try
            {
                if (s_killTree is not null)
                {
                    s_killTree.Invoke(process, new object[] { true });
                }
                else
                {
                    process.Kill();
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is Win32Exception || ex is TargetInvocationException || ex is NotSupportedException)
            {
                // Already gone.
            }
        }

        /// <summary>An argument as the Windows command line (and .NET's parser on Unix) reads it back.</summary>
        private static string QuoteArgument(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\\' }) < 0)
            {
                return argument;
            }

            var builder = new StringBuilder("\"");
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }

                builder.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes);
                backslashes = 0;
                builder.Append(c);
            }

            return builder.Append('\\', backslashes * 2).Append('"').ToString();
        }

        private static string Identity(string executable)
        {
            try
            {
                var info = new FileInfo(executable);
                return executable + "|" + info.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + info.LastWriteTimeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return executable + "|?|" + Guid.NewGuid().ToString("N");
            }
        }

        /// <summary>The -D names in an httpd argument string ("-D FOO -DBAR").</summary>
        private static IEnumerable<string> DefinesIn(string arguments)
        {
            string[] words = arguments.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < words.Length; i++)
            {
                if (words[i] == "-D" && i + 1 < words.Length)
                {
                    yield return words[++i];
                }
                else if (words[i].StartsWith("-D", StringComparison.Ordinal) && words[i].Length > 2)
                {
                    yield return words[i].Substring(2);
                }
            }
        }

        /// <summary>Debian's envvars file ("export APACHE_RUN_USER=www-data"), which apache2ctl sources before httpd runs.</summary>
        private static Dictionary<string, string> ReadEnvironment(ApacheLayout layout)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            string envvars = Path.Combine(layout.ServerRoot, "envvars");
            if (layout.Kind != ApacheLayoutKind.Debian || !File.Exists(envvars))
            {
                return variables;
            }

            var assignment = new Regex(@"^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$", RegexOptions.CultureInvariant);
            var reference = new Regex(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", RegexOptions.CultureInvariant);
            variables["SUFFIX"] = string.Empty;
            string text;
            try
            {
                text = new UTF8Encoding(false).GetString(new ConfigReader().Read(envvars).Bytes);
            }
            catch (ApacheConfigException)
            {
                return new Dictionary<string, string>(StringComparer.Ordinal);
            }

            foreach (string line in text.Split('\n'))
            {
                Match match = assignment.Match(line.TrimEnd('\r'));
                if (!match.Success)
                {
                    continue;
                }

                string value = match.Groups[2].Value.Trim().Trim('"', '\'');
                value = reference.Replace(value, m => variables.TryGetValue(m.Groups[1].Value, out string? known) ? known : string.Empty);
                variables[match.Groups[1].Value] = value;
            }

            variables.Remove("SUFFIX");
            return variables;
        }

        private readonly struct ProgramResult
        {
            public ProgramResult(int exitCode, string output)
            {
                ExitCode = exitCode;
                Output = output;
            }

            public int ExitCode { get; }

            public string Output { get; }
        }
    }
}
