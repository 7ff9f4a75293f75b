using System;
using System.Runtime.InteropServices;
using CertCmdlets.Core.IO;
using Xunit;

namespace CertCmdlets.Core.Tests.Faults
{
    /// <summary>
    /// Tests that change process-wide state (the writer's step hook, the umask) run in this collection, alone:
    /// xunit starts it after the parallel collections have finished, so no other test writes files meanwhile.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessWideCollection
    {
        public const string Name = "Process-wide state (step hook, umask)";
    }

    /// <summary>Installs <see cref="FileWriteHooks.Step"/> for this thread's writes only, and removes it on dispose.</summary>
    internal sealed class StepHook : IDisposable
    {
        private StepHook(Action<string> action)
        {
            int thread = Environment.CurrentManagedThreadId;
            FileWriteHooks.Step = step =>
            {
                if (Environment.CurrentManagedThreadId == thread)
                {
                    action(step);
                }
            };
        }

        public static StepHook Install(Action<string> action) => new StepHook(action);

        public void Dispose() => FileWriteHooks.Step = null;
    }

    /// <summary>The process umask, set for a test and put back.</summary>
    internal sealed class Umask : IDisposable
    {
        private readonly int _previous;

        private Umask(int mask)
        {
            _previous = SetUmask(mask);
        }

        public static Umask Set(int mask) => new Umask(mask);

        public void Dispose() => SetUmask(_previous);

        [DllImport("libc", EntryPoint = "umask")]
        private static extern int SetUmask(int mask);
    }
}
