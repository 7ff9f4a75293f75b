using System;
using System.IO;
using System.Security;
using System.Text;
using CertCmdlets.Core.Keys;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;

namespace CertCmdlets.Core.Requests
{
    /// <summary>
    /// Saved requests as users keep them: a CSR file (PEM or DER, or text pasted from a CA's page) and, beside it, the
    /// key it was made with. The key is attached when it is given (-KeyPath) or lies beside the request under the same
    /// base name (www.example.com.csr and www.example.com.key, as New-CertRequest -OutputDirectory writes them), and
    /// only when its public key is the request's.
    /// </summary>
    public static class RequestFiles
    {
        /// <summary>
        /// Reads a request file (signature checked) and attaches its key: <paramref name="keyPath"/> when given (it must
        /// match: RequestKeyMismatch), else the key file beside it when there is one. A key beside that cannot be used
        /// is a warning, unless <paramref name="keyRequired"/>, when a locked key is an error (KeyPasswordRequired).
        /// </summary>
        public static CertificateRequestInfo Read(string path, string? keyPath, SecureString? keyPassword, bool keyRequired, ICoreLog log)
        {
            CertificateRequestInfo request = CertificateRequestReader.ReadFile(path);
            if (keyPath is not null)
            {
                AttachGivenKey(request, path, keyPath, keyPassword);
            }
            else
            {
                AttachKeyBeside(request, path, keyPassword, keyRequired, log);
            }

            return request;
        }

        /// <summary>Reads a request from pasted text (PEM); <paramref name="keyPath"/>, when given, must be its key.</summary>
        public static CertificateRequestInfo ParseText(string text, string? keyPath, SecureString? keyPassword)
        {
            const string Source = "the request text";
            CertificateRequestInfo request = CertificateRequestReader.Parse(Encoding.UTF8.GetBytes(text), Source, null);
            if (keyPath is not null)
            {
                AttachGivenKey(request, Source, keyPath, keyPassword);
            }

            return request;
        }

        /// <summary>The key file New-CertRequest writes beside a request: the same base name, ending in .key.</summary>
        public static string KeyBeside(string requestPath) => Path.ChangeExtension(requestPath, ".key");

        /// <summary>The request's public key.</summary>
        internal static SubjectPublicKeyInfo PublicKeyOf(CertificateRequestInfo request) =>
            new Pkcs10CertificationRequest(request.RawData).GetCertificationRequestInfo().SubjectPublicKeyInfo;

        /// <summary>Attaches the key in <paramref name="keyPath"/> when it is the request's; returns whether it was.</summary>
        internal static bool TryAttach(CertificateRequestInfo request, PrivateKey key, string keyPath)
        {
            if (!key.Matches(PublicKeyOf(request)))
            {
                return false;
            }

            request.PrivateKey = key;
            request.KeyPath = keyPath;
            return true;
        }

        internal static void AttachKeyBeside(CertificateRequestInfo request, string requestPath, SecureString? keyPassword, bool keyRequired, ICoreLog log)
        {
            string keyPath = KeyBeside(requestPath);
            if (string.Equals(keyPath, requestPath, StringComparison.Ordinal) || !File.Exists(keyPath))
            {
                log.Verbose($"No key file '{keyPath}' lies beside the request '{requestPath}'.");
                return;
            }

            PrivateKey key;
            try
            {
                key = PrivateKeyReader.ReadFile(keyPath, keyPassword);
            }
            catch (CertCmdletsException ex) when (!keyRequired || (ex.ErrorId != "KeyPasswordRequired" && ex.ErrorId != "KeyPasswordIncorrect"))
            {
                log.Warning(ex.ErrorId == "KeyPasswordRequired"
                    ? $"The key '{keyPath}' beside the request is encrypted: give -KeyPassword to attach it."
                    : $"The key '{keyPath}' beside the request was not attached: {ex.Message}");
                return;
            }

            if (TryAttach(request, key, keyPath))
            {
                log.Verbose($"Attached the {key.Description} key '{keyPath}' that lies beside the request.");
            }
            else
            {
                log.Warning($"'{keyPath}' lies beside the request '{requestPath}' but holds another key; it was not attached.");
            }
        }

        private static void AttachGivenKey(CertificateRequestInfo request, string source, string keyPath, SecureString? keyPassword)
        {
            PrivateKey key = PrivateKeyReader.ReadFile(keyPath, keyPassword);
            if (!TryAttach(request, key, keyPath))
            {
                throw Errors.RequestKeyMismatch(source, keyPath);
            }
        }
    }
}
