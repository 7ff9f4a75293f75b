using System;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Keys;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace CertCmdlets.Core.Authority
{
    /// <summary>
    /// What an internal CA refuses to sign by default: requests New-CertRequest would refuse to make. Keys: RSA under
    /// 2048 bits, DSA, EC on a field under 256 bits. Signatures: MD2, MD4, MD5 and SHA-1 (collisions are practical or
    /// near, and a CA that accepts them teaches clients to).
    /// </summary>
    internal static class RequestStrength
    {
        private static readonly DerObjectIdentifier s_oiwDsa = new DerObjectIdentifier("1.3.14.3.2.12");

        public static void Check(SubjectPublicKeyInfo key, AlgorithmIdentifier signature, string source, bool allowWeak, ICoreLog log)
        {
            string keyAlgorithm = KeyDescriptions.Describe(key);
            if (IsWeakKey(key))
            {
                if (!allowWeak)
                {
                    throw Errors.RequestKeyTooWeak(source, keyAlgorithm);
                }

                log.Warning($"Signing '{source}' although its key is {keyAlgorithm} (too weak by default), because -AllowWeakRequest was given.");
            }

            if (IsWeakSignature(signature))
            {
                string name = SignatureAlgorithms.Name(signature);
                if (!allowWeak)
                {
                    throw Errors.RequestSignatureAlgorithmWeak(source, name);
                }

                log.Warning($"Signing '{source}' although it is signed with {name} (a broken hash), because -AllowWeakRequest was given.");
            }
        }

        private static bool IsWeakKey(SubjectPublicKeyInfo key)
        {
            DerObjectIdentifier algorithm = key.Algorithm.Algorithm;
            try
            {
                if (algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption) || algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
                {
                    return RsaPublicKeyStructure.GetInstance(key.ParsePublicKey()).Modulus.BitLength < 2048;
                }

                if (algorithm.Equals(X9ObjectIdentifiers.IdDsa) || algorithm.Equals(s_oiwDsa))
                {
                    return true;
                }

                if (algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey))
                {
                    int? fieldSize = EllipticCurves.FieldSize(key.Algorithm.Parameters);
                    return fieldSize is not null && fieldSize.Value < 256;
                }
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidCastException || ex is System.IO.IOException || ex is InvalidOperationException)
            {
                // The request's signature was verified with this key, so it parses; a damaged one is not "weak".
            }

            return false;
        }

        private static bool IsWeakSignature(AlgorithmIdentifier signature)
        {
            string id = signature.Algorithm.Id;
            return id == PkcsObjectIdentifiers.MD2WithRsaEncryption.Id
                || id == PkcsObjectIdentifiers.MD4WithRsaEncryption.Id
                || id == PkcsObjectIdentifiers.MD5WithRsaEncryption.Id
                || id == PkcsObjectIdentifiers.Sha1WithRsaEncryption.Id
                || id == X9ObjectIdentifiers.ECDsaWithSha1.Id
                || id == X9ObjectIdentifiers.IdDsaWithSha1.Id
                || id == "1.3.14.3.2.29" // sha1WithRSASignature (OIW)
                || id == "1.3.14.3.2.3" // md5WithRSA (OIW)
                || (id == PkcsObjectIdentifiers.IdRsassaPss.Id && PssUsesSha1(signature.Parameters));
        }

        private static bool PssUsesSha1(Asn1Encodable? parameters)
        {
            try
            {
                // RSASSA-PSS parameters default to SHA-1 when the hash is left out.
                var pss = RsassaPssParameters.GetInstance(parameters ?? DerSequence.Empty);
                return pss.HashAlgorithm.Algorithm.Id == "1.3.14.3.2.26";
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidCastException || ex is InvalidOperationException)
            {
                return false;
            }
        }

    }
}
