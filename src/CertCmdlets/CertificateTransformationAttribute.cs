using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core;
using CertCmdlets.Core.Certificates;

namespace CertCmdlets
{
    /// <summary>
    /// Lets every certificate parameter take what PowerShell users hold: our own objects; .NET's X509Certificate2
    /// (Cert:\, Get-PfxCertificate, PSPKI), with its private key when the platform lets it be exported; objects
    /// that went through Export-Clixml, a job or remoting (they are put together again from the certificate they
    /// kept and the files they name, and never claim a key they no longer carry); and Posh-ACME's certificate
    /// objects (CertFile, KeyFile, ChainFile, FullChainFile, PfxFile). Works for single and array parameters.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CertificateTransformationAttribute : ArgumentTransformationAttribute
    {
        private const string DeserializedTypeName = "Deserialized.CertCmdlets.CertificateInfo";

        /// <summary>Converts the argument, or returns it unchanged for the binder to judge.</summary>
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData is null)
            {
                return null;
            }

            object value = inputData is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : inputData;
            if (value is CertificateInfo)
            {
                return value;
            }

            if (value is IEnumerable items && value is not string && value is not PSObject)
            {
                var converted = new List<object?>();
                foreach (object? item in items)
                {
                    converted.Add(Transform(engineIntrinsics, item));
                }

                return converted.TrueForAll(c => c is CertificateInfo) ? converted.ConvertAll(c => (CertificateInfo)c!).ToArray() : inputData;
            }

            try
            {
                if (value is X509Certificate2 x509)
                {
                    return CertificateConversion.FromX509(x509);
                }

                if (inputData is PSObject bag)
                {
                    CertificateParts? parts = PartsOf(bag, engineIntrinsics);
                    if (parts is not null)
                    {
                        return CertificateConversion.FromParts(parts, NullCoreLog.Instance);
                    }
                }
            }
            catch (CertCmdletsException ex)
            {
                throw new ArgumentTransformationMetadataException(ex.Message, ex);
            }

            return inputData;
        }

        /// <summary>The certificate and files an object carries, or null when it carries none of them.</summary>
        private static CertificateParts? PartsOf(PSObject bag, EngineIntrinsics engine)
        {
            bool ours = bag.TypeNames.Contains(DeserializedTypeName);
            var parts = new CertificateParts
            {
                Description = ours
                    ? $"The deserialized certificate object '{Text(bag, "Subject")}'"
                    : $"The {bag.TypeNames[0]} object",
                Certificate = Certificate(bag.Properties["Certificate"]?.Value),
                CertificatePath = Path(bag, engine, "CertificatePath", "CertFile"),
                KeyPath = Path(bag, engine, "KeyPath", "KeyFile"),
                ChainPath = Path(bag, engine, "ChainPath", "ChainFile"),
                FullChainPath = Path(bag, engine, "FullChainPath", "FullChainFile"),
                PfxPath = Path(bag, engine, "PfxPath", "PfxFile"),
            };
            if (bag.Properties["Chain"]?.Value is object chain)
            {
                foreach (object? item in LanguagePrimitives.GetEnumerable(chain) ?? new[] { chain })
                {
                    X509Certificate2? link = item is PSObject element ? Certificate(element.Properties["Certificate"]?.Value) ?? Certificate(element.BaseObject) : Certificate(item);
                    if (link is not null)
                    {
                        parts.Chain.Add(link);
                    }
                }
            }

            bool namesSomething = parts.Certificate is not null || parts.CertificatePath is not null || parts.FullChainPath is not null;
            return ours || namesSomething ? parts : null;
        }

        private static X509Certificate2? Certificate(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) as X509Certificate2;

        private static string Text(PSObject bag, string name) => bag.Properties[name]?.Value?.ToString() ?? string.Empty;

        /// <summary>The first of the named properties holding a path, resolved against the PowerShell location.</summary>
        private static string? Path(PSObject bag, EngineIntrinsics engine, params string[] names)
        {
            foreach (string name in names)
            {
                if (bag.Properties[name]?.Value is object raw && raw.ToString() is string text && text.Length > 0)
                {
                    try
                    {
                        return engine.SessionState.Path.GetUnresolvedProviderPathFromPSPath(text);
                    }
                    catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
                    {
                        return text;
                    }
                }
            }

            return null;
        }
    }
}
