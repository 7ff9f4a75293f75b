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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($WorkDirectory, 'notes.txt'), "existing content`n")
$output = [System.IO.Path]::Combine($WorkDirectory, 'out')
$before = Get-DirectorySnapshot $WorkDirectory
$suggestionPattern = [regex]::Escape("'$Suggestion'")

$request = Assert-ErrorId { New-CertRequest -CommonName 'www.example.com' -Country $Country -OutputDirectory $output } 'CountryCodeInvalid' -Category InvalidArgument -MessagePattern $suggestionPattern
Assert-Count 0 $request.Output 'no request is emitted'
Assert-Equal $Country $request.Errors[0].TargetObject 'the error targets the value given'
Assert-Match $request.Errors[0].Exception.Message ([regex]::Escape("-Country $Suggestion")) 'the message says what to type instead'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused country code writes nothing and creates no output directory'

$selfSigned = Assert-ErrorId { New-CertRequest -CommonName 'www.example.com' -Country $Country -SelfSign -OutputDirectory $output } 'CountryCodeInvalid' -Category InvalidArgument -MessagePattern $suggestionPattern
Assert-Count 0 $selfSigned.Output 'no certificate is emitted'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused country code writes nothing for -SelfSign either'

# The same code, written right, works: the refusal was about the value, not the rest of the command.
$accepted = New-CertRequest -CommonName 'www.example.com' -Country $Suggestion.ToLowerInvariant()
Assert-Match $accepted.Subject ([regex]::Escape("C=$Suggestion")) 'the suggested code (in any case) is accepted and written upper-case'
