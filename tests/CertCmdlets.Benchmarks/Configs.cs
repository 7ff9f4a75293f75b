using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// RSA key generation is a random prime search: one key can take ten times as long as the next. Each
    /// iteration is one key (no batching, no unrolling), and there are many iterations so the mean and the
    /// median both settle.
    /// </summary>
    public sealed class KeyGenerationConfig : ManualConfig
    {
        public const int Iterations = 60;

        public KeyGenerationConfig()
        {
            AddJob(Job.Default
                .WithId("KeyGen")
                .WithWarmupCount(2)
                .WithIterationCount(Iterations)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
        }
    }

    /// <summary>Deterministic microsecond-scale work: the pilot picks the invocation count, a fixed number of iterations keeps runs short.</summary>
    public sealed class SteadyConfig : ManualConfig
    {
        public SteadyConfig()
        {
            AddJob(Job.Default
                .WithId("Steady")
                .WithWarmupCount(4)
                .WithIterationCount(20)
                .WithIterationTime(TimeInterval.FromMilliseconds(250)));
        }
    }

    /// <summary>Starting a process takes milliseconds: one invocation per iteration, few iterations.</summary>
    public sealed class ProcessConfig : ManualConfig
    {
        public ProcessConfig()
        {
            AddJob(Job.Default
                .WithId("Process")
                .WithWarmupCount(3)
                .WithIterationCount(20)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
        }
    }
}
