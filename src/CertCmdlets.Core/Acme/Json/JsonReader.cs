using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CertCmdlets.Core.Acme.Json
{
    /// <summary>The text is not JSON; <see cref="Position"/> is the character where reading stopped.</summary>
    internal sealed class JsonFormatException : Exception
    {
        public JsonFormatException(string message, int position)
            : base($"{message} (at character {position})")
        {
            Position = position;
        }

        public int Position { get; }
    }

    /// <summary>
    /// A strict RFC 8259 reader: one value, whitespace around it, no comments, no trailing commas, strings with every
    /// escape (surrogate pairs joined), nesting limited so a hostile answer cannot exhaust the stack.
    /// </summary>
    internal sealed class JsonReader
    {
        private const int MaximumDepth = 64;

        private readonly string _text;
        private int _position;

        private JsonReader(string text)
        {
            _text = text;
        }

        /// <summary>Parses <paramref name="text"/>; throws <see cref="JsonFormatException"/> when it is not exactly one JSON value.</summary>
        public static JsonValue Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var reader = new JsonReader(text);
            reader.SkipWhitespace();
            JsonValue value = reader.ReadValue(0);
            reader.SkipWhitespace();
            if (reader._position != text.Length)
            {
                throw new JsonFormatException("Unexpected text after the JSON value", reader._position);
            }

            return value;
        }

        /// <summary>Parses UTF-8 bytes (a leading byte order mark is ignored).</summary>
        public static JsonValue Parse(byte[] utf8)
        {
            int offset = utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF ? 3 : 0;
            string text;
            try
            {
                text = new UTF8Encoding(false, true).GetString(utf8, offset, utf8.Length - offset);
            }
            catch (DecoderFallbackException ex)
            {
                throw new JsonFormatException("The text is not valid UTF-8: " + ex.Message, 0);
            }

            return Parse(text);
        }

        private JsonValue ReadValue(int depth)
        {
            if (depth >= MaximumDepth)
            {
                throw new JsonFormatException($"Nesting deeper than {MaximumDepth} levels", _position);
            }

            if (_position >= _text.Length)
            {
                throw new JsonFormatException("Unexpected end of text", _position);
            }

            char c = _text[_position];
            switch (c)
            {
                case '{':
                    return ReadObject(depth);
                case '[':
                    return ReadArray(depth);
                case '"':
                    return JsonValue.String(ReadString());
                case 't':
                    ExpectWord("true");
                    return JsonValue.True;
                case 'f':
                    ExpectWord("false");
                    return JsonValue.False;
                case 'n':
                    ExpectWord("null");
                    return JsonValue.Null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ReadNumber();
                    }

                    throw new JsonFormatException($"Unexpected character '{Printable(c)}'", _position);
            }
        }

        private JsonValue ReadObject(int depth)
        {
            _position++;
            JsonValue result = JsonValue.Object();
            SkipWhitespace();
            if (Peek() == '}')
            {
                _position++;
                return result;
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw new JsonFormatException("Expected a member name in quotes", _position);
                }

                string name = ReadString();
                SkipWhitespace();
                Expect(':');
                SkipWhitespace();
                result.Add(name, ReadValue(depth + 1));
                SkipWhitespace();
                char next = Peek();
                _position++;
                if (next == '}')
                {
                    return result;
                }

                if (next != ',')
                {
                    throw new JsonFormatException("Expected ',' or '}' in an object", _position - 1);
                }
            }
        }

        private JsonValue ReadArray(int depth)
        {
            _position++;
            var items = new List<JsonValue>();
            SkipWhitespace();
            if (Peek() == ']')
            {
                _position++;
                return JsonValue.Array(items);
            }

            while (true)
            {
                SkipWhitespace();
                items.Add(ReadValue(depth + 1));
                SkipWhitespace();
                char next = Peek();
                _position++;
                if (next == ']')
                {
                    return JsonValue.Array(items);
                }

                if (next != ',')
                {
                    throw new JsonFormatException("Expected ',' or ']' in an array", _position - 1);
                }
            }
        }

        private string ReadString()
        {
            _position++;
            var builder = new StringBuilder();
            while (true)
            {
                if (_position >= _text.Length)
                {
                    throw new JsonFormatException("Unterminated string", _position);
                }

                char c = _text[_position++];
                if (c == '"')
                {
                    return builder.ToString();
                }

                if (c < 0x20)
                {
                    throw new JsonFormatException("A control character inside a string must be escaped", _position - 1);
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                if (_position >= _text.Length)
                {
                    throw new JsonFormatException("Unterminated escape", _position);
                }

                char escape = _text[_position++];
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u': builder.Append(ReadHex4()); break;
                    default:
                        throw new JsonFormatException($"Unknown escape '\\{Printable(escape)}'", _position - 1);
                }
            }
        }

        private char ReadHex4()
        {
            if (_position + 4 > _text.Length)
            {
                throw new JsonFormatException("Truncated \\u escape", _position);
            }

            if (!int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
            {
                throw new JsonFormatException("Invalid \\u escape", _position);
            }

            _position += 4;
            return (char)code;
        }

        private JsonValue ReadNumber()
        {
            int start = _position;
            if (Peek() == '-')
            {
                _position++;
            }

            if (Peek() == '0')
            {
                _position++;
            }
            else if (IsDigit(Peek()))
            {
                while (IsDigit(Peek()))
                {
                    _position++;
                }
            }
            else
            {
                throw new JsonFormatException("Invalid number", _position);
            }

            if (Peek() == '.')
            {
                _position++;
                RequireDigits();
            }

            if (Peek() == 'e' || Peek() == 'E')
            {
                _position++;
                if (Peek() == '+' || Peek() == '-')
                {
                    _position++;
                }

                RequireDigits();
            }

            return JsonValue.NumberText(_text.Substring(start, _position - start));
        }

        private void RequireDigits()
        {
            if (!IsDigit(Peek()))
            {
                throw new JsonFormatException("Invalid number", _position);
            }

            while (IsDigit(Peek()))
            {
                _position++;
            }
        }

        private void ExpectWord(string word)
        {
            if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0)
            {
                throw new JsonFormatException($"Expected '{word}'", _position);
            }

            _position += word.Length;
        }

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new JsonFormatException($"Expected '{c}'", _position);
            }

            _position++;
        }

        private char Peek() => _position < _text.Length ? _text[_position] : '\0';

        private void SkipWhitespace()
        {
            while (_position < _text.Length && (_text[_position] == ' ' || _text[_position] == '\t' || _text[_position] == '\n' || _text[_position] == '\r'))
            {
                _position++;
            }
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static string Printable(char c) => c < 0x20 || c > 0x7E ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString();
    }
}
