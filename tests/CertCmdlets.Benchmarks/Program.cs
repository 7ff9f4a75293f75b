using BenchmarkDotNet.Running;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// Entry point. Run with
    /// <c>nice dotnet run -c Release --project tests/CertCmdlets.Benchmarks -- --filter '*' --artifacts /tmp/bdn</c>;
    /// see RESULTS.md for the measured numbers and the exact command lines.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "apache")
            {
                // Whole-process measurements of the Apache engine (see ApacheWholeProcess), not BenchmarkDotNet.
                return ApacheWholeProcess.Run(args);
            }

            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }
    }
}
