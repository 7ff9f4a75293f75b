using System.Collections.Generic;
using System.Linq;
using CertCmdlets.Core.Inventory;

namespace CertCmdlets.Core.Tests.Inventory
{
    /// <summary>An inventory sink that keeps everything it is told, in order.</summary>
    public sealed class RecordingSink : IInventorySink
    {
        public List<CertificateInfo> Certificates { get; } = new List<CertificateInfo>();

        public List<(string Path, string Reason)> Skipped { get; } = new List<(string, string)>();

        public List<CertCmdletsException> Failed { get; } = new List<CertCmdletsException>();

        public int ProgressCalls { get; private set; }

        public IEnumerable<string> FailedIds => Failed.Select(f => f.ErrorId);

        void IInventorySink.Certificate(CertificateInfo certificate) => Certificates.Add(certificate);

        void IInventorySink.Skipped(string path, string reason) => Skipped.Add((path, reason));

        void IInventorySink.Failed(CertCmdletsException error) => Failed.Add(error);

        void IInventorySink.Progress(int filesRead, string directory) => ProgressCalls++;

        /// <summary>The reason a file was passed over, or null when it was not.</summary>
        public string? ReasonFor(string path) => Skipped.Where(s => s.Path == path).Select(s => s.Reason).FirstOrDefault();
    }
}
