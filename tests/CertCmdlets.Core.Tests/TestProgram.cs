using CertCmdlets.Core.Tests.Apache;

namespace CertCmdlets.Core.Tests
{
    /// <summary>
    /// The test assembly's entry point. The test runner never calls it; the Apache engine's crash and concurrency tests
    /// start this assembly as a child process (<c>dotnet CertCmdlets.Core.Tests.dll apache-... </c>) to kill it at a
    /// chosen step or to run two changes at once from two processes.
    /// </summary>
    public static class TestProgram
    {
        public static int Main(string[] args) => args.Length > 0 ? ApacheChildProcess.Run(args) : 0;
    }
}
