using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CertCmdlets.Fuzz;
using Xunit;

namespace CertCmdlets.Core.Tests.RealWorld
{
    /// <summary>
    /// Every file of the fuzzing corpora (tests/CertCmdlets.Fuzz/corpus: openssl-made seeds and the inputs the fuzzer
    /// found, crashes included once fixed) through the parser of its target and what follows it, asserting only that
    /// nothing but the module's own errors escapes. A few seconds; the long runs are tests/CertCmdlets.Fuzz/fuzz.sh.
    /// </summary>
    public sealed class CorpusReplayTests
    {
        public static IEnumerable<object[]> Targets() => FuzzTargets.Names.Select(name => new object[] { name });

        [Theory]
        [MemberData(nameof(Targets))]
        public void EveryCorpusFile_GivesSuccessOrAModuleError(string target)
        {
            string folder = Path.Combine(RepositoryRoot(), "tests", "CertCmdlets.Fuzz", "corpus", target);
            string[] files = Directory.GetFiles(folder);
            Assert.NotEmpty(files);
            Action<byte[]> run = FuzzTargets.Get(target);
            var escaped = new List<string>();
            foreach (string file in files)
            {
                try
                {
                    run(File.ReadAllBytes(file));
                }
                catch (Exception ex)
                {
                    escaped.Add($"{Path.GetFileName(file)}: {ex.GetType().FullName}: {ex.Message}{Environment.NewLine}{ex.StackTrace}");
                }
            }

            Assert.True(escaped.Count == 0, $"{escaped.Count} of {files.Length} corpus file(s) let a non-module exception escape:{Environment.NewLine}{string.Join(Environment.NewLine, escaped)}");
        }

        [Fact]
        public void EveryTarget_HasItsCorpusFolder()
        {
            string corpus = Path.Combine(RepositoryRoot(), "tests", "CertCmdlets.Fuzz", "corpus");
            Assert.Equal(FuzzTargets.Names.OrderBy(n => n, StringComparer.Ordinal), Directory.GetDirectories(corpus).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        private static string RepositoryRoot()
        {
            string? directory = AppContext.BaseDirectory;
            while (directory is not null && !File.Exists(Path.Combine(directory, "CertCmdlets.sln")))
            {
                directory = Path.GetDirectoryName(directory);
            }

            return directory ?? throw new InvalidOperationException("The repository root (CertCmdlets.sln) was not found above " + AppContext.BaseDirectory);
        }
    }
}
