namespace CertCmdlets
{
    /// <summary>
    /// What kind of failure a <see cref="CertCmdletsException"/> reports. The cmdlets map each kind to the
    /// matching PowerShell ErrorCategory; the engine stays free of PowerShell types.
    /// </summary>
    public enum CertErrorKind
    {
        /// <summary>A parameter value is wrong (bad country code, weak key size).</summary>
        InvalidArgument,

        /// <summary>A file's content is not what was expected (garbage, truncated, wrong format).</summary>
        InvalidData,

        /// <summary>A file or object that was named does not exist.</summary>
        ObjectNotFound,

        /// <summary>A file that would be written already exists.</summary>
        ResourceExists,

        /// <summary>The operating system refused access.</summary>
        PermissionDenied,

        /// <summary>A password is missing or wrong.</summary>
        AuthenticationError,

        /// <summary>A security rule refused the operation (weak algorithm, mismatched key).</summary>
        SecurityError,

        /// <summary>Writing a file failed.</summary>
        WriteError,

        /// <summary>Reading a file failed.</summary>
        ReadError,

        /// <summary>The objects given do not fit together in this operation.</summary>
        InvalidOperation,

        /// <summary>The input uses a feature this module does not support.</summary>
        NotImplemented,

        /// <summary>A server or program did not answer in time.</summary>
        OperationTimeout,

        /// <summary>A server or another party refused or failed (a CA, a web server).</summary>
        ConnectionError,

        /// <summary>Another run holds the resource (a lock).</summary>
        ResourceBusy,

        /// <summary>An operation ran but its outcome is not the one asked for (a server serves another certificate).</summary>
        InvalidResult,
    }
}
