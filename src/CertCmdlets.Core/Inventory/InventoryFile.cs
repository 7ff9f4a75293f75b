using System;
using System.Collections.Generic;
using System.IO;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.IO;

namespace CertCmdlets.Core.Inventory
{
    /// <summary>What one file of an inventory turned out to be.</summary>
    internal enum InventoryFileKind
    {
        /// <summary>One or more certificates (it may also hold a private key: a combined PEM file).</summary>
        Certificates,

        /// <summary>An unencrypted private key: a candidate for the certificates of its directory.</summary>
        PrivateKey,

        /// <summary>Anything else: an encrypted key, a request, a CRL, a PFX, an unrelated file. Skipped quietly.</summary>
        Other,
    }

    /// <summary>
    /// Reads one file met in a directory and says what it is, without raising an error for the files a certificate
    /// folder normally holds besides certificates (keys, requests, CRLs, PFX files, notes). A file is an error only
    /// when it claims to be a certificate and is not readable: a damaged PEM CERTIFICATE block, or a file named as a
    /// certificate (.crt, .cer, .pem, .der, .p7b, .p7c) whose content is neither a certificate nor anything recognizable.
    /// </summary>
    internal sealed class InventoryFile
    {
        private static readonly HashSet<string> s_certificateExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            ".crt", ".cer", ".pem", ".der", ".p7b", ".p7c",
        };

        private static readonly HashSet<string> s_certificateLabels = new HashSet<string>(StringComparer.Ordinal)
        {
            "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE", "PKCS7", "PKCS #7 SIGNED DATA", "CMS",
        };

        private InventoryFile(InventoryFileKind kind, string description, List<CertificateInfo>? certificates, bool holdsKey)
        {
            Kind = kind;
            Description = description;
            Certificates = certificates ?? new List<CertificateInfo>();
            HoldsPrivateKey = holdsKey;
        }

        public InventoryFileKind Kind { get; }

        /// <summary>What the file holds, in user words ("a private key", "a certificate signing request (CSR)").</summary>
        public string Description { get; }

        /// <summary>The certificates, in file order, each carrying the file as CertificatePath.</summary>
        public List<CertificateInfo> Certificates { get; }

        /// <summary>True when the file also holds an unencrypted private key (a key file, or a combined PEM).</summary>
        public bool HoldsPrivateKey { get; }

        /// <summary>True when the name says certificate: such a file that cannot be read is an error, not a skip.</summary>
        public static bool HasCertificateExtension(string path) => s_certificateExtensions.Contains(Path.GetExtension(path));

        /// <summary>
        /// Reads and classifies <paramref name="path"/>. <paramref name="length"/> is the size the directory listing
        /// gave: empty entries (also FIFOs, sockets and devices, which report no size) are never opened. Throws a
        /// <see cref="CertCmdletsException"/> only for a file that should have been a certificate.
        /// </summary>
        public static InventoryFile Read(string path, long length)
        {
            bool namedAsCertificate = HasCertificateExtension(path);
            if (length == 0)
            {
                return namedAsCertificate ? throw Errors.CertificateFileEmpty(path) : Other("an empty file");
            }

            if (length > FileInput.MaximumLength && !namedAsCertificate)
            {
                return Other($"a file of {length} bytes, too large to be a certificate");
            }

            byte[] data = FileInput.ReadAll(path);
            try
            {
                return Classify(data, path, namedAsCertificate);
            }
            finally
            {
                // The file may have been a private key: nothing of it stays in memory beyond this point.
                Array.Clear(data, 0, data.Length);
            }
        }

        /// <summary>
        /// Reads a file the user named on its own as a certificate file: every certificate in it, each carrying the file
        /// as CertificatePath. A key or a request given by mistake is an error that says so and where it belongs.
        /// </summary>
        public static List<CertificateInfo> ReadNamed(string path)
        {
            byte[] data = FileInput.ReadAll(path);
            try
            {
                if (data.Length > 0 && Pem.TryReadText(data, out string text))
                {
                    var labels = new List<string>(Labels(text));
                    if (!labels.Exists(s_certificateLabels.Contains))
                    {
                        if (labels.Exists(l => l.EndsWith("PRIVATE KEY", StringComparison.Ordinal)))
                        {
                            throw Errors.NoCertificateInFile(path, "a private key", "Give the certificate file, and the key with -KeyPath.");
                        }

                        if (labels.Exists(l => l == "CERTIFICATE REQUEST" || l == "NEW CERTIFICATE REQUEST"))
                        {
                            throw Errors.NoCertificateInFile(path, "a certificate signing request (CSR)", "Read it with Import-CertRequest, or give the certificate the CA sent back.");
                        }
                    }
                }

                List<CertificateInfo> certificates = CertificateReader.Parse(data, path);
                foreach (CertificateInfo certificate in certificates)
                {
                    certificate.CertificatePath = path;
                }

                return certificates;
            }
            finally
            {
                Array.Clear(data, 0, data.Length);
            }
        }

        private static InventoryFile Classify(byte[] data, string path, bool namedAsCertificate)
        {
            if (data.Length == 0)
            {
                return namedAsCertificate ? throw Errors.CertificateFileEmpty(path) : Other("an empty file");
            }

            if (Pem.TryReadText(data, out string text))
            {
                return ClassifyPem(text, path, namedAsCertificate);
            }

            // DER: certificates and PKCS#7 bundles are ASN.1 SEQUENCEs; anything else is not for us.
            if (data[0] != 0x30)
            {
                return namedAsCertificate
                    ? throw Errors.CertificateFileInvalid(path, "it is neither PEM text nor DER; the file may be damaged or of another kind.")
                    : Other("not a certificate file");
            }

            try
            {
                return Found(CertificateReader.Parse(data, path), path, holdsKey: false);
            }
            catch (CertCmdletsException ex) when (ex.ErrorId == "NoCertificateInFile")
            {
                return Other("a DER file without certificates (a key or a request)");
            }
            catch (CertCmdletsException ex) when (ex.ErrorId == "CertificateFileInvalid" && !namedAsCertificate)
            {
                return Other("a binary file that is not a certificate");
            }
        }

        private static InventoryFile ClassifyPem(string text, string path, bool namedAsCertificate)
        {
            bool certificates = false;
            bool key = false;
            bool encryptedKey = false;
            bool request = false;
            var others = new List<string>();
            foreach (string label in Labels(text))
            {
                if (s_certificateLabels.Contains(label))
                {
                    certificates = true;
                }
                else if (label == "ENCRYPTED PRIVATE KEY")
                {
                    encryptedKey = true;
                }
                else if (label.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
                {
                    key = true;
                }
                else if (label == "CERTIFICATE REQUEST" || label == "NEW CERTIFICATE REQUEST")
                {
                    request = true;
                }
                else if (!others.Contains(label))
                {
                    others.Add(label);
                }
            }

            // OpenSSL's legacy encrypted PEM keeps the RSA/EC label and says so in a header.
            if (key && text.IndexOf("Proc-Type: 4,ENCRYPTED", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                key = false;
                encryptedKey = true;
            }

            if (certificates)
            {
                return Found(CertificateReader.ParseText(text, path), path, key);
            }

            if (key)
            {
                return new InventoryFile(InventoryFileKind.PrivateKey, "a private key", null, holdsKey: true);
            }

            if (encryptedKey)
            {
                return Other("an encrypted private key");
            }

            if (request)
            {
                return Other("a certificate signing request (CSR)");
            }

            if (others.Count > 0)
            {
                return Other("PEM data without certificates (" + string.Join(", ", others) + ")");
            }

            return namedAsCertificate
                ? throw Errors.CertificateFileInvalid(path, "it holds no complete PEM block; the file may be damaged or truncated.")
                : Other("not a certificate file");
        }

        private static InventoryFile Found(List<CertificateInfo> certificates, string path, bool holdsKey)
        {
            foreach (CertificateInfo certificate in certificates)
            {
                certificate.CertificatePath = path;
            }

            return new InventoryFile(InventoryFileKind.Certificates, certificates.Count == 1 ? "a certificate" : $"{certificates.Count} certificates", certificates, holdsKey);
        }

        private static InventoryFile Other(string description) => new InventoryFile(InventoryFileKind.Other, description, null, holdsKey: false);

        /// <summary>The labels of the BEGIN lines, without decoding anything.</summary>
        private static IEnumerable<string> Labels(string text)
        {
            const string Begin = "-----BEGIN ";
            int position = 0;
            while (true)
            {
                int start = text.IndexOf(Begin, position, StringComparison.Ordinal);
                if (start < 0)
                {
                    yield break;
                }

                int labelStart = start + Begin.Length;
                int labelEnd = text.IndexOf("-----", labelStart, StringComparison.Ordinal);
                int lineEnd = text.IndexOfAny(new[] { '\r', '\n' }, labelStart);
                if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd))
                {
                    // A broken BEGIN line: let the certificate reader, if it is called, say what is wrong.
                    position = labelStart;
                    continue;
                }

                yield return text.Substring(labelStart, labelEnd - labelStart).Trim();
                position = labelEnd + 5;
            }
        }
    }
}
