using System;

namespace CertCmdlets.Core
{
    /// <summary>
    /// The one exception the core throws for anything a user can get wrong. It carries what the cmdlets
    /// need for an error record: a stable PascalCase <see cref="ErrorId"/>, a <see cref="Kind"/>, and the
    /// offending input as <see cref="Target"/>. Messages are written for administrators and never contain
    /// key material or passwords.
    /// </summary>
    [Serializable]
    public sealed class CertCmdletsException : Exception
    {
        /// <summary>Creates an exception with a stable error id, a kind, the offending target and a message.</summary>
        public CertCmdletsException(string errorId, CertErrorKind kind, object? target, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        /// <summary>A stable PascalCase identifier (e.g. <c>KeyPasswordIncorrect</c>); scripts and tests match on it.</summary>
        public string ErrorId { get; }

        /// <summary>What kind of failure this is.</summary>
        public CertErrorKind Kind { get; }

        /// <summary>The input that caused the failure: a path, a parameter value, an object.</summary>
        [field: NonSerialized]
        public object? Target { get; }
    }
}
