using System;
using System.Collections.Generic;
using System.Globalization;

namespace CertCmdlets.Core.Acme.Json
{
    /// <summary>The kinds of JSON value (RFC 8259).</summary>
    internal enum JsonKind
    {
        Null,
        Boolean,
        Number,
        String,
        Array,
        Object,
    }

    /// <summary>
    /// A JSON value, enough for ACME (RFC 8555) and its JWS envelopes: objects keep their members in order, numbers keep
    /// their text. The module carries its own small reader and writer because netstandard2.0 has no System.Text.Json,
    /// and shipping the package would put a second copy beside the one PowerShell 7 loads in the default context (and
    /// Windows PowerShell 5.1 would need its dependency tree too); ACME needs strings, numbers, booleans, arrays and
    /// objects, nothing more.
    /// </summary>
    internal sealed class JsonValue
    {
        public static readonly JsonValue Null = new JsonValue(JsonKind.Null, null, null, null, false);
        public static readonly JsonValue True = new JsonValue(JsonKind.Boolean, null, null, null, true);
        public static readonly JsonValue False = new JsonValue(JsonKind.Boolean, null, null, null, false);

        private static readonly IReadOnlyList<JsonValue> s_noItems = new JsonValue[0];
        private readonly string? _text;
        private readonly List<JsonValue>? _items;
        private readonly List<KeyValuePair<string, JsonValue>>? _members;
        private readonly bool _boolean;

        private JsonValue(JsonKind kind, string? text, List<JsonValue>? items, List<KeyValuePair<string, JsonValue>>? members, bool boolean)
        {
            Kind = kind;
            _text = text;
            _items = items;
            _members = members;
            _boolean = boolean;
        }

        public JsonKind Kind { get; }

        /// <summary>The members of an object, in document order.</summary>
        public IReadOnlyList<KeyValuePair<string, JsonValue>> Members => (IReadOnlyList<KeyValuePair<string, JsonValue>>?)_members ?? new KeyValuePair<string, JsonValue>[0];

        /// <summary>The items of an array (empty for anything else).</summary>
        public IReadOnlyList<JsonValue> Items => (IReadOnlyList<JsonValue>?)_items ?? s_noItems;

        public static JsonValue String(string value) => new JsonValue(JsonKind.String, value ?? throw new ArgumentNullException(nameof(value)), null, null, false);

        public static JsonValue Number(long value) => new JsonValue(JsonKind.Number, value.ToString(CultureInfo.InvariantCulture), null, null, false);

        public static JsonValue Boolean(bool value) => value ? True : False;

        /// <summary>A number from its JSON text (the reader's; already checked).</summary>
        internal static JsonValue NumberText(string text) => new JsonValue(JsonKind.Number, text, null, null, false);

        public static JsonValue Array(IEnumerable<JsonValue> items) => new JsonValue(JsonKind.Array, null, new List<JsonValue>(items), null, false);

        public static JsonValue Array(IEnumerable<string> items)
        {
            var list = new List<JsonValue>();
            foreach (string item in items)
            {
                list.Add(String(item));
            }

            return new JsonValue(JsonKind.Array, null, list, null, false);
        }

        /// <summary>A new, empty object to fill with <see cref="Add(string, JsonValue)"/>.</summary>
        public static JsonValue Object() => new JsonValue(JsonKind.Object, null, null, new List<KeyValuePair<string, JsonValue>>(), false);

        /// <summary>Adds a member to an object built by <see cref="Object"/>; returns the object for chaining.</summary>
        public JsonValue Add(string name, JsonValue value)
        {
            if (_members is null)
            {
                throw new InvalidOperationException("Only objects have members.");
            }

            _members.Add(new KeyValuePair<string, JsonValue>(name, value));
            return this;
        }

        public JsonValue Add(string name, string value) => Add(name, String(value));

        public JsonValue Add(string name, bool value) => Add(name, Boolean(value));

        public JsonValue Add(string name, long value) => Add(name, Number(value));

        /// <summary>The member named <paramref name="name"/> of an object (the last one, as most parsers do), or null.</summary>
        public JsonValue? this[string name]
        {
            get
            {
                if (_members is null)
                {
                    return null;
                }

                for (int i = _members.Count - 1; i >= 0; i--)
                {
                    if (string.Equals(_members[i].Key, name, StringComparison.Ordinal))
                    {
                        return _members[i].Value;
                    }
                }

                return null;
            }
        }

        /// <summary>The string, or null when this is not a string.</summary>
        public string? AsString => Kind == JsonKind.String ? _text : null;

        /// <summary>The boolean, or null when this is not a boolean.</summary>
        public bool? AsBoolean => Kind == JsonKind.Boolean ? _boolean : null;

        /// <summary>The number as an integer, or null when this is not an integral number in range.</summary>
        public long? AsInteger => Kind == JsonKind.Number && long.TryParse(_text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : null;

        /// <summary>The text of a number as written.</summary>
        internal string? NumberLiteral => Kind == JsonKind.Number ? _text : null;

        /// <summary>The string member <paramref name="name"/>, or null when absent or not a string.</summary>
        public string? GetString(string name) => this[name]?.AsString;

        /// <summary>The strings of the array member <paramref name="name"/> (non-strings skipped; empty when absent).</summary>
        public List<string> GetStrings(string name)
        {
            var result = new List<string>();
            foreach (JsonValue item in this[name]?.Items ?? s_noItems)
            {
                if (item.AsString is string text)
                {
                    result.Add(text);
                }
            }

            return result;
        }

        /// <summary>Compact JSON text.</summary>
        public override string ToString() => JsonWriter.Write(this);
    }
}
