using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CertCmdlets.Core.Acme.Json;
using CertCmdlets.Core.Naming;
using CertCmdlets.Core.Secrets;

namespace CertCmdlets.Core.Acme
{
    /// <summary>
    /// What the ACME cmdlets do, for one CA and one command run: accounts (open or reuse, contacts, key rollover,
    /// deactivation), certificate orders, revocation and renewal information. Nothing is sent before the first call that
    /// needs the CA, so a cmdlet that asked ShouldProcess first contacts nothing under -WhatIf.
    /// </summary>
    public sealed partial class AcmeSession : IDisposable
    {
        private readonly AcmeClient _client;
        private readonly AcmeAccountStore _store;
        private SavedAccount? _account;
        private AcmeAccountKey? _key;

        /// <summary>A session with the CA named in <paramref name="options"/>; no network until needed.</summary>
        public AcmeSession(AcmeConnectionOptions options, ICoreLog log, CancellationToken cancellation)
        {
            _client = new AcmeClient(options, log, cancellation);
            _store = new AcmeAccountStore(options.StateDirectory);
        }

        /// <summary>The directory URL (a shortcut resolved).</summary>
        public string DirectoryUrl => _client.DirectoryUrl.ToString();

        /// <summary>How many requests were sent again after the CA refused their nonce.</summary>
        public int BadNonceRetries => _client.BadNonceRetries;

        private ICoreLog Log => _client.Log;

        /// <summary>The accounts saved under a state folder (the per-user default when null), without contacting any CA.</summary>
        public static IReadOnlyList<AcmeAccountInfo> ListAccounts(string? stateDirectory, ICoreLog log)
        {
            var store = new AcmeAccountStore(stateDirectory);
            var result = new List<AcmeAccountInfo>();
            foreach (SavedAccount account in store.LoadAll(ex => log.Warning(ex.Message)))
            {
                try
                {
                    using AcmeAccountKey key = store.LoadKey(account);
                    result.Add(Describe(account, key));
                }
                catch (CertCmdletsException ex)
                {
                    log.Warning(ex.Message);
                }
            }

            return result;
        }

        /// <summary>
        /// Opens an account, or reuses the one saved for this CA when the CA still knows it (a new one replaces a saved
        /// account that is deactivated or unknown to the CA). The key is saved (0600) only once the CA accepted it.
        /// </summary>
        public AcmeAccountInfo NewAccount(AcmeNewAccountOptions options)
        {
            string[] contact = NormalizeContacts(options.Contact);
            RequireCompleteBinding(options);
            SavedAccount? saved = _store.Load(_client.DirectoryUrl);
            if (saved is not null && !saved.IsDeactivated)
            {
                AcmeAccountKey key = LoadSavedKey(saved);
                if (Lookup(key) is string url)
                {
                    UseAccount(saved, key);
                    Log.Verbose($"Reusing the saved account {url} for {DirectoryUrl} (one account per CA).");
                    if (contact.Length > 0 && !contact.SequenceEqual(saved.Contact, StringComparer.OrdinalIgnoreCase))
                    {
                        Log.Warning($"The account keeps its contact ({string.Join(", ", saved.Contact.DefaultIfEmpty("none"))}); change it with Set-AcmeAccount -Contact.");
                    }

                    return Describe(saved, key);
                }

                key.Dispose();
                Log.Warning($"The saved account {saved.AccountUrl} is unknown to {DirectoryUrl} (another environment of the CA, or deleted there); opening a new one.");
            }
            else if (saved is not null)
            {
                Log.Verbose($"The saved account {saved.AccountUrl} is {saved.Status}; opening a new one.");
            }

            return Create(options, contact);
        }

        /// <summary>The saved account for this CA; with <paramref name="refresh"/>, its status and contacts as the CA says now.</summary>
        public AcmeAccountInfo GetAccount(bool refresh)
        {
            (SavedAccount account, AcmeAccountKey key) = RequireAccount(null, allowDeactivated: true);
            if (refresh && !account.IsDeactivated)
            {
                AcmeHttpResponse response = _client.PostAsGet(new Uri(account.AccountUrl), key, account.AccountUrl, AcmeActivity.Account, $"Reading the account {account.AccountUrl}", account.AccountUrl);
                ApplyAccountJson(account, response.Json());
                _store.SaveDetails(account, key, Log);
            }

            return Describe(account, key);
        }

        /// <summary>Replaces the account's contacts at the CA, then in the saved details.</summary>
        public AcmeAccountInfo SetContact(IEnumerable<string> contact)
        {
            string[] normalized = NormalizeContacts(contact);
            (SavedAccount account, AcmeAccountKey key) = RequireAccount(null);
            JsonValue payload = JsonValue.Object().Add("contact", JsonValue.Array(normalized));
            AcmeHttpResponse response = _client.Post(new Uri(account.AccountUrl), key, account.AccountUrl, payload, AcmeActivity.Account, $"Changing the contact of {account.AccountUrl}", account.AccountUrl);
            ApplyAccountJson(account, response.Json());
            _store.SaveDetails(account, key, Log);
            Log.Verbose($"The account's contact is now {string.Join(", ", account.Contact.DefaultIfEmpty("none"))}.");
            return Describe(account, key);
        }

        /// <summary>
        /// Key rollover (RFC 8555 section 7.3.5): a new key is made and saved beside the old one, the CA is asked to switch,
        /// and only then does the new key replace the old file; a refused rollover leaves the old key in place.
        /// </summary>
        public AcmeAccountInfo RollOverKey(string? algorithm)
        {
            (SavedAccount account, AcmeAccountKey oldKey) = RequireAccount(null);
            Uri keyChange = _client.Directory.KeyChange ?? throw Errors.AcmeResponseInvalid(DirectoryUrl, "the CA's directory offers no keyChange resource, so the account key cannot be changed.");
            AcmeAccountKey newKey = AcmeAccountKey.Generate(algorithm ?? oldKey.Algorithm);
            _store.SavePendingKey(account, newKey, Log);
            try
            {
                JsonValue inner = Jws.Sign(newKey, keyChange.ToString(), null, null, JsonValue.Object().Add("account", account.AccountUrl).Add("oldKey", oldKey.Jwk));
                _client.Post(keyChange, oldKey, account.AccountUrl, inner, AcmeActivity.Account, $"Changing the key of {account.AccountUrl}", account.AccountUrl);
            }
            catch
            {
                _store.DeletePendingKey(account);
                newKey.Dispose();
                throw;
            }

            _store.PromotePendingKey(account, newKey, Log);
            UseAccount(account, newKey);
            oldKey.Dispose();
            Log.Verbose($"The account {account.AccountUrl} now uses a new {newKey.Algorithm} key (thumbprint {newKey.Thumbprint}).");
            return Describe(account, newKey);
        }

        /// <summary>Deactivates the account at the CA for good (RFC 8555 section 7.3.6) and records it in the saved details.</summary>
        public AcmeAccountInfo Deactivate()
        {
            (SavedAccount account, AcmeAccountKey key) = RequireAccount(null);
            AcmeHttpResponse response = _client.Post(new Uri(account.AccountUrl), key, account.AccountUrl, JsonValue.Object().Add("status", "deactivated"), AcmeActivity.Account, $"Deactivating {account.AccountUrl}", account.AccountUrl);
            ApplyAccountJson(account, response.Json());
            if (!account.IsDeactivated)
            {
                account.Status = "deactivated";
            }

            _store.SaveDetails(account, key, Log);
            Log.Verbose($"The account {account.AccountUrl} is deactivated; the CA will refuse it from now on.");
            return Describe(account, key);
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            _key?.Dispose();
            _client.Dispose();
        }

        /// <summary>
        /// The account for an order or a revocation: the saved one, or a new one when <paramref name="create"/> says the
        /// user agreed to open it. A rollover left unfinished is settled first (the CA tells which key it knows).
        /// </summary>
        private (SavedAccount Account, AcmeAccountKey Key) RequireAccount(AcmeNewAccountOptions? create, bool allowDeactivated = false)
        {
            if (_account is not null && _key is not null)
            {
                return (_account, _key);
            }

            SavedAccount? saved = _store.Load(_client.DirectoryUrl);
            if (saved is null)
            {
                if (create is null)
                {
                    throw Errors.AcmeAccountNotFound(DirectoryUrl, _store.Root);
                }

                Create(create, NormalizeContacts(create.Contact));
                return (_account!, _key!);
            }

            if (saved.IsDeactivated && !allowDeactivated)
            {
                throw Errors.AcmeAccountDeactivated(DirectoryUrl, saved.AccountUrl);
            }

            UseAccount(saved, LoadSavedKey(saved));
            return (_account!, _key!);
        }

        private AcmeAccountKey LoadSavedKey(SavedAccount saved)
        {
            AcmeAccountKey key = _store.LoadKey(saved);
            AcmeAccountKey? pending = _store.LoadPendingKey(saved);
            if (pending is null)
            {
                return key;
            }

            // A rollover was interrupted between the CA's answer and the rename: whichever key the CA knows is the account's.
            Log.Verbose($"An unfinished key rollover was found in '{saved.Folder}'; asking the CA which key it knows.");
            if (Lookup(pending) is not null)
            {
                _store.PromotePendingKey(saved, pending, Log);
                key.Dispose();
                return pending;
            }

            _store.DeletePendingKey(saved);
            pending.Dispose();
            return key;
        }

        private AcmeAccountInfo Create(AcmeNewAccountOptions options, string[] contact)
        {
            RequireCompleteBinding(options);
            AcmeDirectoryDocument directory = _client.Directory;
            if (directory.TermsOfService is not null && !options.AcceptTermsOfService)
            {
                throw Errors.AcmeTermsOfServiceNotAccepted(DirectoryUrl, directory.TermsOfService);
            }

            if (directory.ExternalAccountRequired && options.ExternalAccountKeyId is null)
            {
                throw Errors.AcmeExternalAccountRequired(DirectoryUrl, null);
            }

            _store.RequireWritable(_client.DirectoryUrl);
            AcmeAccountKey key = AcmeAccountKey.Generate(options.KeyAlgorithm);
            try
            {
                JsonValue payload = JsonValue.Object();
                if (options.AcceptTermsOfService)
                {
                    payload.Add("termsOfServiceAgreed", true);
                }

                if (contact.Length > 0)
                {
                    payload.Add("contact", JsonValue.Array(contact));
                }

                if (options.ExternalAccountKeyId is not null)
                {
                    payload.Add("externalAccountBinding", ExternalAccountBinding(key, options.ExternalAccountKeyId, options.ExternalAccountMacKey!, directory.NewAccount));
                }

                string? keyId = options.ExternalAccountKeyId;
                AcmeHttpResponse response = _client.Post(directory.NewAccount, key, null, payload, AcmeActivity.Account, $"Opening an account at {DirectoryUrl}", DirectoryUrl, refine: problem =>
                    keyId is not null && (problem.Type == "unauthorized" || problem.Type == "malformed") ? Errors.AcmeExternalAccountRejected(keyId, "the CA said: " + problem.Describe()) : null);
                string accountUrl = response.Location ?? throw Errors.AcmeResponseInvalid(directory.NewAccount.ToString(), "the new account's answer has no Location (the account URL).");
                var account = new SavedAccount(_client.DirectoryUrl, accountUrl, "valid", contact, DateTimeOffset.UtcNow, options.AcceptTermsOfService ? directory.TermsOfService : null, options.ExternalAccountKeyId, _store.FolderFor(_client.DirectoryUrl));
                ApplyAccountJson(account, response.Json());
                _store.Save(account, key, Log);
                UseAccount(account, key);
                Log.Verbose($"Opened the {key.Algorithm} account {accountUrl} at {DirectoryUrl}; its key is saved in '{account.Folder}'.");
                return Describe(account, key);
            }
            catch
            {
                if (!ReferenceEquals(_key, key))
                {
                    key.Dispose();
                }

                throw;
            }
        }

        /// <summary>The account URL the CA has for this key, or null when it knows none (onlyReturnExisting).</summary>
        private string? Lookup(AcmeAccountKey key)
        {
            try
            {
                AcmeHttpResponse response = _client.Post(_client.Directory.NewAccount, key, null, JsonValue.Object().Add("onlyReturnExisting", true), AcmeActivity.Account, $"Looking up the account at {DirectoryUrl}", DirectoryUrl);
                return response.Location;
            }
            catch (CertCmdletsException ex) when (ex.ErrorId == "AcmeAccountDoesNotExist")
            {
                return null;
            }
        }

        private static JsonValue ExternalAccountBinding(AcmeAccountKey key, string keyId, System.Security.SecureString macKey, Uri newAccount)
        {
            using PasswordBuffer buffer = PasswordBuffer.From(macKey);
            byte[] mac = Base64Url.TryDecodeSecret(buffer.Characters) ?? throw Errors.AcmeExternalAccountKeyInvalid(keyId);
            try
            {
                return Jws.ExternalAccountBinding(key, keyId, mac, newAccount.ToString());
            }
            finally
            {
                Array.Clear(mac, 0, mac.Length);
            }
        }

        private static void RequireCompleteBinding(AcmeNewAccountOptions options)
        {
            if ((options.ExternalAccountKeyId is null) != (options.ExternalAccountMacKey is null))
            {
                throw Errors.AcmeExternalAccountIncomplete();
            }
        }

        private void UseAccount(SavedAccount account, AcmeAccountKey key)
        {
            if (_key is not null && !ReferenceEquals(_key, key))
            {
                _key.Dispose();
            }

            _account = account;
            _key = key;
        }

        private static void ApplyAccountJson(SavedAccount account, JsonValue json)
        {
            if (json.GetString("status") is string status)
            {
                account.Status = status;
            }

            if (json["contact"] is not null)
            {
                account.Contact = json.GetStrings("contact").ToArray();
            }
        }

        /// <summary>"admin@example.com" becomes "mailto:admin@example.com"; anything that is not an address is refused.</summary>
        internal static string[] NormalizeContacts(IEnumerable<string> contacts)
        {
            var result = new List<string>();
            foreach (string contact in contacts)
            {
                string text = (contact ?? string.Empty).Trim();
                string address = text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? text.Substring(7) : text;
                int at = address.IndexOf('@');
                if (at <= 0 || at != address.LastIndexOf('@') || at == address.Length - 1 || address.Any(c => c <= ' ' || c > '~' || c == ',' || c == '<' || c == '>' || c == '?'))
                {
                    throw Errors.AcmeContactInvalid(contact ?? string.Empty);
                }

                if (!HostNames.LooksLikeHostName(address.Substring(at + 1)))
                {
                    throw Errors.AcmeContactInvalid(contact ?? string.Empty);
                }

                result.Add("mailto:" + address);
            }

            return result.ToArray();
        }

        private static AcmeAccountInfo Describe(SavedAccount account, AcmeAccountKey key) => new AcmeAccountInfo(
            account.Directory.ToString(),
            AcmeDirectories.NameOf(account.Directory.ToString()),
            account.AccountUrl,
            account.Status,
            account.Contact,
            key.Algorithm,
            key.Thumbprint,
            account.CreatedAt == DateTimeOffset.MinValue ? DateTime.MinValue : account.CreatedAt.LocalDateTime,
            account.TermsOfService,
            account.ExternalAccountKeyId,
            account.Folder);
    }
}
