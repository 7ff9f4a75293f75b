using System;
using System.Linq;
using CertCmdlets.Core.Acme.Json;
using Xunit;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>The in-house JSON reader and writer, judged against System.Text.Json where both apply.</summary>
    public sealed class AcmeJsonTests
    {
        [Theory]
        [InlineData("{\"a\":1,\"b\":[true,false,null],\"c\":\"x\\\"y\\\\z\\n\\u00e9\\ud83d\\ude00\"}")]
        [InlineData("[]")]
        [InlineData("{}")]
        [InlineData("[-0.5e+10,1E3,0,-12]")]
        [InlineData("\"\\/\\b\\f\\r\\t\"")]
        public void ReadThenWrite_GivesWhatSystemTextJsonReads(string text)
        {
            JsonValue value = JsonReader.Parse(text);
            string written = JsonWriter.Write(value);

            using var original = System.Text.Json.JsonDocument.Parse(text);
            using var ours = System.Text.Json.JsonDocument.Parse(written);
            Assert.True(System.Text.Json.JsonElement.DeepEquals(original.RootElement, ours.RootElement), written);
        }

        [Fact]
        public void Reader_KeepsMemberOrder_AndGivesTypedValues()
        {
            JsonValue value = JsonReader.Parse(" {\"status\" : \"valid\", \"count\": 42, \"ok\": true, \"list\": [\"a\", 1, \"b\"]} ");

            Assert.Equal(new[] { "status", "count", "ok", "list" }, value.Members.Select(m => m.Key));
            Assert.Equal("valid", value.GetString("status"));
            Assert.Equal(42, value["count"]!.AsInteger);
            Assert.True(value["ok"]!.AsBoolean);
            Assert.Equal(new[] { "a", "b" }, value.GetStrings("list"));
            Assert.Null(value.GetString("missing"));
            Assert.Null(value.GetString("count"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("{")]
        [InlineData("{\"a\":1,}")]
        [InlineData("[1,]")]
        [InlineData("[01]")]
        [InlineData("{'a':1}")]
        [InlineData("\"tab\there\"")]
        [InlineData("\"\\x\"")]
        [InlineData("\"\\u12\"")]
        [InlineData("nul")]
        [InlineData("1 2")]
        [InlineData("// comment\n{}")]
        [InlineData("-")]
        [InlineData("1.")]
        public void Reader_RefusesWhatIsNotJson(string text)
        {
            Assert.Throws<JsonFormatException>(() => JsonReader.Parse(text));
        }

        [Fact]
        public void Reader_LimitsNesting()
        {
            string deep = new string('[', 65) + new string(']', 65);
            string fine = new string('[', 60) + new string(']', 60);

            Assert.Throws<JsonFormatException>(() => JsonReader.Parse(deep));
            Assert.Equal(JsonKind.Array, JsonReader.Parse(fine).Kind);
        }

        [Fact]
        public void Reader_RefusesInvalidUtf8()
        {
            Assert.Throws<JsonFormatException>(() => JsonReader.Parse(new byte[] { (byte)'"', 0xC3, 0x28, (byte)'"' }));
            Assert.Equal("é", JsonReader.Parse(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'"', 0xC3, 0xA9, (byte)'"' }).AsString);
        }

        [Fact]
        public void Writer_IsCompact_AndEscapesControlCharactersAndLineSeparators()
        {
            JsonValue value = JsonValue.Object().Add("s", "a\u0001b\u2028c\"").Add("n", 5).Add("t", true).Add("z", JsonValue.Null);

            Assert.Equal("{\"s\":\"a\\u0001b\\u2028c\\\"\",\"n\":5,\"t\":true,\"z\":null}", JsonWriter.Write(value));
        }
    }
}
