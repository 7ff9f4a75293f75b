using System;
using Xunit;
using Xunit.Sdk;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>Assertions on the core's errors: the stable ErrorId is what scripts and the cmdlets match on.</summary>
    public static class CoreAssert
    {
        /// <summary>Runs <paramref name="action"/> and returns the CertCmdletsException it threw, checking its ErrorId.</summary>
        public static CertCmdletsException Throws(string errorId, Action action)
        {
            Exception? thrown = Record.Exception(action);
            if (thrown is null)
            {
                throw new XunitException($"Expected CertCmdletsException '{errorId}', but nothing was thrown.");
            }

            if (thrown is not CertCmdletsException error)
            {
                throw new XunitException($"Expected CertCmdletsException '{errorId}', but got {thrown.GetType().FullName}: {thrown.Message}{Environment.NewLine}{thrown.StackTrace}");
            }

            if (error.ErrorId != errorId)
            {
                throw new XunitException($"Expected ErrorId '{errorId}', but got '{error.ErrorId}': {error.Message}");
            }

            return error;
        }

        /// <summary>The same, for calls that return a value.</summary>
        public static CertCmdletsException Throws(string errorId, Func<object?> call) => Throws(errorId, () => { call(); });

        /// <summary>Like <see cref="Throws(string, Action)"/>, where more than one ErrorId would be a fair answer.</summary>
        public static CertCmdletsException ThrowsAny(string[] errorIds, Action action)
        {
            Exception? thrown = Record.Exception(action);
            if (thrown is not CertCmdletsException error)
            {
                throw new XunitException($"Expected CertCmdletsException ({string.Join(" or ", errorIds)}), but got {(thrown is null ? "nothing" : thrown.GetType().FullName + ": " + thrown.Message + Environment.NewLine + thrown.StackTrace)}");
            }

            Assert.Contains(error.ErrorId, errorIds);
            return error;
        }

        /// <summary>Asserts two snapshots of a directory are the same, listing the differences when not.</summary>
        public static void Unchanged(System.Collections.Generic.IReadOnlyDictionary<string, string> before, System.Collections.Generic.IReadOnlyDictionary<string, string> after)
        {
            Assert.Equal(before, after);
        }
    }
}
