using System;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC;

namespace CertCmdlets.Core.Keys
{
    /// <summary>
    /// The curves the module supports (P-256, P-384, P-521) recognised whether a key names its curve (an OID, as
    /// nearly every key does) or spells out its parameters (openssl ecparam -param_enc explicit): a key with explicit
    /// parameters equal to P-256's is a P-256 key.
    /// </summary>
    internal static class EllipticCurves
    {
        private static readonly DerObjectIdentifier[] s_supported = { SecObjectIdentifiers.SecP256r1, SecObjectIdentifiers.SecP384r1, SecObjectIdentifiers.SecP521r1 };

        /// <summary>The supported named curve whose parameters are exactly <paramref name="parameters"/>, or null.</summary>
        public static DerObjectIdentifier? NamedEquivalent(ECDomainParameters parameters)
        {
            foreach (DerObjectIdentifier oid in s_supported)
            {
                X9ECParameters named = ECNamedCurveTable.GetByOid(oid);
                if (SameCurve(named.Curve, parameters.Curve)
                    && SamePoint(named.G, parameters.G)
                    && named.N.Equals(parameters.N)
                    && named.H.Equals(parameters.H))
                {
                    return oid;
                }
            }

            return null;
        }

        /// <summary>The supported named curve equal to the X9.62 parameters of a key (named or explicit), or null.</summary>
        public static DerObjectIdentifier? NamedEquivalent(Asn1Encodable? algorithmParameters)
        {
            if (algorithmParameters is null)
            {
                return null;
            }

            Asn1Object parameters = X962Parameters.GetInstance(algorithmParameters).Parameters.ToAsn1Object();
            if (parameters is DerObjectIdentifier oid)
            {
                return Array.Exists(s_supported, s => s.Equals(oid)) ? oid : null;
            }

            if (parameters is Asn1Sequence)
            {
                X9ECParameters x9 = X9ECParameters.GetInstance(parameters);
                return NamedEquivalent(new ECDomainParameters(x9.Curve, x9.G, x9.N, x9.H));
            }

            return null;
        }

        /// <summary>The field size in bits of the curve in a key's X9.62 parameters, or null when unknown.</summary>
        public static int? FieldSize(Asn1Encodable? algorithmParameters)
        {
            if (algorithmParameters is null)
            {
                return null;
            }

            Asn1Object parameters = X962Parameters.GetInstance(algorithmParameters).Parameters.ToAsn1Object();
            if (parameters is DerObjectIdentifier oid)
            {
                return ECNamedCurveTable.GetByOid(oid)?.Curve.FieldSize;
            }

            return parameters is Asn1Sequence ? X9ECParameters.GetInstance(parameters).Curve.FieldSize : null;
        }

        private static bool SameCurve(ECCurve a, ECCurve b) =>
            a.Field.Equals(b.Field)
            && a.A.ToBigInteger().Equals(b.A.ToBigInteger())
            && a.B.ToBigInteger().Equals(b.B.ToBigInteger());

        private static bool SamePoint(ECPoint a, ECPoint b)
        {
            ECPoint x = a.Normalize();
            ECPoint y = b.Normalize();
            return x.AffineXCoord.ToBigInteger().Equals(y.AffineXCoord.ToBigInteger())
                && x.AffineYCoord.ToBigInteger().Equals(y.AffineYCoord.ToBigInteger());
        }
    }
}
