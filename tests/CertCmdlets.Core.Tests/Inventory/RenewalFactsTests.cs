using System;
using System.Globalization;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Inventory;
using CertCmdlets.Core.Tests.Chains;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Inventory
{
    /// <summary>
    /// The renewal facts and subject fields issue 9 puts on every certificate object, checked against the dates and
    /// names openssl itself prints for the files it made: RenewAfter is two thirds into the lifetime, or 30 days before
    /// expiry, whichever comes first; RenewRecommended once it has passed; O, OU, L, ST, C and the e-mail address as
    /// plain properties.
    /// </summary>
    public sealed class RenewalFactsTests : IDisposable, IClassFixture<InventoryPki>
    {
        private readonly InventoryPki _pki;
        private readonly TempDirectory _temp = new TempDirectory();

        public RenewalFactsTests(InventoryPki pki)
        {
            _pki = pki;
        }

        public void Dispose() => _temp.Dispose();

        [OpenSslFact]
        public void YearLongCertificate_IsDueTwoThirdsIntoItsLifetime_NotYet()
        {
            (DateTime notBefore, DateTime notAfter) = OpenSslDates(_pki.PathOf("www.crt"));
            CertificateInfo certificate = Read(_pki.PathOf("www.crt"));

            // 365 days: two thirds (day 243.3) comes before "30 days left" (day 335).
            Assert.Equal(365, (notAfter - notBefore).TotalDays, 3);
            AssertClose(notBefore.AddDays(365.0 * 2 / 3), certificate.RenewAfter.ToUniversalTime());
            Assert.True(certificate.RenewAfter < certificate.NotAfter.AddDays(-30));
            Assert.False(certificate.RenewRecommended);
        }

        [OpenSslFact]
        public void ShortCertificate_IsDueThirtyDaysBeforeExpiry_AndATenDayOneIsDueNow()
        {
            EcKeyAndLeaf("short.key", "short.crt", "/CN=short.example.test", days: 45);
            (DateTime shortStart, DateTime shortEnd) = OpenSslDates(Path.Combine(_temp.Path, "short.crt"));
            (_, DateTime dueEnd) = OpenSslDates(_pki.PathOf("due.crt"));

            CertificateInfo shortLived = Read(Path.Combine(_temp.Path, "short.crt"));
            CertificateInfo due = Read(_pki.PathOf("due.crt"));

            // 45 days: "30 days left" (day 15) comes before two thirds (day 30).
            Assert.Equal(45, (shortEnd - shortStart).TotalDays, 3);
            AssertClose(shortEnd.AddDays(-30), shortLived.RenewAfter.ToUniversalTime());
            Assert.False(shortLived.RenewRecommended);
            AssertClose(dueEnd.AddDays(-30), due.RenewAfter.ToUniversalTime());
            Assert.True(due.RenewRecommended);
            Assert.InRange(due.DaysRemaining, 9, 10);
        }

        [OpenSslFact]
        public void SubjectFields_ArePlainProperties_AsOpenSslWroteThem()
        {
            EcKeyAndLeaf(
                "full.key",
                "full.crt",
                "/C=DE/ST=Hessen/L=Frankfurt am Main/O=Beispiel GmbH/OU=Web/OU=Betrieb/CN=www.beispiel.test/emailAddress=tls@beispiel.test",
                days: 90);

            CertificateInfo certificate = Read(Path.Combine(_temp.Path, "full.crt"));
            string printed = OpenSsl.Expect(_temp.Path, "x509", "-in", "full.crt", "-noout", "-subject", "-nameopt", "RFC2253").Output;

            Assert.Equal("Beispiel GmbH", certificate.Organization);
            Assert.Equal(new[] { "Betrieb", "Web" }, certificate.OrganizationalUnit.OrderBy(u => u, StringComparer.Ordinal));
            Assert.Equal("Frankfurt am Main", certificate.Locality);
            Assert.Equal("Hessen", certificate.State);
            Assert.Equal("DE", certificate.Country);
            Assert.Equal("tls@beispiel.test", certificate.Email);
            Assert.Contains("O=Beispiel GmbH", printed, StringComparison.Ordinal);

            // Properties are copies: a script that changes the array it got does not change the object.
            certificate.OrganizationalUnit[0] = "changed";
            Assert.DoesNotContain("changed", certificate.OrganizationalUnit);
        }

        [OpenSslFact]
        public void CertificateWithoutTheFields_HasNullsAndAnEmptyArray_NotTextToParse()
        {
            CertificateInfo certificate = Read(_pki.PathOf("self.crt"));

            Assert.Null(certificate.Organization);
            Assert.Empty(certificate.OrganizationalUnit);
            Assert.Null(certificate.Locality);
            Assert.Null(certificate.State);
            Assert.Null(certificate.Country);
            Assert.Null(certificate.Email);
        }

        private static CertificateInfo Read(string path) => Assert.Single(CertificateInventory.ReadNamedFile(path));

        private void EcKeyAndLeaf(string key, string certificate, string subject, int days)
        {
            ChainMaker.EcKey(_temp.Path, key);
            File.Copy(_pki.PathOf("int.crt"), Path.Combine(_temp.Path, "int.crt"), overwrite: true);
            File.Copy(_pki.PathOf("int.key"), Path.Combine(_temp.Path, "int.key"), overwrite: true);
            ChainMaker.Leaf(_temp.Path, key, subject, "int.crt", "int.key", certificate, new[] { "www.beispiel.test" }, days: days);
        }

        /// <summary>notBefore and notAfter as openssl prints them (UTC).</summary>
        private static (DateTime NotBefore, DateTime NotAfter) OpenSslDates(string path)
        {
            string output = OpenSsl.Expect(Path.GetDirectoryName(path)!, "x509", "-in", path, "-noout", "-startdate", "-enddate", "-dateopt", "iso_8601").Output;
            DateTime Field(string name)
            {
                string line = output.Split('\n').Single(l => l.StartsWith(name + "=", StringComparison.Ordinal));
                return DateTime.Parse(line.Substring(name.Length + 1).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            }

            return (Field("notBefore"), Field("notAfter"));
        }

        /// <summary>Within a second: openssl prints whole seconds, two thirds of a lifetime need not be one.</summary>
        private static void AssertClose(DateTime expected, DateTime actual) =>
            Assert.True(Math.Abs((expected - actual).TotalSeconds) < 1, $"expected {expected:O}, got {actual:O}");
    }
}
