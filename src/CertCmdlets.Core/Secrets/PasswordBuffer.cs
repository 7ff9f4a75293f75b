using System;
using System.Runtime.InteropServices;
using System.Security;

namespace CertCmdlets.Core.Secrets
{
    /// <summary>
    /// A password copied out of a <see cref="SecureString"/> for the moment a key derivation needs it.
    /// The unmanaged copy is zero-freed at once; the managed characters are cleared on dispose.
    /// </summary>
    internal sealed class PasswordBuffer : IDisposable
    {
        private char[] _characters;

        private PasswordBuffer(char[] characters)
        {
            _characters = characters;
        }

        /// <summary>The password's characters; valid until dispose.</summary>
        public char[] Characters => _characters;

        /// <summary>True for an empty password (PKCS#12 and PEM treat it differently from no password).</summary>
        public bool IsEmpty => _characters.Length == 0;

        /// <summary>No password (an empty buffer).</summary>
        public static PasswordBuffer Empty() => new PasswordBuffer(Array.Empty<char>());

        public static PasswordBuffer From(SecureString password)
        {
            if (password is null)
            {
                throw new ArgumentNullException(nameof(password));
            }

            var characters = new char[password.Length];
            IntPtr unmanaged = IntPtr.Zero;
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(password);
                Marshal.Copy(unmanaged, characters, 0, characters.Length);
            }
            finally
            {
                if (unmanaged != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
                }
            }

            return new PasswordBuffer(characters);
        }

        public void Dispose()
        {
            Array.Clear(_characters, 0, _characters.Length);
            _characters = Array.Empty<char>();
        }
    }
}
