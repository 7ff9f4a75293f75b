using System;

namespace CertCmdlets
{
    /// <summary>
    /// The one exception the module throws for anything a user can get wrong. It carries what the cmdlets
    /// need for an error record: a stable PascalCase <see cref="ErrorId"/>, a <see cref="Kind"/>, the
    /// offending input as <see cref="Target"/>, and what to do about it (<see cref="RecommendedAction"/>).
    /// Messages are written for administrators and never contain key material or passwords. Scripts catch it as
    /// <c>catch [CertCmdlets.CertCmdletsException]</c>.
    /// </summary>
    [Serializable]
    public sealed class CertCmdletsException : Exception
    {
        /// <summary>Creates an exception with a stable error id, a kind, the offending target and a message.</summary>
        public CertCmdletsException(string errorId, CertErrorKind kind, object? target, string message, Exception? innerException = null)
            : this(errorId, kind, target, message, null, innerException)
        {
        }

        /// <summary>Creates an exception whose message ends with the recommended action, given apart as well.</summary>
        public CertCmdletsException(string errorId, CertErrorKind kind, object? target, string message, string? recommendedAction, Exception? innerException)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
            RecommendedAction = recommendedAction;
        }

        /// <summary>A stable PascalCase identifier (e.g. <c>KeyPasswordIncorrect</c>); scripts and tests match on it.</summary>
        public string ErrorId { get; }

        /// <summary>What kind of failure this is.</summary>
        public CertErrorKind Kind { get; }

        /// <summary>The input that caused the failure: a path, a parameter value, an object.</summary>
        [field: NonSerialized]
        public object? Target { get; }

        /// <summary>What the user can do about it, in one sentence.</summary>
        public string? RecommendedAction { get; }
    }
}
