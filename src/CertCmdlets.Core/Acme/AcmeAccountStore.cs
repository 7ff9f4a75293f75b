using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CertCmdlets.Core.Acme.Json;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Keys;

namespace CertCmdlets.Core.Acme
{
    /// <summary>One saved account: what account.json says, where it lives.</summary>
    internal sealed class SavedAccount
    {
        public SavedAccount(Uri directory, string accountUrl, string status, string[] contact, DateTimeOffset createdAt, string? termsOfService, string? externalAccountKeyId, string folder)
        {
            Directory = directory;
            AccountUrl = accountUrl;
            Status = status;
            Contact = contact;
            CreatedAt = createdAt;
            TermsOfService = termsOfService;
            ExternalAccountKeyId = externalAccountKeyId;
            Folder = folder;
        }

        public Uri Directory { get; }

        public string AccountUrl { get; }

        public string Status { get; set; }

        public string[] Contact { get; set; }

        public DateTimeOffset CreatedAt { get; }

        public string? TermsOfService { get; }

        public string? ExternalAccountKeyId { get; }

        public string Folder { get; }

        public bool IsDeactivated => !string.Equals(Status, "valid", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Where the ACME accounts live: one folder per directory URL (so an account is reused for every order at that CA),
    /// holding account.key (PKCS#8 PEM, mode 0600 from its first instant) and account.json (URL, status, contacts).
    /// The root is, in order: the folder given (-StateDirectory), $CERTCMDLETS_ACME_STATE, then per user:
    /// $XDG_DATA_HOME/CertCmdlets/acme or ~/.local/share/CertCmdlets/acme on Linux,
    /// ~/Library/Application Support/CertCmdlets/acme on macOS, %LOCALAPPDATA%\CertCmdlets\acme on Windows.
    /// Folders the store creates are 0700 on Unix. Writes go through the module's atomic writer.
    /// </summary>
    internal sealed class AcmeAccountStore
    {
        public const string EnvironmentVariable = "CERTCMDLETS_ACME_STATE";
        public const string KeyFileName = "account.key";
        public const string PendingKeyFileName = "account.key.next";
        public const string DetailsFileName = "account.json";

        public AcmeAccountStore(string? root)
        {
            Root = System.IO.Path.GetFullPath(root ?? DefaultRoot());
        }

        public string Root { get; }

        /// <summary>The per-user default root on this operating system (or the environment variable's folder).</summary>
        public static string DefaultRoot()
        {
            string? overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(overridden))
            {
                return overridden!;
            }

            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CertCmdlets", "acme");
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return Path.Combine(home, "Library", "Application Support", "CertCmdlets", "acme");
            }

            string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            string dataHome = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg) ? xdg! : Path.Combine(home, ".local", "share");
            return Path.Combine(dataHome, "CertCmdlets", "acme");
        }

        /// <summary>The folder of a directory's account: the host (and port) for people, a hash of the whole URL for uniqueness.</summary>
        public string FolderFor(Uri directory)
        {
            string host = directory.IsDefaultPort ? directory.Host : directory.Host + "_" + directory.Port.ToString(CultureInfo.InvariantCulture);
            string safe = new string(host.Select(c => char.IsLetterOrDigit(c) || c == '.' || c == '-' || c == '_' ? c : '_').ToArray());
            byte[] hash = AcmeAccountKey.Sha256(Encoding.UTF8.GetBytes(directory.ToString()));
            return Path.Combine(Root, safe + "_" + BitConverter.ToString(hash, 0, 6).Replace("-", string.Empty).ToLowerInvariant());
        }

        public SavedAccount? Load(Uri directory)
        {
            string folder = FolderFor(directory);
            return File.Exists(Path.Combine(folder, DetailsFileName)) ? Read(folder) : null;
        }

        /// <summary>Every saved account under the root (unreadable ones reported through <paramref name="skipped"/>).</summary>
        public List<SavedAccount> LoadAll(Action<CertCmdletsException> skipped)
        {
            var accounts = new List<SavedAccount>();
            if (!System.IO.Directory.Exists(Root))
            {
                return accounts;
            }

            foreach (string folder in System.IO.Directory.EnumerateDirectories(Root).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (!File.Exists(Path.Combine(folder, DetailsFileName)))
                {
                    continue;
                }

                try
                {
                    accounts.Add(Read(folder));
                }
                catch (CertCmdletsException ex)
                {
                    skipped(ex);
                }
            }

            return accounts;
        }

        public AcmeAccountKey LoadKey(SavedAccount account) => LoadKeyFile(Path.Combine(account.Folder, KeyFileName));

        /// <summary>The key of an unfinished key rollover, when one was left behind, or null.</summary>
        public AcmeAccountKey? LoadPendingKey(SavedAccount account)
        {
            string path = Path.Combine(account.Folder, PendingKeyFileName);
            return File.Exists(path) ? LoadKeyFile(path) : null;
        }

        /// <summary>Checks before any CA is contacted that the account folder can be created and written.</summary>
        public void RequireWritable(Uri directory)
        {
            string folder = FolderFor(directory);
            try
            {
                CreatePrivateDirectory(folder);
                string probe = Path.Combine(folder, ".write-test-" + Guid.NewGuid().ToString("N"));
                File.WriteAllBytes(probe, Array.Empty<byte>());
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.AcmeAccountStateWriteFailed(folder, ex);
            }
        }

        /// <summary>Writes the key (0600) and the details of a new account, replacing what the folder held.</summary>
        public void Save(SavedAccount account, AcmeAccountKey key, ICoreLog log)
        {
            byte[] pem = key.ToPem();
            var plan = new FileWritePlan(force: true);
            plan.Add(Path.Combine(account.Folder, KeyFileName), pem, isPrivateKey: true, "ACME account key");
            plan.Add(Path.Combine(account.Folder, DetailsFileName), Details(account, key), isPrivateKey: false, "ACME account details");
            Commit(plan, account.Folder, log);
        }

        /// <summary>Rewrites account.json only (status, contacts changed).</summary>
        public void SaveDetails(SavedAccount account, AcmeAccountKey key, ICoreLog log)
        {
            var plan = new FileWritePlan(force: true);
            plan.Add(Path.Combine(account.Folder, DetailsFileName), Details(account, key), isPrivateKey: false, "ACME account details");
            Commit(plan, account.Folder, log);
        }

        /// <summary>Writes the next key of a rollover beside the current one, before the CA is asked to switch.</summary>
        public void SavePendingKey(SavedAccount account, AcmeAccountKey key, ICoreLog log)
        {
            var plan = new FileWritePlan(force: true);
            plan.Add(Path.Combine(account.Folder, PendingKeyFileName), key.ToPem(), isPrivateKey: true, "next ACME account key");
            Commit(plan, account.Folder, log);
        }

        /// <summary>Makes the pending key the account key (an atomic rename), then rewrites the details.</summary>
        public void PromotePendingKey(SavedAccount account, AcmeAccountKey key, ICoreLog log)
        {
            string pending = Path.Combine(account.Folder, PendingKeyFileName);
            string current = Path.Combine(account.Folder, KeyFileName);
            try
            {
                if (UnixFiles.IsUnix)
                {
                    UnixFiles.RenameReplace(pending, current);
                }
                else
                {
                    File.Replace(pending, current, null, ignoreMetadataErrors: true);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.AcmeAccountStateWriteFailed(current, ex);
            }

            log.Verbose($"The new account key is now '{current}'.");
            SaveDetails(account, key, log);
        }

        public void DeletePendingKey(SavedAccount account)
        {
            try
            {
                File.Delete(Path.Combine(account.Folder, PendingKeyFileName));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Best effort: the file is only a candidate key and is checked again on next use.
            }
        }

        private static void Commit(FileWritePlan plan, string folder, ICoreLog log)
        {
            try
            {
                CreatePrivateDirectory(folder);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.AcmeAccountStateWriteFailed(folder, ex);
            }

            plan.Commit((target, action) => true, log);
        }

        private static byte[] Details(SavedAccount account, AcmeAccountKey key)
        {
            JsonValue json = JsonValue.Object()
                .Add("directory", account.Directory.ToString())
                .Add("accountUrl", account.AccountUrl)
                .Add("status", account.Status)
                .Add("contact", JsonValue.Array(account.Contact))
                .Add("createdAt", account.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .Add("keyAlgorithm", key.Algorithm)
                .Add("keyThumbprint", key.Thumbprint);
            if (account.TermsOfService is not null)
            {
                json.Add("termsOfService", account.TermsOfService);
            }

            if (account.ExternalAccountKeyId is not null)
            {
                json.Add("externalAccountKeyId", account.ExternalAccountKeyId);
            }

            return Encoding.UTF8.GetBytes(json.ToString() + "\n");
        }

        private static SavedAccount Read(string folder)
        {
            string path = Path.Combine(folder, DetailsFileName);
            JsonValue json;
            try
            {
                json = JsonReader.Parse(FileInput.ReadAll(path));
            }
            catch (JsonFormatException ex)
            {
                throw Errors.AcmeAccountStateInvalid(path, ex.Message, ex);
            }
            catch (CertCmdletsException ex)
            {
                throw Errors.AcmeAccountStateInvalid(path, ex.Message, ex);
            }

            string? directory = json.GetString("directory");
            string? accountUrl = json.GetString("accountUrl");
            if (directory is null || accountUrl is null || !Uri.TryCreate(directory, UriKind.Absolute, out Uri? directoryUri))
            {
                throw Errors.AcmeAccountStateInvalid(path, "it names no directory or account URL.");
            }

            DateTimeOffset created = DateTimeOffset.TryParse(json.GetString("createdAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed) ? parsed : DateTimeOffset.MinValue;
            return new SavedAccount(directoryUri, accountUrl, json.GetString("status") ?? "valid", json.GetStrings("contact").ToArray(), created, json.GetString("termsOfService"), json.GetString("externalAccountKeyId"), folder);
        }

        private static AcmeAccountKey LoadKeyFile(string path)
        {
            try
            {
                return AcmeAccountKey.FromPrivateKey(PrivateKeyReader.ReadFile(path, null));
            }
            catch (CertCmdletsException ex) when (ex.ErrorId != "AcmeAccountKeyAlgorithmUnsupported")
            {
                throw Errors.AcmeAccountStateInvalid(path, ex.Message, ex);
            }
        }

        /// <summary>Creates a folder and its missing parents, each 0700 on Unix (the account keys are inside).</summary>
        internal static void CreatePrivateDirectory(string folder)
        {
            if (System.IO.Directory.Exists(folder))
            {
                return;
            }

            string? parent = Path.GetDirectoryName(folder);
            if (parent is not null)
            {
                CreatePrivateDirectory(parent);
            }

            if (!UnixFiles.IsUnix)
            {
                System.IO.Directory.CreateDirectory(folder);
                return;
            }

            PosixCalls.MakeDirectory(folder, PosixCalls.PrivateDirectoryMode);
        }
    }
}
