@{
    # The cmdlet assembly; the core and BouncyCastle sit in module/Dependencies and are loaded by its resolver.
    RootModule             = 'module/CertCmdlets.dll'
    # Must equal <Version> in Directory.Build.props (a test checks it).
    ModuleVersion          = '0.1.0'
    GUID                   = '1dcd827d-bfbb-488d-988e-c7e73dade50b'
    Author                 = 'CertCmdlets contributors'
    CompanyName            = 'CertCmdlets'
    Copyright              = '(c) CertCmdlets contributors. MIT License.'
    Description            = 'The whole life of a web server''s TLS certificate, on Windows, Linux and macOS: private keys and certificate signing requests, self-signed certificates and an internal CA, PEM, DER, PKCS#7 and PFX files (IIS to Apache and back), chains in order, certificates from ACME CAs (Let''s Encrypt, ZeroSSL...), Apache httpd over HTTPS with verified activation and rollback, checks of files and live servers, and renewal.'
    CompatiblePSEditions   = @('Desktop', 'Core')
    PowerShellVersion      = '5.1'
    # The public types scripts name ([CertCmdlets.CertificateInfo], catch [CertCmdlets.CertCmdletsException]), loaded
    # with the module so type literals resolve from the first line; it holds no BouncyCastle.
    RequiredAssemblies     = @('module/CertCmdlets.Model.dll')
    FormatsToProcess       = @('module/CertCmdlets.format.ps1xml')
    TypesToProcess         = @('module/CertCmdlets.types.ps1xml')
    CmdletsToExport        = @(
        'New-CertRequest'
        'Import-CertFile'
        'Import-CertRequest'
        'Export-CertPem'
        'Import-PfxAsPem'
        'Export-PemAsPfx'
        'Join-CertChain'
        'Test-CertChain'
        'New-CertAuthority'
        'Approve-CertRequest'
        'Complete-CertRequest'
        'Set-ApacheSsl'
        'Enable-HttpsRedirect'
        'Undo-ApacheChange'
        'Test-HttpsEndpoint'
        'New-AcmeAccount'
        'Get-AcmeAccount'
        'Set-AcmeAccount'
        'Disable-AcmeAccount'
        'Request-AcmeCertificate'
        'Revoke-AcmeCertificate'
        'Update-AcmeRenewalInfo'
        'Protect-PrivateKey'
        'Unprotect-PrivateKey'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS', 'TLS', 'SSL', 'Certificate', 'PKI', 'X509', 'CSR', 'PEM', 'PFX', 'PKCS12', 'Apache', 'HTTPS', 'ACME', 'LetsEncrypt')
            ProjectUri   = 'https://github.com/CertCmdlets/CertCmdlets'
            LicenseUri   = 'https://github.com/CertCmdlets/CertCmdlets/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0: first release.
- Keys and requests (New-CertRequest): RSA 2048/3072/4096, ECDSA P-256/384/521, key reuse for renewal, self-signed certificates; weak choices and wrong country codes refused.
- Every certificate format: PEM, DER, PKCS#7 (Import-CertFile), PFX from Windows and IIS to PEM and back (Import-PfxAsPem, Export-PemAsPfx), PEM files for web servers (Export-CertPem).
- Chains in order from any input, missing issuers downloaded (Join-CertChain), checked (Test-CertChain); an internal CA (New-CertAuthority, Approve-CertRequest); the CA's answer checked against the request (Complete-CertRequest).
- Apache httpd over HTTPS with backups, configtest and restore (Set-ApacheSsl, Enable-HttpsRedirect); -Reload verifies the served certificate and rolls back on a mismatch; Undo-ApacheChange; servers checked from outside (Test-HttpsEndpoint).
- ACME (RFC 8555): accounts, orders through a web root, an Apache site or DNS scripts, renewal information, revocation (New-AcmeAccount, Request-AcmeCertificate, Update-AcmeRenewalInfo, Revoke-AcmeCertificate).
- Help with examples for every cmdlet, about_CertCmdlets and about_CertCmdlets_Renewal; tab completion of -Country, -KeySize and every closed set of values; progress for long key generation and downloads.
'@
        }
    }
}
