using System;

namespace CertCmdlets
{
    /// <summary>What Test-CertChain found for one leaf certificate. Every problem is a readable line.</summary>
    public sealed class ChainTestResult
    {
        internal ChainTestResult(CertificateInfo leaf, string[] chain, bool isComplete, bool isTrusted, bool? namesMatch, string? dnsName, string[] problems)
        {
            Subject = leaf.Subject;
            Thumbprint = leaf.Thumbprint;
            NotAfter = leaf.NotAfter;
            Chain = chain;
            IsComplete = isComplete;
            IsTrusted = isTrusted;
            NamesMatch = namesMatch;
            DnsName = dnsName;
            Problems = problems;
            Certificate = leaf;
        }

        /// <summary>True when no problem was found.</summary>
        public bool IsValid => Problems.Length == 0;

        /// <summary>The leaf's subject.</summary>
        public string Subject { get; }

        /// <summary>The leaf's thumbprint.</summary>
        public string Thumbprint { get; }

        /// <summary>The leaf's end of validity.</summary>
        public DateTime NotAfter { get; }

        /// <summary>Days until the leaf expires.</summary>
        public int DaysRemaining => Renewal.DaysRemaining(NotAfter, DateTime.Now);

        /// <summary>The subjects of the path found, leaf's issuer first.</summary>
        public string[] Chain { get; }

        /// <summary>True when the path reaches a self-signed root or a trusted anchor.</summary>
        public bool IsComplete { get; }

        /// <summary>True when the path ends in a trusted root (-TrustedRootPath, else the system store).</summary>
        public bool IsTrusted { get; }

        /// <summary>Whether the leaf covers -DnsName (RFC 6125 rules); null when no name was asked.</summary>
        public bool? NamesMatch { get; }

        /// <summary>The name checked, if any.</summary>
        public string? DnsName { get; }

        /// <summary>Every problem found, in words.</summary>
        public string[] Problems { get; }

        /// <summary>The leaf certificate tested.</summary>
        public CertificateInfo Certificate { get; }

        /// <summary>A one-line summary.</summary>
        public override string ToString() => IsValid ? $"{Subject}: valid" : $"{Subject}: {Problems.Length} problem(s)";
    }
}
