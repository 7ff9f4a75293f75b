using System.Collections.Generic;
using System.Linq;
using System.Security;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Pkcs12;

namespace CertCmdlets.Core.Export
{
    /// <summary>A certificate put together from PEM files as Apache keeps them: certificate (or full chain), key, chain.</summary>
    public static class CertificateFiles
    {
        /// <summary>
        /// Reads the files, finds the leaf as the certificate the key belongs to (so a full-chain file works as
        /// the certificate file), and orders the other certificates from leaf to root.
        /// </summary>
        public static CertificateInfo Load(string certificatePath, string keyPath, SecureString? keyPassword, string? chainPath, ICoreLog log)
        {
            IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(certificatePath);
            PrivateKeyFile key = PrivateKeyFile.Load(keyPath, keyPassword);
            CertificateInfo? leaf = certificates.FirstOrDefault(c => key.Key.Matches(c.PublicKeyInfo));
            if (leaf is null)
            {
                throw Errors.CertificateKeyMismatch(certificatePath, keyPath);
            }

            var pool = new List<CertificateInfo>(certificates);
            if (chainPath is not null)
            {
                pool.AddRange(CertificateReader.ReadFile(chainPath));
            }

            CertificateInfo result = leaf.Clone();
            result.PrivateKey = key.Key;
            result.KeyPath = keyPath;
            result.ChainPath = chainPath;
            result.Chain = ChainOrder.Build(leaf, pool.GroupBy(c => c.Thumbprint).Select(g => g.First()).ToList(), log);
            return result;
        }
    }
}
