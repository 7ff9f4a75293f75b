using System;
using System.IO;
using System.Management.Automation;
using CertCmdlets.Core;
using CertCmdlets.Core.Inventory;

namespace CertCmdlets
{
    /// <summary>
    /// Lets a certificate parameter also take a certificate file: a path (relative to the PowerShell location) or a
    /// file object from Get-ChildItem. The file must name one certificate: a server certificate (a fullchain.pem gives
    /// the certificate with its chain) or a file of one certificate; a CA bundle names none and is refused. Anything
    /// else is left for <see cref="CertificateTransformationAttribute"/> and the binder; the two may be combined in
    /// either order.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class CertificateFileTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Reads the file a path or file object names, or returns the argument unchanged.</summary>
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            string? path = value switch
            {
                string text when text.Length > 0 => Resolve(engineIntrinsics, text),
                FileInfo file => file.FullName,
                _ => null,
            };
            if (path is null)
            {
                return inputData;
            }

            try
            {
                return BundleGrouping.Single(CertificateInventory.ReadNamedFile(path), path);
            }
            catch (CertCmdletsException ex)
            {
                throw new ArgumentTransformationMetadataException(ex.Message, ex);
            }
        }

        private static string Resolve(EngineIntrinsics engine, string text)
        {
            try
            {
                return engine.SessionState.Path.GetUnresolvedProviderPathFromPSPath(text);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
                return text;
            }
        }
    }
}
