using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CertCmdlets.HelpBuilder
{
    /// <summary>
    /// A conceptual help topic, help/about_Name.help.txt, in the plain-text layout Get-Help reads (TOPIC, SHORT
    /// DESCRIPTION, LONG DESCRIPTION...). It is copied beside the MAML file, in the culture folder of the module base,
    /// where <c>Get-Help about_Name</c> finds it.
    /// </summary>
    internal sealed record AboutTopic(string Name, string Path)
    {
        private const string Suffix = ".help.txt";

        /// <summary>Reads the about_*.help.txt files of a folder and checks their headings.</summary>
        public static IReadOnlyList<AboutTopic> ReadFolder(string directory, List<string> problems)
        {
            if (!Directory.Exists(directory))
            {
                problems.Add($"The help source folder {directory} does not exist.");
                return Array.Empty<AboutTopic>();
            }

            List<AboutTopic> topics = new List<AboutTopic>();
            foreach (string path in Directory.EnumerateFiles(directory, "about_*" + Suffix).OrderBy(p => p, StringComparer.Ordinal))
            {
                string name = System.IO.Path.GetFileName(path);
                name = name.Substring(0, name.Length - Suffix.Length);
                string[] lines = File.ReadAllLines(path);
                int topic = Array.FindIndex(lines, l => l.Trim() == "TOPIC");
                bool named = topic >= 0 && lines.Skip(topic + 1).FirstOrDefault(l => l.Trim().Length > 0)?.Trim() == name;
                if (!named || !lines.Any(l => l.Trim() == "SHORT DESCRIPTION") || !lines.Any(l => l.Trim() == "LONG DESCRIPTION"))
                {
                    problems.Add($"{path}: an about topic has the headings TOPIC (followed by '{name}'), SHORT DESCRIPTION and LONG DESCRIPTION.");
                    continue;
                }

                topics.Add(new AboutTopic(name, path));
            }

            return topics;
        }

        /// <summary>Copies the topics into the output folder (temporary file, then rename) and removes topics no longer in the sources.</summary>
        public static void CopyAll(IReadOnlyList<AboutTopic> topics, string outputDirectory)
        {
            Directory.CreateDirectory(outputDirectory);
            foreach (AboutTopic topic in topics)
            {
                string target = System.IO.Path.Combine(outputDirectory, topic.Name + Suffix);
                string temporary = target + "." + Environment.ProcessId + ".tmp";
                try
                {
                    // Normalized to LF and UTF-8 without a byte order mark, as written in the repository.
                    File.WriteAllText(temporary, File.ReadAllText(topic.Path).Replace("\r\n", "\n"), new UTF8Encoding(false));
                    File.Move(temporary, target, overwrite: true);
                }
                finally
                {
                    if (File.Exists(temporary))
                    {
                        File.Delete(temporary);
                    }
                }
            }

            HashSet<string> current = new HashSet<string>(topics.Select(t => t.Name + Suffix), StringComparer.Ordinal);
            foreach (string stale in Directory.EnumerateFiles(outputDirectory, "about_*" + Suffix).Where(p => !current.Contains(System.IO.Path.GetFileName(p))))
            {
                File.Delete(stale);
            }
        }
    }
}
