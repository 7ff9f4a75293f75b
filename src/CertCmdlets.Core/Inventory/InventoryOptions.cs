using System;

namespace CertCmdlets.Core.Inventory
{
    /// <summary>What an inventory reads and which certificates it keeps.</summary>
    public sealed class InventoryOptions
    {
        /// <summary>Read the subdirectories of the directories given, to any depth.</summary>
        public bool Recurse { get; set; }

        /// <summary>Keep only certificates with at most this many days left (expired ones included); null keeps all.</summary>
        public int? ExpiringWithinDays { get; set; }

        /// <summary>Keep only certificates whose renewal is recommended (see <see cref="CertificateInfo.RenewAfter"/>).</summary>
        public bool RenewRecommendedOnly { get; set; }

        /// <summary>Leave out CA certificates (roots and intermediates met alone, as in chain files and CA bundles).</summary>
        public bool ExcludeAuthorities { get; set; }

        /// <summary>
        /// Attach the unencrypted private key found in the same directory to the certificate it belongs to (its
        /// KeyPath and key). On by default: the object then names every file of its site.
        /// </summary>
        public bool FindKeys { get; set; } = true;

        /// <summary>A key given by the user (-KeyPath), attached wherever it matches.</summary>
        public PrivateKeyFile? Key { get; set; }

        /// <summary>True when <paramref name="certificate"/> passes the filters at <paramref name="now"/>.</summary>
        public bool Keeps(CertificateInfo certificate, DateTime now)
        {
            if (ExcludeAuthorities && certificate.IsCertificateAuthority)
            {
                return false;
            }

            if (ExpiringWithinDays is int days && Renewal.DaysRemaining(certificate.NotAfter, now) > days)
            {
                return false;
            }

            return !RenewRecommendedOnly || now >= certificate.RenewAfter;
        }
    }

    /// <summary>
    /// Where an inventory reports what it finds, as it finds it (the cmdlet forwards to WriteObject, WriteVerbose,
    /// WriteError and WriteProgress). Called on the thread that runs the inventory.
    /// </summary>
    public interface IInventorySink
    {
        /// <summary>A certificate that passed the filters.</summary>
        void Certificate(CertificateInfo certificate);

        /// <summary>A file or directory passed over, and why (for -Verbose).</summary>
        void Skipped(string path, string reason);

        /// <summary>A file or directory that could not be read; the inventory goes on.</summary>
        void Failed(CertCmdletsException error);

        /// <summary>How far the inventory is: files looked at so far, and the directory being read.</summary>
        void Progress(int filesRead, string directory);
    }
}
