using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace CertCmdlets.Core.Keys
{
    /// <summary>
    /// A private key held by a certificate or request object. RSA keys are kept as their ASN.1 structure, not as
    /// BouncyCastle key objects, whose constructors test the modulus (tens of milliseconds per key, measured by the
    /// benchmarks); EC keys as BouncyCastle parameters. Signatures are made by the platform. Nothing here is public,
    /// nothing prints the material: <see cref="ToString"/> names only the algorithm.
    /// </summary>
    internal sealed class PrivateKey : IPrivateKeyMaterial
    {
        private static readonly AlgorithmIdentifier s_rsaAlgorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance);

        private readonly RsaPrivateKeyStructure? _rsa;
        private readonly AlgorithmIdentifier _rsaAlgorithm = s_rsaAlgorithm;
        private readonly ECPrivateKeyParameters? _ec;
        private readonly object _nativeLock = new object();
        private AsymmetricAlgorithm? _native;

        private PrivateKey(RsaPrivateKeyStructure rsa, AsymmetricAlgorithm? native, AlgorithmIdentifier? algorithm = null)
        {
            _rsa = rsa;
            _native = native;
            _rsaAlgorithm = algorithm ?? s_rsaAlgorithm;
            PublicKeyInfo = new SubjectPublicKeyInfo(_rsaAlgorithm, new RsaPublicKeyStructure(rsa.Modulus, rsa.PublicExponent));
            Description = $"{(IsPss ? "RSA-PSS" : "RSA")} {rsa.Modulus.BitLength}";
        }

        private PrivateKey(ECPrivateKeyParameters ec, ECPublicKeyParameters publicKey, AsymmetricAlgorithm? native)
        {
            _ec = ec;
            _native = native;
            PublicKeyInfo = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey);
            Description = KeyDescriptions.Describe(PublicKeyInfo);
        }

        /// <summary>"RSA 2048", "ECDSA P-256".</summary>
        public string Description { get; }

        public SubjectPublicKeyInfo PublicKeyInfo { get; }

        public bool IsRsa => _rsa is not null;

        /// <summary>True for an RSA key restricted to RSASSA-PSS signatures (openssl genpkey -algorithm RSA-PSS).</summary>
        public bool IsPss => _rsa is not null && _rsaAlgorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss);

        /// <summary>Modulus bits for RSA, field bits for EC.</summary>
        public int SizeInBits => _rsa is not null ? _rsa.Modulus.BitLength : _ec!.Parameters.Curve.FieldSize;

        /// <summary>Wraps a key the platform generated.</summary>
        public static PrivateKey FromNative(AsymmetricAlgorithm native)
        {
            switch (native)
            {
                case RSA rsa:
                    {
                        RSAParameters p = rsa.ExportParameters(true);
                        try
                        {
                            var structure = new RsaPrivateKeyStructure(
                                Unsigned(p.Modulus!), Unsigned(p.Exponent!), Unsigned(p.D!), Unsigned(p.P!), Unsigned(p.Q!),
                                Unsigned(p.DP!), Unsigned(p.DQ!), Unsigned(p.InverseQ!));
                            return new PrivateKey(structure, rsa);
                        }
                        finally
                        {
                            Clear(p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ);
                        }
                    }

                case ECDsa ecdsa:
                    {
                        ECParameters p = ecdsa.ExportParameters(true);
                        try
                        {
                            DerObjectIdentifier curveOid = CurveOid(p.Curve);
                            var privateKey = new ECPrivateKeyParameters("EC", Unsigned(p.D!), curveOid);
                            var publicKey = new ECPublicKeyParameters("EC", privateKey.Parameters.Curve.CreatePoint(Unsigned(p.Q.X!), Unsigned(p.Q.Y!)), curveOid);
                            return new PrivateKey(privateKey, publicKey, ecdsa);
                        }
                        finally
                        {
                            Clear(p.D);
                        }
                    }

                default:
                    throw new ArgumentException("Only RSA and ECDSA platform keys are supported.", nameof(native));
            }
        }

        /// <summary>A key from its PKCS#8 structure (every reader ends here). Only RSA (and RSA-PSS) and the NIST EC curves are accepted.</summary>
        public static PrivateKey FromPrivateKeyInfo(PrivateKeyInfo info, string source)
        {
            DerObjectIdentifier algorithm = info.PrivateKeyAlgorithm.Algorithm;
            if (algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
            {
                return new PrivateKey(RsaPrivateKeyStructure.GetInstance(info.ParsePrivateKey()), null);
            }

            if (algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
            {
                // The key keeps its PSS identifier (and any parameters restricting it), so its public half is the one a
                // PSS certificate carries and it signs only with PSS.
                return new PrivateKey(RsaPrivateKeyStructure.GetInstance(info.ParsePrivateKey()), null, info.PrivateKeyAlgorithm);
            }

            if (algorithm.Equals(X9ObjectIdentifiers.IdDsa) || algorithm.Id == "1.3.14.3.2.12")
            {
                throw Errors.KeyTypeUnsupported(source, "DSA");
            }

            AsymmetricKeyParameter key;
            try
            {
                key = PrivateKeyFactory.CreateKey(info);
            }
            catch (SecurityUtilityException ex)
            {
                throw Errors.KeyTypeUnsupported(source, "algorithm that is not supported: " + ex.Message);
            }

            return FromBouncyCastle(key, source);
        }

        /// <summary>Wraps a key BouncyCastle produced (OpenSSL legacy PEM, EC keys).</summary>
        public static PrivateKey FromBouncyCastle(AsymmetricKeyParameter privateKey, string source)
        {
            switch (privateKey)
            {
                case RsaPrivateCrtKeyParameters rsa:
                    return new PrivateKey(new RsaPrivateKeyStructure(rsa.Modulus, rsa.PublicExponent, rsa.Exponent, rsa.P, rsa.Q, rsa.DP, rsa.DQ, rsa.QInv), null);

                case ECPrivateKeyParameters ec when ec.PublicKeyParamSet is not null && CurveName(ec.PublicKeyParamSet) is not null:
                    {
                        var q = new FixedPointCombMultiplier().Multiply(ec.Parameters.G, ec.D).Normalize();
                        return new PrivateKey(ec, new ECPublicKeyParameters("EC", q, ec.PublicKeyParamSet), null);
                    }

                case ECPrivateKeyParameters ec when ec.PublicKeyParamSet is null && EllipticCurves.NamedEquivalent(ec.Parameters) is DerObjectIdentifier named:
                    {
                        // Explicit parameters (openssl ecparam -param_enc explicit) equal to a named curve's: that curve.
                        var namedKey = new ECPrivateKeyParameters("EC", ec.D, named);
                        var q = new FixedPointCombMultiplier().Multiply(namedKey.Parameters.G, namedKey.D).Normalize();
                        return new PrivateKey(namedKey, new ECPublicKeyParameters("EC", q, named), null);
                    }

                case ECPrivateKeyParameters ec when ec.PublicKeyParamSet is null:
                    throw Errors.KeyTypeUnsupported(source, "elliptic-curve key with explicit curve parameters that are not those of P-256, P-384 or P-521, so it");

                case ECPrivateKeyParameters:
                    throw Errors.KeyTypeUnsupported(source, "elliptic-curve key on a curve other than P-256, P-384 or P-521");

                default:
                    throw Errors.KeyTypeUnsupported(source, KeyDescriptions.KindOf(privateKey));
            }
        }

        /// <summary>The key as unencrypted PKCS#8 DER. The caller clears the array after use.</summary>
        public byte[] ToPkcs8Der() => _rsa is not null
            ? new PrivateKeyInfo(_rsaAlgorithm, _rsa).GetDerEncoded()
            : PrivateKeyInfoFactory.CreatePrivateKeyInfo(_ec!).GetDerEncoded();

        /// <summary>The RSA structure, for the platform importer.</summary>
        public RsaPrivateKeyStructure? Rsa => _rsa;

        /// <summary>The EC parameters, for the platform importer.</summary>
        public ECPrivateKeyParameters? EllipticCurve => _ec;

        /// <summary>True when the public key in <paramref name="publicKeyInfo"/> is this key's public half.</summary>
        public bool Matches(SubjectPublicKeyInfo publicKeyInfo)
        {
            try
            {
                if (_rsa is not null)
                {
                    // rsaEncryption and RSASSA-PSS name the same kind of public key (modulus and exponent): a PSS key
                    // and its certificate, or the same key pair under either identifier, match as openssl shows.
                    DerObjectIdentifier theirAlgorithm = publicKeyInfo.Algorithm.Algorithm;
                    if (!theirAlgorithm.Equals(PkcsObjectIdentifiers.RsaEncryption) && !theirAlgorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
                    {
                        return false;
                    }

                    var theirs = RsaPublicKeyStructure.GetInstance(publicKeyInfo.ParsePublicKey());
                    return _rsa.Modulus.Equals(theirs.Modulus) && _rsa.PublicExponent.Equals(theirs.PublicExponent);
                }

                // EC public keys: same curve and point (compressed or not) compare equal once decoded.
                if (!publicKeyInfo.Algorithm.Algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey))
                {
                    return false;
                }

                var other = (ECPublicKeyParameters)PublicKeyFactory.CreateKey(publicKeyInfo);
                var mine = (ECPublicKeyParameters)PublicKeyFactory.CreateKey(PublicKeyInfo);
                return mine.Parameters.Curve.Equals(other.Parameters.Curve) && mine.Q.Normalize().Equals(other.Q.Normalize());
            }
            catch (Exception ex) when (SignatureVerifier.IsFailure(ex))
            {
                return false;
            }
        }

        /// <summary>The X.509 algorithm identifier of a signature by this key with <paramref name="hash"/>.</summary>
        public AlgorithmIdentifier SignatureAlgorithm(HashAlgorithmName hash)
        {
            if (IsPss)
            {
                // PSS as the platform signs it and openssl writes it: the same hash for the mask, a salt as long as the hash.
                var hashAlgorithm = new AlgorithmIdentifier(hash.Name switch
                {
                    "SHA384" => Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha384,
                    "SHA512" => Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha512,
                    _ => Org.BouncyCastle.Asn1.Nist.NistObjectIdentifiers.IdSha256,
                }, DerNull.Instance);
                int saltLength = hash.Name switch { "SHA384" => 48, "SHA512" => 64, _ => 32 };
                var parameters = new RsassaPssParameters(hashAlgorithm, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, hashAlgorithm), DerInteger.ValueOf(saltLength), DerInteger.One);
                return new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsassaPss, parameters);
            }

            if (IsRsa)
            {
                DerObjectIdentifier oid = hash.Name switch
                {
                    "SHA384" => PkcsObjectIdentifiers.Sha384WithRsaEncryption,
                    "SHA512" => PkcsObjectIdentifiers.Sha512WithRsaEncryption,
                    _ => PkcsObjectIdentifiers.Sha256WithRsaEncryption,
                };
                return new AlgorithmIdentifier(oid, DerNull.Instance);
            }

            DerObjectIdentifier ecOid = hash.Name switch
            {
                "SHA384" => X9ObjectIdentifiers.ECDsaWithSha384,
                "SHA512" => X9ObjectIdentifiers.ECDsaWithSha512,
                _ => X9ObjectIdentifiers.ECDsaWithSha256,
            };
            return new AlgorithmIdentifier(ecOid);
        }

        /// <summary>A signature over <paramref name="data"/> in X.509 form (PKCS#1 v1.5 for RSA, DER r,s for ECDSA), made natively.</summary>
        public byte[] Sign(byte[] data, HashAlgorithmName hash)
        {
            try
            {
                return SignNatively(data, hash);
            }
            catch (CryptographicException ex)
            {
                // A key read from a damaged file can parse (its numbers are numbers) and still not be a key.
                throw Errors.KeyUnusable(Description, ex);
            }
        }

        private byte[] SignNatively(byte[] data, HashAlgorithmName hash)
        {
            AsymmetricAlgorithm native = Native();
            if (native is RSA rsa)
            {
                return rsa.SignData(data, hash, IsPss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
            }

            byte[] p1363 = ((ECDsa)native).SignData(data, hash);
            int half = p1363.Length / 2;
            byte[] r = new byte[half];
            byte[] s = new byte[half];
            Buffer.BlockCopy(p1363, 0, r, 0, half);
            Buffer.BlockCopy(p1363, half, s, 0, half);
            return new DerSequence(new DerInteger(new BigInteger(1, r)), new DerInteger(new BigInteger(1, s))).GetDerEncoded();
        }

        /// <inheritdoc/>
        public override string ToString() => $"{Description} private key";

        internal static string? CurveName(DerObjectIdentifier oid)
        {
            if (oid.Equals(SecObjectIdentifiers.SecP256r1))
            {
                return "P-256";
            }

            if (oid.Equals(SecObjectIdentifiers.SecP384r1))
            {
                return "P-384";
            }

            return oid.Equals(SecObjectIdentifiers.SecP521r1) ? "P-521" : null;
        }

        private static DerObjectIdentifier CurveOid(ECCurve curve)
        {
            string? oid = curve.Oid?.Value;
            if (oid is null && curve.Oid?.FriendlyName is string friendly)
            {
                oid = friendly switch
                {
                    "nistP256" or "ECDSA_P256" => SecObjectIdentifiers.SecP256r1.Id,
                    "nistP384" or "ECDSA_P384" => SecObjectIdentifiers.SecP384r1.Id,
                    "nistP521" or "ECDSA_P521" => SecObjectIdentifiers.SecP521r1.Id,
                    _ => null,
                };
            }

            if (oid is null)
            {
                throw new ArgumentException("The platform key has no named curve.");
            }

            return new DerObjectIdentifier(oid);
        }

        private AsymmetricAlgorithm Native()
        {
            lock (_nativeLock)
            {
                _native ??= NativeKeys.Import(this);
                return _native;
            }
        }

        private static BigInteger Unsigned(byte[] bigEndian) => new BigInteger(1, bigEndian);

        private static void Clear(params byte[]?[] arrays)
        {
            foreach (byte[]? array in arrays)
            {
                if (array is not null)
                {
                    Array.Clear(array, 0, array.Length);
                }
            }
        }
    }
}
