using System.IO;
using System.Linq;
using System.Text;

namespace CertCmdlets.Core.Export
{
    /// <summary>Base names for the files a command writes into an output directory.</summary>
    public static class OutputNames
    {
        /// <summary>
        /// The user's -Name when given (checked to be a plain file name), else a name made from the common
        /// name: "*.example.com" becomes "wildcard.example.com", characters unsafe in file names become '_'.
        /// </summary>
        public static string FromCommonName(string? name, string commonName)
        {
            if (name is not null)
            {
                string trimmed = name.Trim();
                if (trimmed.Length == 0 || trimmed == "." || trimmed == ".." || trimmed.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
                    || trimmed.IndexOf('/') >= 0 || trimmed.IndexOf('\\') >= 0 || trimmed.IndexOf(':') >= 0)
                {
                    throw Errors.NameInvalid(name);
                }

                return trimmed;
            }

            string source = commonName.Trim();
            if (source.StartsWith("*.", System.StringComparison.Ordinal))
            {
                source = "wildcard" + source.Substring(1);
            }

            var builder = new StringBuilder(source.Length);
            foreach (char c in source)
            {
                builder.Append(char.IsLetterOrDigit(c) || c == '.' || c == '-' || c == '_' ? c : '_');
            }

            string result = builder.ToString().Trim('.');
            return result.Length == 0 || result.All(c => c == '_') ? "certificate" : result;
        }
    }
}
