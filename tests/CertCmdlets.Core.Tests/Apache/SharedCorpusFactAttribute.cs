using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// A test of a case only the shared corpus (shared/apache-corpus beside the clone) has, such as certbot's marked
    /// complex_parsing tree: skipped, with the reason, where the shared corpus is absent (a plain clone, CI included),
    /// since the repository must pass its tests without it.
    /// </summary>
    public sealed class SharedCorpusFactAttribute : FactAttribute
    {
        public SharedCorpusFactAttribute()
        {
            if (ApacheCorpus.Shared is null)
            {
                Skip = "the shared Apache corpus (shared/apache-corpus beside the clone) is not present; it only adds cases";
            }
        }
    }
}
