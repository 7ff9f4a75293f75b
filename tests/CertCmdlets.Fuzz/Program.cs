using System;
using System.Collections.Generic;
using System.IO;
using SharpFuzz;

namespace CertCmdlets.Fuzz
{
    /// <summary>
    /// The fuzzing driver. <c>CertCmdlets.Fuzz &lt;target&gt;</c> runs under afl-fuzz (SharpFuzz's out-of-process loop);
    /// <c>CertCmdlets.Fuzz &lt;target&gt; --replay &lt;file or folder&gt;...</c> runs files once and names every input that
    /// lets a non-module exception escape (for triage of crashes and for checking a corpus). See README.md.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length < 1)
            {
                Console.Error.WriteLine($"Usage: CertCmdlets.Fuzz <{string.Join("|", FuzzTargets.Names)}> [--replay <file or folder>...]");
                return 2;
            }

            Action<byte[]> target = FuzzTargets.Get(args[0]);
            if (args.Length > 1 && args[1] == "--replay")
            {
                return Replay(target, args[2..]);
            }

            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                target(buffer.ToArray());
            });
            return 0;
        }

        private static int Replay(Action<byte[]> target, IEnumerable<string> paths)
        {
            int files = 0;
            int failures = 0;
            foreach (string path in paths)
            {
                IEnumerable<string> inputs = Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories) : new[] { path };
                foreach (string input in inputs)
                {
                    files++;
                    try
                    {
                        target(File.ReadAllBytes(input));
                    }
                    catch (Exception ex)
                    {
                        failures++;
                        Console.WriteLine($"{input}: {ex.GetType().FullName}: {ex.Message}");
                        Console.WriteLine(ex.StackTrace);
                    }
                }
            }

            Console.WriteLine($"{files} input(s), {failures} escaped exception(s).");
            return failures == 0 ? 0 : 1;
        }
    }
}
