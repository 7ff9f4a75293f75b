namespace CertCmdlets.Core
{
    /// <summary>
    /// The seam through which the core reports progress to whoever called it (the cmdlets forward to
    /// WriteVerbose and WriteWarning). Never given secrets.
    /// </summary>
    public interface ICoreLog
    {
        /// <summary>A detail for -Verbose.</summary>
        void Verbose(string message);

        /// <summary>Something the user should know although the operation goes on.</summary>
        void Warning(string message);
    }

    /// <summary>A log that drops everything, for callers that do not listen.</summary>
    public sealed class NullCoreLog : ICoreLog
    {
        /// <summary>The shared instance; it holds no state.</summary>
        public static readonly NullCoreLog Instance = new NullCoreLog();

        private NullCoreLog()
        {
        }

        /// <inheritdoc/>
        public void Verbose(string message)
        {
        }

        /// <inheritdoc/>
        public void Warning(string message)
        {
        }
    }
}
