using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace CertCmdlets.Core.Naming
{
    /// <summary>
    /// The assigned ISO 3166-1 alpha-2 codes with their English short names, for tab completion of -Country. The data
    /// is <see cref="CountryCodes"/>'s; this type touches no BouncyCastle type, so completing a country never loads it.
    /// </summary>
    public static class CountryList
    {
        private static readonly Lazy<ReadOnlyCollection<KeyValuePair<string, string>>> s_all =
            new Lazy<ReadOnlyCollection<KeyValuePair<string, string>>>(Build);

        /// <summary>Every assigned code (upper case) and its English short name, sorted by code; built once, read-only.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> All => s_all.Value;

        /// <summary>The assigned code a wrong value stands for ("UK" gives "GB", "Deutschland" gives "DE"), or null.</summary>
        /// <param name="input">What the user typed.</param>
        /// <returns>An assigned upper-case code, or null.</returns>
        public static string? Suggest(string input) => CountryCodes.Suggest(input);

        private static ReadOnlyCollection<KeyValuePair<string, string>> Build()
        {
            var all = new List<KeyValuePair<string, string>>();
            var code = new char[2];
            for (char first = 'A'; first <= 'Z'; first++)
            {
                for (char second = 'A'; second <= 'Z'; second++)
                {
                    code[0] = first;
                    code[1] = second;
                    string text = new string(code);
                    string? name = CountryCodes.NameOf(text);
                    if (name is not null)
                    {
                        all.Add(new KeyValuePair<string, string>(text, name));
                    }
                }
            }

            return all.AsReadOnly();
        }
    }
}
