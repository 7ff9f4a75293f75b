#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
.SYNOPSIS
    Pester 5 tests for issue 9 on a user's machine: what is due, and a renewal request in one line.

.DESCRIPTION
    The inventory of a TLS tree (Import-CertFile on a directory, and Get-ChildItem piped in bulk, give the same one
    object per site), the five-line renewal flow run twice, New-CertRequest -FromCertificate and piped certificates,
    Import-CertRequest on openssl's requests (PEM, DER, altered), Complete-CertRequest finding its pending request,
    Protect-/Unprotect-PrivateKey judged by openssl, and the bad input of the issue: an unreadable directory and file
    (as an unprivileged account, through setpriv when the tests run as root), a symbolic link loop. The hosted-engine
    twin is tests/CertCmdlets.Tests/InventoryTests.cs; the core's are in tests/CertCmdlets.Core.Tests/Inventory.

    Run from the repository root:  Invoke-Pester ./tests/Pester/Inventory.Tests.ps1
#>

BeforeDiscovery {
    $openSslMissing = -not (Get-Command -Name openssl -CommandType Application -ErrorAction SilentlyContinue) -and $env:CI -ne 'true'
    $notUnix = $IsWindows
}

BeforeAll {
    $repositoryRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $manifest = [System.IO.Path]::Combine($repositoryRoot, 'CertCmdlets.psd1')
    Import-Module $manifest -Force -ErrorAction Stop

    $script:testDirectories = [System.Collections.Generic.List[string]]::new()

    function New-TestDirectory {
        # Under the system's temporary folder, readable by other accounts (the permission test runs as one).
        $path = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'certcmdlets-pester-inventory', [guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($path)
        $script:testDirectories.Add($path)
        return $path
    }

    function Get-TestDirectorySnapshot {
        param([Parameter(Mandatory)][string] $Path)
        $entries = foreach ($file in [System.IO.Directory]::EnumerateFiles($Path, '*', [System.IO.SearchOption]::AllDirectories)) {
            [System.IO.Path]::GetRelativePath($Path, $file) + ' ' + [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.IO.File]::ReadAllBytes($file)))
        }

        $sorted = [string[]] @($entries)
        [System.Array]::Sort($sorted, [System.StringComparer]::Ordinal)
        return ($sorted -join "`n")
    }

    function New-TlsTree {
        # An internal CA, two sites as Export-CertPem writes them (one due in 20 days), a pending request, a CA file, a note.
        param([Parameter(Mandatory)][string] $Path)
        Push-Location -LiteralPath $Path
        try {
            $root = New-CertAuthority 'Pester Root CA' -OutputDirectory ca
            $null = New-CertRequest www.example.test -DnsName example.test -IpAddress 192.0.2.80 -Organization 'Example Ltd' -Country GB |
                Approve-CertRequest -Authority $root | Export-CertPem -OutputDirectory srv/tls/www
            $null = New-CertRequest due.example.test -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $root -ValidDays 20 |
                Export-CertPem -OutputDirectory srv/tls/due
            $null = New-CertRequest pending.example.test -OutputDirectory srv/tls/pending
            Copy-Item -LiteralPath $root.CertificatePath -Destination srv/tls/ca-root.crt
            Set-Content -LiteralPath srv/tls/README.txt -Value 'Certificates of the web farm.'
        }
        finally {
            Pop-Location
        }
    }

    function Get-Description {
        # What identifies an inventory object: the certificate and every file it names.
        param([Parameter(ValueFromPipeline)] $Certificate)
        process { '{0}|{1}|{2}|{3}|{4}|{5}' -f $Certificate.Thumbprint, $Certificate.CertificatePath, $Certificate.FullChainPath, $Certificate.ChainPath, $Certificate.KeyPath, $Certificate.HasPrivateKey }
    }

    function Get-OpenSslPublicKey {
        param([string] $KeyFile, [string] $Password)
        $arguments = @('pkey', '-in', $KeyFile, '-pubout')
        if ($Password) { $arguments += @('-passin', "pass:$Password") }
        $text = & openssl @arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "openssl pkey failed on '$KeyFile': $text" }
        return ($text -join "`n")
    }
}

AfterAll {
    foreach ($directory in $script:testDirectories) {
        Remove-Item -LiteralPath $directory -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Describe 'Inventory of a TLS tree' {
    BeforeAll {
        $work = New-TestDirectory
        New-TlsTree -Path $work
        Push-Location -LiteralPath $work
    }

    AfterAll {
        Pop-Location
    }

    It 'gives one object per site naming its files, the same from a directory and from Get-ChildItem' {
        $walked = @(Import-CertFile srv -Recurse -Verbose -ErrorVariable walkErrors 4>&1)
        $verbose = @($walked | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $objects = @($walked | Where-Object { $_ -is [CertCmdlets.CertificateInfo] })
        $included = @(Get-ChildItem srv -Recurse -Include *.pem, *.crt | Import-CertFile -ErrorVariable includedErrors)
        $everything = @(Get-ChildItem srv -Recurse | Import-CertFile -ErrorVariable everythingErrors)

        $walkErrors + $includedErrors + $everythingErrors | Should -BeNullOrEmpty
        @($objects | ForEach-Object CommonName | Sort-Object) | Should -Be @('due.example.test', 'Pester Root CA', 'www.example.test')
        @($included | Get-Description | Sort-Object) | Should -Be @($objects | Get-Description | Sort-Object)
        @($everything | Get-Description | Sort-Object) | Should -Be @($objects | Get-Description | Sort-Object)
        $www = $objects | Where-Object CommonName -EQ 'www.example.test'
        $www.CertificatePath | Should -Be (Join-Path $work 'srv/tls/www/cert.pem')
        $www.FullChainPath | Should -Be (Join-Path $work 'srv/tls/www/fullchain.pem')
        $www.ChainPath | Should -Be (Join-Path $work 'srv/tls/www/chain.pem')
        $www.KeyPath | Should -Be (Join-Path $work 'srv/tls/www/key.pem')
        $www.Organization | Should -Be 'Example Ltd'
        $verbose | Should -Contain "Passed over '$(Join-Path $work 'srv/tls/README.txt')': not a certificate file."
        ($verbose -match 'pending\.example\.test\.csr.*request').Count | Should -Be 1
    }

    It 'reads a fullchain file with its key as one object' {
        $current = Import-CertFile srv/tls/www/fullchain.pem -KeyPath srv/tls/www/key.pem
        @($current).Count | Should -Be 1
        $current.CommonName | Should -BeOfType [string]
        $current.Chain.Count | Should -Be 1
        $current.HasPrivateKey | Should -BeTrue
    }

    It 'still reports a key file named on its own' {
        $null = Import-CertFile srv/tls/www/key.pem -ErrorVariable keyError -ErrorAction SilentlyContinue
        $keyError[0].FullyQualifiedErrorId | Should -Be 'NoCertificateInFile,CertCmdlets.Commands.ImportCertFileCommand'
        $null = Import-CertFile srv/tls/pending/pending.example.test.csr -ErrorVariable requestError -ErrorAction SilentlyContinue
        $requestError[0].ErrorDetails.RecommendedAction | Should -Match 'Import-CertRequest'
    }

    It 'keeps what is due with -RenewRecommended, -ExpiringWithin and -ExcludeCA' {
        @(Import-CertFile srv -Recurse -RenewRecommended | ForEach-Object CommonName) | Should -Be @('due.example.test')
        @(Import-CertFile srv -Recurse -ExpiringWithin 30 | ForEach-Object CommonName) | Should -Be @('due.example.test')
        @(Import-CertFile srv -Recurse -ExcludeCA | ForEach-Object CommonName | Sort-Object) | Should -Be @('due.example.test', 'www.example.test')
    }
}

Describe 'Bad input in an inventory' {
    It 'reports a damaged certificate file and reads the others' {
        $work = New-TestDirectory
        New-TlsTree -Path $work
        Set-Content -LiteralPath (Join-Path $work 'srv/tls/www/old.crt') -Value 'This download was interrupted.'
        $found = @(Import-CertFile (Join-Path $work 'srv') -Recurse -ErrorVariable damaged -ErrorAction SilentlyContinue)
        $found.Count | Should -Be 3
        $damaged.Count | Should -Be 1
        $damaged[0].FullyQualifiedErrorId | Should -Be 'CertificateFileInvalid,CertCmdlets.Commands.ImportCertFileCommand'
        $damaged[0].TargetObject | Should -Be (Join-Path $work 'srv/tls/www/old.crt')
    }

    It 'ends a symbolic link loop and reads each directory once' -Skip:$notUnix {
        $work = New-TestDirectory
        New-TlsTree -Path $work
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $work 'srv/tls/www/up') -Target '..'
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $work 'srv/again') -Target (Join-Path $work 'srv/tls')
        try {
            $found = @(Import-CertFile (Join-Path $work 'srv') -Recurse -ErrorVariable loopErrors)
            $loopErrors | Should -BeNullOrEmpty
            @($found | ForEach-Object CommonName | Sort-Object) | Should -Be @('due.example.test', 'Pester Root CA', 'www.example.test')
        }
        finally {
            Remove-Item -LiteralPath (Join-Path $work 'srv/tls/www/up'), (Join-Path $work 'srv/again') -Force
        }
    }

    It 'reports an unreadable directory and file one by one and goes on (as an unprivileged account)' -Skip:$notUnix {
        $work = New-TestDirectory
        New-TlsTree -Path $work
        $tree = Join-Path $work 'srv'
        & chmod -R a+rX $work
        $locked = Join-Path $tree 'tls/due'
        $lockedFile = Join-Path $tree 'tls/ca-root.crt'
        & chmod 000 $locked $lockedFile
        try {
            # This very pwsh: its own executable, or (installed as a dotnet tool) dotnet with pwsh.dll.
            $pwsh = @([System.Environment]::ProcessPath)
            if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh[0]) -eq 'dotnet') {
                $pwsh += [System.IO.Path]::Combine($PSHOME, 'pwsh.dll')
            }

            $module = $manifest
            if ((& id -u) -eq '0') {
                # A checkout under a private folder (/root, mktemp -d) hides pwsh and the module from 'nobody': then it
                # runs copies of both, made in the (readable) work folder.
                & setpriv --reuid=65534 --regid=65534 --clear-groups test -r $pwsh[-1] -a -r $manifest
                if ($LASTEXITCODE -ne 0) {
                    $copies = (New-Item -ItemType Directory -Path $work -Name 'copies').FullName
                    Copy-Item -LiteralPath $PSHOME -Destination (Join-Path $copies 'pwsh') -Recurse
                    $pwsh[-1] = Join-Path $copies 'pwsh' ([System.IO.Path]::GetFileName($pwsh[-1]))
                    $repository = Split-Path -Parent $manifest
                    foreach ($part in 'CertCmdlets.psd1', 'module', 'en-US') {
                        Copy-Item -LiteralPath (Join-Path $repository $part) -Destination $copies -Recurse
                    }

                    $module = Join-Path $copies 'CertCmdlets.psd1'
                    & chmod -R a+rX $copies
                }
                $global:LASTEXITCODE = 0
            }

            $script = "Import-Module '$module'; Import-CertFile '$tree' -Recurse | ForEach-Object { 'OBJECT ' + `$_.CommonName }; `$Error | ForEach-Object { 'ERROR ' + `$_.FullyQualifiedErrorId + ' ' + `$_.TargetObject }"
            if ((& id -u) -eq '0') {
                # Root reads everything: run the inventory as 'nobody', for whom the permissions hold.
                $output = & setpriv --reuid=65534 --regid=65534 --clear-groups env "HOME=$work" @pwsh -NoProfile -NonInteractive -Command $script 2>&1
            }
            else {
                $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1
            }

            $lines = @($output | ForEach-Object { "$_" } | Where-Object { $_ -match '^(OBJECT|ERROR) ' })
            $lines | Should -Not -BeNullOrEmpty -Because "the inventory must run as the unprivileged account: $($output | Out-String)"
            $lines | Should -Contain 'OBJECT www.example.test'
            $lines | Should -Not -Contain 'OBJECT due.example.test'
            $lines | Should -Contain "ERROR DirectoryReadFailed,CertCmdlets.Commands.ImportCertFileCommand $locked"
            $lines | Should -Contain "ERROR FileReadFailed,CertCmdlets.Commands.ImportCertFileCommand $lockedFile"
        }
        finally {
            & chmod 755 $locked
            & chmod 644 $lockedFile
        }
    }
}

Describe 'Renewal in five lines' {
    It 'renews what is due in place, and a second run changes nothing' {
        $work = New-TestDirectory
        New-TlsTree -Path $work
        Push-Location -LiteralPath $work
        try {
            $wwwBefore = Get-TestDirectorySnapshot -Path (Join-Path $work 'srv/tls/www')
            $dueBefore = (Import-CertFile srv/tls/due/cert.pem).Thumbprint

            $renew = {
                $ca = Import-CertFile ca/Pester_Root_CA.crt -KeyPath ca/Pester_Root_CA.key
                Import-CertFile srv/tls -Recurse -RenewRecommended -ExcludeCA | ForEach-Object {
                    New-CertRequest -FromCertificate $_ | Approve-CertRequest -Authority $ca |
                        Export-CertPem -OutputDirectory (Split-Path $_.CertificatePath) -Force
                }
            }
            $first = @(& $renew)
            $second = @(& $renew)

            @($first | ForEach-Object CommonName) | Should -Be @('due.example.test')
            $second.Count | Should -Be 0
            Get-TestDirectorySnapshot -Path (Join-Path $work 'srv/tls/www') | Should -Be $wwwBefore
            $now = Import-CertFile srv/tls/due
            $now.Thumbprint | Should -Not -Be $dueBefore
            $now.RenewRecommended | Should -BeFalse
            $now.HasPrivateKey | Should -BeTrue
            $now.KeyAlgorithm | Should -Be 'ECDSA P-256'
            $now.DnsNames | Should -Be @('due.example.test')
        }
        finally {
            Pop-Location
        }
    }
}

Describe 'Renewal requests' {
    BeforeAll {
        $work = New-TestDirectory
        New-TlsTree -Path $work
        Push-Location -LiteralPath $work
    }

    AfterAll {
        Pop-Location
    }

    It 'renews a piped certificate with every name, and takes a file with -FromCertificate' {
        $piped = Import-CertFile srv/tls/www/cert.pem | New-CertRequest
        $fromFile = New-CertRequest -FromCertificate srv/tls/www/fullchain.pem -KeyPath srv/tls/www/key.pem
        foreach ($request in $piped, $fromFile) {
            $request.Subject | Should -Be 'CN=www.example.test, O=Example Ltd, C=GB'
            $request.DnsNames | Should -Be @('www.example.test', 'example.test')
            $request.IpAddresses | Should -Be @('192.0.2.80')
            $request.KeyAlgorithm | Should -Be 'RSA 2048'
        }

        $fromFile.KeyPath | Should -Be (Join-Path $work 'srv/tls/www/key.pem')
        $piped.KeyPath | Should -BeNullOrEmpty
    }

    It 'refuses another key, and a CA certificate' {
        $null = New-CertRequest -FromCertificate srv/tls/www/cert.pem -KeyPath srv/tls/due/key.pem -ErrorVariable mismatch -ErrorAction SilentlyContinue
        $mismatch[0].FullyQualifiedErrorId | Should -Be 'CertificateKeyMismatch,CertCmdlets.Commands.NewCertRequestCommand'
        $null = Import-CertFile srv/tls/ca-root.crt | New-CertRequest -ErrorVariable authority -ErrorAction SilentlyContinue
        $authority[0].FullyQualifiedErrorId | Should -Be 'CertificateIsAuthority,CertCmdlets.Commands.NewCertRequestCommand'
    }
}

Describe 'Saved and pending requests' -Skip:$openSslMissing {
    BeforeAll {
        $work = New-TestDirectory
        New-TlsTree -Path $work
        Push-Location -LiteralPath $work
        $null = New-Item -ItemType Directory -Path openssl
        & openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out openssl/api.key 2>&1 | Out-Null
        & openssl req -new -key openssl/api.key -subj '/O=Example Ltd/CN=api.example.test' -addext 'subjectAltName=DNS:api.example.test,IP:192.0.2.81' -out openssl/api.csr 2>&1 | Out-Null
        & openssl req -in openssl/api.csr -outform DER -out openssl/api-der.csr 2>&1 | Out-Null
        $ca = Import-CertFile ca/Pester_Root_CA.crt -KeyPath ca/Pester_Root_CA.key
    }

    AfterAll {
        Pop-Location
    }

    It 'reads openssl requests (PEM with its key beside, DER with -KeyPath), and Approve and Complete take them' {
        $pem = Import-CertRequest openssl/api.csr
        $der = Import-CertRequest openssl/api-der.csr -KeyPath openssl/api.key
        $pem.HasPrivateKey | Should -BeTrue
        $der.HasPrivateKey | Should -BeTrue
        $pem.RequestedExtensions | Should -Be @('subjectAltName: DNS:api.example.test, IP Address:192.0.2.81')
        $signed = $pem | Approve-CertRequest -Authority $ca
        $signed.HasPrivateKey | Should -BeTrue
        Set-Content -LiteralPath answer-api.pem -Value $signed.ToPem()
        ($der | Complete-CertRequest -CertificatePath answer-api.pem -TrustedRootPath ca/Pester_Root_CA.crt).HasPrivateKey | Should -BeTrue
    }

    It 'refuses an altered request with RequestSignatureInvalid' {
        $bytes = [System.IO.File]::ReadAllBytes((Join-Path $work 'openssl/api-der.csr'))
        $bytes[$bytes.Length - 6] = $bytes[$bytes.Length - 6] -bxor 0x20
        [System.IO.File]::WriteAllBytes((Join-Path $work 'openssl/altered.csr'), $bytes)
        $null = Import-CertRequest openssl/altered.csr -ErrorVariable altered -ErrorAction SilentlyContinue
        $altered[0].FullyQualifiedErrorId | Should -Be 'RequestSignatureInvalid,CertCmdlets.Commands.ImportCertRequestCommand'
    }

    It 'completes the pending request given only the answer, and writes nothing without its key' {
        Set-Content -LiteralPath answer.pem -Value (Approve-CertRequest -Path srv/tls/pending/pending.example.test.csr -Authority $ca).ToPem()
        $null = Complete-CertRequest answer.pem -OutputDirectory site -ErrorVariable notFound -ErrorAction SilentlyContinue
        $notFound[0].FullyQualifiedErrorId | Should -Be 'PendingRequestNotFound,CertCmdlets.Commands.CompleteCertRequestCommand'
        $completed = Complete-CertRequest answer.pem -RequestDirectory srv/tls/pending -OutputDirectory site -TrustedRootPath ca/Pester_Root_CA.crt
        $completed.HasPrivateKey | Should -BeTrue
        Get-Content -LiteralPath site/key.pem -Raw | Should -Be (Get-Content -LiteralPath srv/tls/pending/pending.example.test.key -Raw)

        Move-Item -LiteralPath srv/tls/pending/pending.example.test.key -Destination moved.key
        $null = Complete-CertRequest answer.pem -RequestDirectory srv/tls/pending -OutputDirectory site2 -ErrorVariable noKey -ErrorAction SilentlyContinue
        $noKey[0].FullyQualifiedErrorId | Should -Be 'RequestKeyNotFound,CertCmdlets.Commands.CompleteCertRequestCommand'
        Test-Path -LiteralPath site2 | Should -BeFalse
    }
}

Describe 'Protect-PrivateKey and Unprotect-PrivateKey' -Skip:$openSslMissing {
    It 'removes and sets a key password on the key alone, and a wrong password writes nothing' {
        $work = New-TestDirectory
        Push-Location -LiteralPath $work
        try {
            & openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out plain.pem 2>&1 | Out-Null
            & openssl rsa -in plain.pem -aes256 -traditional -passout 'pass:Old pass 1' -out legacy.key 2>&1 | Out-Null
            $publicKey = Get-OpenSslPublicKey -KeyFile plain.pem
            $before = Get-TestDirectorySnapshot -Path $work

            $null = Unprotect-PrivateKey legacy.key -Password (ConvertTo-SecureString 'wrong' -AsPlainText -Force) -OutputPath out.key -ErrorVariable wrong -ErrorAction SilentlyContinue
            $wrong[0].FullyQualifiedErrorId | Should -Be 'KeyPasswordIncorrect,CertCmdlets.Commands.UnprotectPrivateKeyCommand'
            Unprotect-PrivateKey legacy.key -Password (ConvertTo-SecureString 'Old pass 1' -AsPlainText -Force) -OutputPath out.key -WhatIf
            { Unprotect-PrivateKey legacy.key -Password (ConvertTo-SecureString 'Old pass 1' -AsPlainText -Force) } | Should -Throw -ErrorId 'KeyOutputPathRequired,CertCmdlets.Commands.UnprotectPrivateKeyCommand'
            Get-TestDirectorySnapshot -Path $work | Should -Be $before

            $result = Unprotect-PrivateKey legacy.key -Password (ConvertTo-SecureString 'Old pass 1' -AsPlainText -Force) -OutputPath key_with_no_pw.key
            $result.IsEncrypted | Should -BeFalse
            if (-not $IsWindows) { (Get-Item key_with_no_pw.key).UnixMode | Should -Be '-rw-------' }
            Get-OpenSslPublicKey -KeyFile key_with_no_pw.key | Should -Be $publicKey

            $protected = Get-Item key_with_no_pw.key | Protect-PrivateKey -Password (ConvertTo-SecureString 'New pass 2' -AsPlainText -Force) -Force
            $protected.Path | Should -Be (Join-Path $work 'key_with_no_pw.key')
            Get-OpenSslPublicKey -KeyFile key_with_no_pw.key -Password 'New pass 2' | Should -Be $publicKey
        }
        finally {
            Pop-Location
        }
    }
}
