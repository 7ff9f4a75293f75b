namespace CertCmdlets
{
    /// <summary>Helpers shared by the completers.</summary>
    internal static class CompletionText
    {
        /// <summary>The word being completed without the quotes the user may have opened.</summary>
        public static string Unquote(string? wordToComplete) => (wordToComplete ?? string.Empty).Trim().Trim('\'', '"');
    }
}
