<#
.SYNOPSIS
    A country name or a wrong code (UK, USA, Germany) is refused with CountryCodeInvalid, a message that suggests
    the right code, and nothing written.

.DESCRIPTION
    X.509 wants ISO 3166-1 alpha-2 codes, and CAs reject anything else, typically days later. New-CertRequest
    refuses the value at once, for a request and for -SelfSign, with the code to use instead, before it makes a key
    or touches the disk: the output directory is not even created.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER Country
    The wrong value a user types.

.PARAMETER Suggestion
    The code the message must suggest.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [string] $Country = 'UK',
    [string] $Suggestion = 'GB'
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Assert.ps1')

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
Set-Content -LiteralPath (Join-Path $WorkDirectory 'notes.txt') -Value "existing content`n" -NoNewline
$output = Join-Path $WorkDirectory 'out'
$before = Get-DirectorySnapshot $WorkDirectory
$suggestionPattern = [regex]::Escape("'$Suggestion'")

$request = Invoke-ScenarioCommand { New-CertRequest -CommonName 'www.example.com' -Country $Country -OutputDirectory $output }
$request.Errors | Should -HaveCount 1
$request.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CountryCodeInvalid,*'
$request.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
$request.Errors[0].Exception.Message | Should -Match $suggestionPattern
$request.Output | Should -HaveCount 0 -Because 'no request is emitted'
$request.Errors[0].TargetObject | Should -BeExactly $Country -Because 'the error targets the value given'
$request.Errors[0].Exception.Message | Should -Match ([regex]::Escape("-Country $Suggestion")) -Because 'the message says what to type instead'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused country code writes nothing and creates no output directory'

$selfSigned = Invoke-ScenarioCommand { New-CertRequest -CommonName 'www.example.com' -Country $Country -SelfSign -OutputDirectory $output }
$selfSigned.Errors | Should -HaveCount 1
$selfSigned.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CountryCodeInvalid,*'
$selfSigned.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
$selfSigned.Errors[0].Exception.Message | Should -Match $suggestionPattern
$selfSigned.Output | Should -HaveCount 0 -Because 'no certificate is emitted'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused country code writes nothing for -SelfSign either'

# The same code, written right, works: the refusal was about the value, not the rest of the command.
$accepted = New-CertRequest -CommonName 'www.example.com' -Country $Suggestion.ToLowerInvariant()
$accepted.Subject | Should -Match ([regex]::Escape("C=$Suggestion")) -Because 'the suggested code (in any case) is accepted and written upper-case'
