<#
.SYNOPSIS
    Scheduled renewal with an internal CA: every certificate under -CertificateDirectory that is due is renewed,
    made live on Apache httpd, checked, and rolled back if it is not served.

.DESCRIPTION
    Copy this script and give it your folders. Each run:
      1. finds what is due: the newest certificate of each name under -CertificateDirectory whose renewal is
         recommended (the last third of its life, or its last 30 days);
      2. renews it with the internal CA (a new key, the same names and subject) into a new dated folder beside it,
         so the live files are never overwritten;
      3. activates it: Set-ApacheSsl -Reload tests the configuration, reloads httpd gracefully, probes the site until
         it serves the new certificate and its chain, and restores every file and reloads again if it does not
         (ActivationFailed); the new folder is then removed, so the next run tries again.
    Exit code 0 when nothing was due or every renewal went live; 1 with a one-line reason on standard error otherwise.

    With a public CA, replace step 2 by Request-AcmeCertificate (see examples/04-acme-apache.ps1); with a CA that
    answers by file, by New-CertRequest -FromCertificate, then Complete-CertRequest on the CA's response.

    Run it daily:
      systemd:  /etc/systemd/system/cert-renew.service  [Service] Type=oneshot
                    ExecStart=/usr/bin/pwsh -NoProfile -File /etc/ssl/Renew-ApacheCertificates.ps1 -CertificateDirectory /etc/ssl/sites -ConfigPath /etc/apache2 -AuthorityCertificate /etc/ssl/ca/issuing.crt -AuthorityKey /etc/ssl/ca/issuing.key
                /etc/systemd/system/cert-renew.timer    [Timer] OnCalendar=daily  RandomizedDelaySec=1h  Persistent=true
      cron:     17 3 * * * root /usr/bin/pwsh -NoProfile -File /etc/ssl/Renew-ApacheCertificates.ps1 -CertificateDirectory /etc/ssl/sites -ConfigPath /etc/apache2 -AuthorityCertificate /etc/ssl/ca/issuing.crt -AuthorityKey /etc/ssl/ca/issuing.key >> /var/log/cert-renew.log 2>&1
      Windows:  Register-ScheduledTask -TaskName 'Certificate renewal' -User SYSTEM `
                    -Trigger (New-ScheduledTaskTrigger -Daily -At 3:17am) `
                    -Action (New-ScheduledTaskAction -Execute pwsh.exe -Argument '-NoProfile -File C:\ssl\Renew-ApacheCertificates.ps1 -CertificateDirectory C:\ssl\sites -ConfigPath C:\Apache24\conf\httpd.conf -AuthorityCertificate C:\ssl\ca\issuing.crt -AuthorityKey C:\ssl\ca\issuing.key')
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $CertificateDirectory,
    [Parameter(Mandatory)][string] $ConfigPath,
    [Parameter(Mandatory)][string] $AuthorityCertificate,
    [Parameter(Mandatory)][string] $AuthorityKey,
    [int] $Port = 443
)

$ErrorActionPreference = 'Stop'
try {
    $authority = Import-CertFile $AuthorityCertificate -KeyPath $AuthorityKey
    $due = @(Import-CertFile $CertificateDirectory -Recurse -ExcludeCertificateAuthority |
            Group-Object CommonName | ForEach-Object { $_.Group | Sort-Object NotAfter | Select-Object -Last 1 } |
            Where-Object RenewRecommended)
    foreach ($old in $due) {
        $folder = Join-Path $CertificateDirectory $old.CommonName (Get-Date -Format 'yyyyMMdd-HHmmss')
        $new = $old | New-CertRequest | Approve-CertRequest -Authority $authority | Export-CertPem -OutputDirectory $folder
        try { $null = $new | Set-ApacheSsl $old.CommonName -ConfigPath $ConfigPath -Port $Port -Reload }
        catch { Remove-Item -LiteralPath $folder -Recurse -Force; throw }
        "Renewed $($old.CommonName): $($new.Thumbprint) is served until $($new.NotAfter.ToString('yyyy-MM-dd'))."
    }

    if ($due.Count -eq 0) { 'Nothing is due.' }
    exit 0
}
catch {
    [Console]::Error.WriteLine("Renewal failed: $($_.Exception.Message)")
    exit 1
}
