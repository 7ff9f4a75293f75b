@{
    # The cmdlet assembly; the core and BouncyCastle sit in module/Dependencies and are loaded by its resolver.
    RootModule             = 'module/CertCmdlets.dll'
    # Must equal <Version> in Directory.Build.props (a test checks it).
    ModuleVersion          = '0.1.0'
    GUID                   = '1dcd827d-bfbb-488d-988e-c7e73dade50b'
    Author                 = 'CertCmdlets contributors'
    CompanyName            = 'CertCmdlets'
    Copyright              = '(c) CertCmdlets contributors. All rights reserved.'
    Description            = 'The whole life of a web server''s TLS certificate: keys and requests, PEM, DER, PKCS#7 and PFX files, chains, and Apache httpd over HTTPS.'
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
        'Test-HttpsEndpoint'
        'Protect-PrivateKey'
        'Unprotect-PrivateKey'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags       = @('PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS', 'TLS', 'SSL', 'Certificate', 'PKI', 'Apache', 'PEM', 'PFX')
        }
    }
}
