using System.Globalization;
using System.Text;

namespace CertCmdlets.Core.Acme.Json
{
    /// <summary>
    /// Writes compact JSON (no whitespace), members in the order given: the form JWS signing inputs and RFC 7638 JWK
    /// thumbprints need. Strings escape '"', '\\', control characters and the line separators U+2028/U+2029; all else
    /// is written as is (UTF-8 on the wire).
    /// </summary>
    internal static class JsonWriter
    {
        public static string Write(JsonValue value)
        {
            var builder = new StringBuilder();
            Append(builder, value);
            return builder.ToString();
        }

        public static byte[] WriteUtf8(JsonValue value) => new UTF8Encoding(false).GetBytes(Write(value));

        private static void Append(StringBuilder builder, JsonValue value)
        {
            switch (value.Kind)
            {
                case JsonKind.Null:
                    builder.Append("null");
                    break;
                case JsonKind.Boolean:
                    builder.Append(value.AsBoolean == true ? "true" : "false");
                    break;
                case JsonKind.Number:
                    builder.Append(value.NumberLiteral);
                    break;
                case JsonKind.String:
                    AppendString(builder, value.AsString!);
                    break;
                case JsonKind.Array:
                    builder.Append('[');
                    for (int i = 0; i < value.Items.Count; i++)
                    {
                        if (i > 0)
                        {
                            builder.Append(',');
                        }

                        Append(builder, value.Items[i]);
                    }

                    builder.Append(']');
                    break;
                default:
                    builder.Append('{');
                    bool first = true;
                    foreach (var member in value.Members)
                    {
                        if (!first)
                        {
                            builder.Append(',');
                        }

                        first = false;
                        AppendString(builder, member.Key);
                        builder.Append(':');
                        Append(builder, member.Value);
                    }

                    builder.Append('}');
                    break;
            }
        }

        private static void AppendString(StringBuilder builder, string text)
        {
            builder.Append('"');
            foreach (char c in text)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    case '\b': builder.Append("\\b"); break;
                    case '\f': builder.Append("\\f"); break;
                    default:
                        if (c < 0x20 || c == '\u2028' || c == '\u2029')
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            builder.Append('"');
        }
    }
}
