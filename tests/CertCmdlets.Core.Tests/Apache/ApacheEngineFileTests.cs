using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CertCmdlets.Core.Apache;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// The file model's edits, checked against independent oracles: a plain list of lines edited the same way (for the
    /// text), a fresh parse of that text (for the nodes), the bytes read (for what is written back).
    /// </summary>
    public sealed class ApacheEngineFileTests
    {
        public static TheoryData<string> CorpusFiles()
        {
            var data = new TheoryData<string>();
            foreach (string file in ApacheCorpus.AllFiles().Where(f => !ApacheCorpus.IsFailing(f) && !ApacheCorpus.BrokenOnPurpose.Contains(Path.GetFileName(f))))
            {
                data.Add(file);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(CorpusFiles))]
        public void RandomEdits_KeepTheNodesAFreshParseWouldGive_AndTheTextAListOfLinesWouldGive(string relative)
        {
            string path = ApacheCorpus.PathOf(relative);
            string text = ApacheKit.Utf8Text(path);
            var file = new ConfigFile(path, text);

            // The oracle: each line with its own line end, edited as a list.
            List<(string Content, string End)> model = ApacheKit.PhysicalLines(text)
                .Select(l => l.EndsWith("\r\n", StringComparison.Ordinal) ? (l[..^2], "\r\n") : l.EndsWith('\n') ? (l[..^1], "\n") : (l, string.Empty))
                .ToList();
            string newLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
            var random = new Random(relative.Aggregate(17, (h, c) => (h * 31) + c));
            var fragments = new[]
            {
                new[] { "    SSLEngine on" },
                new[] { "# a comment the editor adds", string.Empty },
                new[] { "<VirtualHost *:443>", "    ServerName added.example.test", "    <Directory /srv>", "        Require all granted", "    </Directory>", "</VirtualHost>" },
                new[] { "Header always set X-Test \"a b\"", "Listen 8443 https" },
                Array.Empty<string>(),
            };

            for (int round = 0; round < 12; round++)
            {
                string[] lines = fragments[random.Next(fragments.Length)];
                List<ConfigNode> nodes = file.AllNodes().ToList();
                int first;
                int count;
                if (nodes.Count > 0 && random.Next(2) == 0)
                {
                    ConfigNode node = nodes[random.Next(nodes.Count)];
                    if (node is ConfigSection { CloseShared: true } || (node.Parent?.CloseShared ?? false))
                    {
                        continue;
                    }

                    first = node.FirstLine;
                    count = (node is ConfigSection section ? section.CloseLine : ((ConfigDirective)node).LastLine) - first + 1;
                    file.Replace(first, first + count - 1, lines);
                }
                else
                {
                    // Anywhere between lines, except inside a continued directive (httpd would join the new line to it).
                    first = random.Next(model.Count + 1);
                    count = 0;
                    if (first > 0 && model[first - 1].Content.EndsWith('\\'))
                    {
                        continue;
                    }

                    file.Insert(first, lines);
                    if (first == model.Count && first > 0 && lines.Length > 0 && model[first - 1].End.Length == 0)
                    {
                        model[first - 1] = (model[first - 1].Content, newLine);
                    }
                }

                model.RemoveRange(first, count);
                model.InsertRange(first, lines.Select(l => (l, newLine)));

                string expected = string.Concat(model.Select(l => l.Content + l.End));
                Assert.Equal(expected, file.Text);
                Assert.Equal(!string.Equals(expected, text, StringComparison.Ordinal), file.IsChanged);
                AssertSameNodes(new ConfigFile(path, expected).Nodes, file.Nodes, relative + " after edit " + round);
            }
        }

        [Fact]
        public void AnEdit_KeepsTheNodesAroundIt_AsTheSameObjects_WithTheirNewLines()
        {
            var file = new ConfigFile("/t/httpd.conf", ApacheKit.Text(
                "<VirtualHost *:80>", "    ServerName a.example", "</VirtualHost>",
                "<VirtualHost *:80>", "    ServerName b.example", "</VirtualHost>"));
            var a = (ConfigSection)file.Nodes[0];
            var b = (ConfigSection)file.Nodes[1];
            ConfigDirective bName = b.Children.OfType<ConfigDirective>().Single();

            file.Insert(a.CloseLine, new[] { "    SSLEngine on", "    Listen 1" });

            Assert.Same(a, file.Nodes[0]);
            Assert.Same(b, file.Nodes[1]);
            Assert.Same(bName, b.Children.Single());
            Assert.Equal(4, a.CloseLine);
            Assert.Equal(5, b.FirstLine);
            Assert.Equal(6, bName.FirstLine);
            Assert.Equal(new[] { "ServerName", "SSLEngine", "Listen" }, a.Children.Select(c => c.Name));
            Assert.All(a.Children, c => Assert.Same(a, c.Parent));
        }

        [Fact]
        public void ReplacingALineWithItsOwnText_IsNoChange_AndNoDiff()
        {
            string text = ApacheKit.Text("Listen 80", "ServerName x");
            var file = new ConfigFile("/t/httpd.conf", text);

            file.Replace(1, 1, new[] { "ServerName x" });

            Assert.False(file.IsChanged);
            Assert.Equal(text, file.Text);
            Assert.DoesNotContain("@@", LineDiff.Unified(file), StringComparison.Ordinal);
        }

        [Fact]
        public void BytesThatAreNotUtf8_AByteOrderMark_AndCrLf_AreWrittenBackExactly()
        {
            // A Latin-1 "é" (0xE9, invalid UTF-8) in a comment and in an argument, a UTF-8 BOM, CRLF line ends.
            byte[] original = Encoding.ASCII.GetBytes("# caf\u0001 comment\r\nServerAdmin caf\u0001@example\r\nListen 80\r\n");
            original = original.Select(b => b == 1 ? (byte)0xE9 : b).ToArray();
            byte[] withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(original).ToArray();
            var file = new ConfigFile("/t/httpd.conf", withBom, null, null);

            file.Insert(file.LineCount, new[] { "Listen 443" });

            using var written = new MemoryStream();
            file.WriteTo(written);
            byte[] expected = withBom.Concat(Encoding.ASCII.GetBytes("Listen 443\r\n")).ToArray();
            Assert.Equal(expected, written.ToArray());
            Assert.Equal(new[] { "ServerAdmin", "Listen", "Listen" }, file.Nodes.Select(n => n.Name));
        }

        [Fact]
        public void ALastLineWithoutLineEnd_GetsOneWhenLinesFollow()
        {
            var file = new ConfigFile("/t/httpd.conf", "Listen 80\nServerName x");

            file.Insert(2, new[] { "Listen 443" });

            Assert.Equal("Listen 80\nServerName x\nListen 443\n", file.Text);
            Assert.Equal(new[] { "Listen", "ServerName", "Listen" }, file.Nodes.Select(n => n.Name));
            string diff = LineDiff.Unified(file);
            Assert.Contains("+Listen 443\n", diff, StringComparison.Ordinal);
            Assert.DoesNotContain("-ServerName x", diff, StringComparison.Ordinal);
        }

        [Fact]
        public void AnInsertAfterAContinuationLine_JoinsIt_AsAFreshParseDoes()
        {
            // httpd joins "BrowserMatch ... \" with the next line: an insert there changes the neighbour's meaning,
            // and the model must say what a fresh parse says.
            string text = ApacheKit.Text("<VirtualHost *:80>", "    BrowserMatch \"MSIE\" \\", "        nokeepalive", "</VirtualHost>");
            var file = new ConfigFile("/t/httpd.conf", text);

            file.Insert(2, new[] { "        downgrade-1.0 \\" });

            AssertSameNodes(new ConfigFile("/t/httpd.conf", file.Text).Nodes, file.Nodes, "continuation");
            ConfigDirective match = file.AllNodes().OfType<ConfigDirective>().Single();
            Assert.Equal(new[] { "MSIE", "downgrade-1.0", "nokeepalive" }, match.Arguments);
            Assert.Equal((1, 3), (match.FirstLine, match.LastLine));
        }

        [Fact]
        public void TheDiff_ShowsEachChangedRegion_WithTheLineNumbersOfBothSides()
        {
            var file = new ConfigFile("/t/ports.conf", ApacheKit.Text("Listen 80", "", "<IfModule ssl_module>", "\tListen 443", "</IfModule>", "# end"));

            file.Insert(4, new[] { "\tListen 8443 https" });
            file.Replace(0, 0, new[] { "Listen 8080" });

            string diff = LineDiff.Unified(file);

            Assert.Equal(
                "--- /t/ports.conf\n+++ /t/ports.conf\n" +
                "@@ -1 +1 @@\n-Listen 80\n+Listen 8080\n" +
                "@@ -5 +5 @@\n <IfModule ssl_module>\n \tListen 443\n+\tListen 8443 https\n",
                diff);
        }

        [Fact]
        public void ArgumentsAreSplitAsHttpdSplitsThem_QuotesEscapesAndAsciiBlanksOnly()
        {
            var file = new ConfigFile("/t/h.conf", "Header always set X \"a \\\"b\\\" c\" 'd e'\nServerName a\u00A0b\n");

            IReadOnlyList<string> header = file.AllNodes().OfType<ConfigDirective>().First().Arguments;
            IReadOnlyList<string> name = file.AllNodes().OfType<ConfigDirective>().Last().Arguments;

            Assert.Equal(new[] { "always", "set", "X", "a \"b\" c", "d e" }, header);

            // U+00A0 is no blank to httpd (apr_isspace): one word.
            Assert.Equal(new[] { "a\u00A0b" }, name);
        }

        private static void AssertSameNodes(IReadOnlyList<ConfigNode> expected, IReadOnlyList<ConfigNode> actual, string where)
        {
            Assert.True(expected.Count == actual.Count, $"{where}: {expected.Count} nodes expected, {actual.Count} found: {string.Join(", ", actual.Select(n => n.Name + "@" + n.FirstLine))}");
            for (int i = 0; i < expected.Count; i++)
            {
                ConfigNode e = expected[i];
                ConfigNode a = actual[i];
                string at = $"{where}: node {i} ({e.Name} at line {e.FirstLine + 1})";
                Assert.True(e.Name == a.Name && e.FirstLine == a.FirstLine && e.Indent == a.Indent && e.GetType() == a.GetType(), $"{at}: found {a.Name} at line {a.FirstLine + 1}, indent '{a.Indent}'");
                Assert.True(e.Arguments.SequenceEqual(a.Arguments), $"{at}: arguments {string.Join("|", a.Arguments)}");
                Assert.Equal(e.Parent?.FirstLine, a.Parent?.FirstLine);
                if (e is ConfigDirective ed)
                {
                    Assert.True(ed.LastLine == ((ConfigDirective)a).LastLine, $"{at}: last line {((ConfigDirective)a).LastLine}");
                }
                else
                {
                    var es = (ConfigSection)e;
                    var sa = (ConfigSection)a;
                    Assert.True(es.CloseLine == sa.CloseLine && es.CloseShared == sa.CloseShared, $"{at}: closes on {sa.CloseLine}");
                    AssertSameNodes(es.Children, sa.Children, at);
                }
            }
        }
    }
}
