using System.Collections.Generic;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>An <see cref="ICoreLog"/> that keeps what it was told, to assert warnings and to check nothing secret leaks.</summary>
    public sealed class RecordingLog : ICoreLog
    {
        private readonly List<string> _verbose = new List<string>();
        private readonly List<string> _warnings = new List<string>();
        private readonly object _lock = new object();

        public IReadOnlyList<string> VerboseMessages
        {
            get
            {
                lock (_lock)
                {
                    return _verbose.ToArray();
                }
            }
        }

        public IReadOnlyList<string> Warnings
        {
            get
            {
                lock (_lock)
                {
                    return _warnings.ToArray();
                }
            }
        }

        public void Verbose(string message)
        {
            lock (_lock)
            {
                _verbose.Add(message);
            }
        }

        public void Warning(string message)
        {
            lock (_lock)
            {
                _warnings.Add(message);
            }
        }
    }
}
