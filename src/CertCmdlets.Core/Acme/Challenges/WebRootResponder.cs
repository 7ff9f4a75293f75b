using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using CertCmdlets.Core.IO;

namespace CertCmdlets.Core.Acme.Challenges
{
    /// <summary>
    /// HTTP-01 through files a web server already serves: &lt;challenge folder&gt;/&lt;token&gt; holding the key authorization,
    /// where the challenge folder is &lt;web root&gt;/.well-known/acme-challenge (or what an Apache site maps that path to).
    /// Files are 0644 and folders it creates 0755 whatever the umask, so the web server's user can read them; every
    /// file it wrote and every folder it created is removed afterwards, also after a failure.
    /// </summary>
    internal sealed class WebRootResponder : IChallengeResponder
    {
        private readonly Func<string, string> _challengeFolderOf;
        private readonly ICoreLog _log;
        private readonly List<string> _files = new List<string>();
        private readonly List<string> _createdFolders = new List<string>();

        /// <summary>A responder writing into the folder <paramref name="challengeFolderOf"/> gives for each identifier.</summary>
        public WebRootResponder(Func<string, string> challengeFolderOf, ICoreLog log)
        {
            _challengeFolderOf = challengeFolderOf;
            _log = log;
        }

        public string ChallengeType => "http-01";

        /// <summary>The challenge folder under a web root (-WebRoot).</summary>
        public static string ChallengeFolder(string webRoot) => Path.Combine(webRoot, ".well-known", "acme-challenge");

        /// <summary>A -WebRoot must be an existing directory (the web server's document root), never created here.</summary>
        public static void RequireWebRoot(string webRoot)
        {
            if (File.Exists(webRoot))
            {
                throw Errors.AcmeWebRootInvalid(webRoot, "it is a file, not a directory.");
            }

            if (!Directory.Exists(webRoot))
            {
                throw Errors.AcmeWebRootInvalid(webRoot, "it does not exist.");
            }
        }

        public void Check(string[] identifiers)
        {
            foreach (string identifier in identifiers)
            {
                string folder = _challengeFolderOf(identifier);
                string? root = Path.GetDirectoryName(Path.GetDirectoryName(folder));
                if (!Directory.Exists(folder) && root is not null && !Directory.Exists(root))
                {
                    throw Errors.AcmeWebRootInvalid(root, "it does not exist.");
                }
            }
        }

        public void Prepare(string identifier, string token, string keyAuthorization)
        {
            string folder = _challengeFolderOf(identifier);
            string path = Path.Combine(folder, token);
            try
            {
                CreateFolders(folder);
                byte[] content = Encoding.ASCII.GetBytes(keyAuthorization);
                string temporary = Path.Combine(folder, "." + token + ".tmp");
                File.WriteAllBytes(temporary, content);
                if (UnixFiles.IsUnix)
                {
                    PosixCalls.ChangeMode(temporary, PosixCalls.PublicFileMode);
                    UnixFiles.RenameReplace(temporary, path);
                }
                else
                {
                    if (File.Exists(path))
                    {
                        File.Delete(path);
                    }

                    File.Move(temporary, path);
                }

                _files.Add(path);
                _log.Verbose($"Wrote the HTTP-01 answer for '{identifier}' to '{path}'.");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.AcmeWebRootInvalid(folder, $"'{path}' could not be written ({ex.Message}).", ex);
            }
        }

        public void WaitUntilVisible()
        {
            // The web server serves the file as soon as it exists.
        }

        public void CleanUp()
        {
            foreach (string file in _files)
            {
                try
                {
                    File.Delete(file);
                    _log.Verbose($"Removed '{file}'.");
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    _log.Warning($"The challenge file '{file}' could not be removed: {ex.Message} Remove it by hand.");
                }
            }

            _files.Clear();
            for (int i = _createdFolders.Count - 1; i >= 0; i--)
            {
                try
                {
                    Directory.Delete(_createdFolders[i], recursive: false);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Not empty (someone else's files) or not ours any more: leave it.
                }
            }

            _createdFolders.Clear();
        }

        public void Dispose() => CleanUp();

        private void CreateFolders(string folder)
        {
            if (Directory.Exists(folder))
            {
                return;
            }

            string? parent = Path.GetDirectoryName(folder);
            if (parent is not null)
            {
                CreateFolders(parent);
            }

            if (UnixFiles.IsUnix)
            {
                PosixCalls.MakeDirectory(folder, PosixCalls.PublicDirectoryMode);
            }
            else
            {
                Directory.CreateDirectory(folder);
            }

            _createdFolders.Add(folder);
        }
    }
}
