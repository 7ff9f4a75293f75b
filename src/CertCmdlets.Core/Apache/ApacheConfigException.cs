using System;

namespace CertCmdlets.Core.Apache
{
    /// <summary>A configuration file httpd would not read: the file, the line, and what is wrong.</summary>
    internal sealed class ApacheConfigException : Exception
    {
        public ApacheConfigException(string path, int line, string problem)
            : base($"{path}, line {line}: {problem}")
        {
            Path = path;
            Line = line;
            Problem = problem;
        }

        public string Path { get; }

        public int Line { get; }

        public string Problem { get; }
    }
}
